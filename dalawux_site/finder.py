"""What the start page's search and filters are made of: the choices, and each course's facts.

The start page lists only a few courses (a page of every course would weigh megabytes at national
scale). Its filters run in the browser (assets/js/finder.js) on every course's facts, which it loads
on first use from a few JSON parts under /sok/ (finder_parts), fetched side by side. Without
JavaScript the area and municipality pages list every course.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import heapq
from dataclasses import dataclass

import orjson

from .geo import about_km, km
from .model import ACROSS_COUNTY, STUDY_FORM_LABELS, Catalogue, Course, Place, Provider
from .swedish import MONTHS, pace_label, sv_key

NEAR_KM = (25, 50, 100)  # the distances "Nära" offers
NEAR_DEFAULT_KM = 50
SOONEST = 12  # courses the start page shows: those whose last application day is nearest
PART_SIZE = 2000  # courses per part of the finder's data: parts load side by side
PARTS_FOLDER = "sok"
# Each course's facts in a part, in this order (finder.js reads them by position).
ROW = ("slug", "title", "local", "kommun", "ort", "omrade", "studieform", "takt", "start", "sista", "oppen", "borjar",
       "csn", "sprak")
COURSE_PREFIX = "/utbildningar/"


@dataclass(frozen=True)
class Choice:
    """One option of a filter: the value in the address and what the visitor reads."""

    value: str
    label: str


@dataclass(frozen=True)
class FinderOptions:
    """The options of each filter, only those that match at least one published course."""

    providers: tuple[Choice, ...]
    locations: tuple[Choice, ...]
    areas: tuple[Choice, ...]
    study_forms: tuple[Choice, ...]
    paces: tuple[Choice, ...]
    terms: tuple[Choice, ...]  # "vt-2027": spring 2027, "ht-2027": autumn 2027
    months: tuple[Choice, ...]  # "2027-03"
    continuous: bool = False  # some course starts continuously: the "Löpande start" choice (value "lopande")
    near: tuple[tuple[Choice, Place], ...] = ()  # "Nära": each municipality and its main town
    places: dict[str, Place] | None = None  # the location choices' coordinates, where known


def finder_options(c: Catalogue) -> FinderOptions:
    courses = c.courses
    starts = sorted({i.start.replace(day=1) for course in courses for i in course.intakes if i.start})
    return FinderOptions(
        providers=tuple(Choice(p.id, p.name) for p in c.providers if c.courses_by(p)),
        locations=tuple(Choice(town, town) for town in sorted({x.location for x in courses}, key=sv_key)),
        areas=tuple(Choice(a.id, a.name) for a in c.areas if c.courses_in_area(a)),
        study_forms=tuple(Choice(f, label) for f, label in STUDY_FORM_LABELS.items() if any(f in x.study_forms for x in courses)),
        paces=tuple(Choice(str(p), pace_label(p)) for p in sorted({x.pace for x in courses}, reverse=True)),
        terms=tuple(_term(key) for key in dict.fromkeys(_term_key(day) for day in starts)),
        months=tuple(Choice(f"{day:%Y-%m}", f"{MONTHS[day.month - 1]} {day.year}") for day in starts),
        continuous=any(x.continuous for x in courses),
        near=tuple((Choice(p.id, p.name), p.main_town) for p in c.providers if p.main_town),
        places={x.location: c.place(x.location) for x in courses if c.place(x.location)},
    )


def nearby(c: Catalogue, provider: Provider, within_km: float = NEAR_DEFAULT_KM) -> list[tuple[Course, int]]:
    """Other municipalities' courses given within within_km of the provider's main town, with the
    distance as shown ("ca 15 km"), nearest first, then by title. Courses across Dalarna are not
    "near": they are everywhere."""
    town = provider.main_town
    if town is None:
        return []
    distances: dict[str, float | None] = {}
    found = []
    for course in c.courses:
        if course.provider.id == provider.id or course.location == ACROSS_COUNTY:
            continue
        if course.location not in distances:
            place = c.place(course.location)
            distances[course.location] = km(town, place) if place else None
        distance = distances[course.location]
        if distance is not None and distance <= within_km:
            found.append((distance, sv_key(course.title), course.id, course))
    found.sort(key=lambda item: item[:3])
    return [(course, about_km(distance)) for distance, _, _, course in found]


def card_data(course: Course, today: dt.date) -> dict[str, str]:
    """The facts a course card carries for the filters, as data-* attribute values."""
    data = {
        "kommun": course.provider.id,
        "ort": course.location,
        "omrade": course.area.id,
        "studieform": " ".join(course.study_forms),
        "takt": str(course.pace),
        "start": " ".join(dict.fromkeys(f"{i.start:%Y-%m}" if i.start else "lopande" for i in course.intakes)),
        "sista": course.next_intake.apply_by.isoformat(),
    }
    if any(i.accepts_applications(today) for i in course.intakes):
        data["oppen"] = "ja"
    return data


def _default_key(course: Course) -> tuple:
    return (course.next_intake.apply_by, sv_key(course.title), course.id)


def default_order(courses: tuple[Course, ...]) -> list[Course]:
    """Soonest last application day first, then by title: what the start page lists first."""
    return sorted(courses, key=_default_key)


def soonest(courses: tuple[Course, ...], n: int = SOONEST) -> list[Course]:
    """The first n courses of default_order, without sorting them all."""
    return heapq.nsmallest(n, courses, key=_default_key)


def card_row(course: Course, today: dt.date) -> list:
    """One course's facts for the finder's data, in the order of ROW."""
    data = card_data(course, today)
    if not course.path.startswith(COURSE_PREFIX):
        raise ValueError(f"kursens adress {course.path} börjar inte med {COURSE_PREFIX}")
    slug = course.path[len(COURSE_PREFIX):].rstrip("/")
    return [
        slug, course.title, course.local_name if course.has_local_name else "", data["kommun"], data["ort"],
        data["omrade"], data["studieform"], data["takt"], data["start"], data["sista"],
        1 if data.get("oppen") else 0, course.next_intake.start.isoformat() if course.next_intake.start else "",
        "" if course.student_aid is None else int(course.student_aid), course.language_label if course.language != "sv" else "",
    ]


def finder_parts(c: Catalogue) -> dict[str, bytes]:
    """Every published course's facts as JSON parts of PART_SIZE courses in default order, each
    named by its content's hash (a new catalogue gives new names, so no browser keeps an old part)."""
    order = default_order(c.courses)
    parts = {}
    for start in range(0, len(order), PART_SIZE):
        data = orjson.dumps([card_row(course, c.today) for course in order[start:start + PART_SIZE]])
        parts[f"{PARTS_FOLDER}/{hashlib.sha256(data).hexdigest()[:12]}.json"] = data
    return parts


def _term_key(day: dt.date) -> str:
    return f"{'vt' if day.month <= 6 else 'ht'}-{day.year}"


def _term(key: str) -> Choice:
    term, year = key.split("-")
    return Choice(key, f"Våren {year} (januari–juni)" if term == "vt" else f"Hösten {year} (juli–december)")
