"""What the start page's search and filters are made of: the choices, and each course's facts.

The start page lists only a few courses (a page of every course would weigh megabytes at national
scale). Its search and filters run in the browser (assets/js/finder.js) on data that it loads in
parts, only what the visitor's choice needs (finder_parts, one folder under /sok/ per catalogue):

- one file per filter (FACETS): each course's value of it, as a code into the file's own list of
  values, one character per course in default order, so choosing a municipality loads 50,000
  characters rather than every course's facts;
- the words people search by (ord.json, every word of the courses' search records) and, per first
  two letters of a word (o-<two letters>.json), the positions of the courses each word is in;
- the cards (k<n>.json): each course's facts in ROW's order, CARD_CHUNK courses a file, so showing
  the first results loads only the files those courses are in.

Every list is in default order, so a course is its position in it everywhere. These files are the
site's search index. Without JavaScript the area and municipality pages list every course.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

import orjson

from .geo import about_km, km
from .model import ACROSS_COUNTY, STUDY_FORM_LABELS, Catalogue, Course, Place, Provider
from .search_index import index_words, other_names, record_texts
from .swedish import MONTHS, pace_label, sv_key

NEAR_KM = (25, 50, 100)  # the distances "Nära" offers
NEAR_DEFAULT_KM = 50
SOONEST = 12  # courses the start page shows: those whose last application day is nearest
CARD_CHUNK = 32  # courses per file of cards: the first results of a search are few files' worth
CARDS_SHOWN = 50  # results finder.js makes into cards at a time ("Visa fler" the next)
PARTS_FOLDER = "sok"
WORDS_FILE = "ord.json"
# Code characters: printable ASCII that JSON writes as it is (no quote, no backslash).
CODE_CHARS = "".join(chr(c) for c in range(0x23, 0x7F) if c != 0x5C)
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
    card_chunk: int = CARD_CHUNK  # courses per file of cards (finder_parts)
    cards_shown: int = CARDS_SHOWN


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
        card_chunk=CARD_CHUNK,
        cards_shown=CARDS_SHOWN,
    )


def nearby(c: Catalogue, provider: Provider, within_km: float = NEAR_DEFAULT_KM) -> list[tuple[Course, int]]:
    """Other municipalities' courses given within within_km of the provider's main town, with the
    distance as shown ("ca 15 km"), nearest first, then by title. Courses across Dalarna are not
    "near": they are everywhere."""
    return Nearby(c).of(provider, within_km)[0]


class Nearby:
    """nearby() for every municipality of a catalogue: the courses are grouped by place once, so
    each municipality measures the distance to each place rather than to each course.

        near = Nearby(catalogue)
        first, total = near.of(provider, 50, first=20)   # the 20 nearest, and how many there are
    """

    def __init__(self, c: Catalogue) -> None:
        self._places: list[tuple[Place, list[tuple[str, str, Course]], dict[str, int]]] = []
        grouped: dict[str, list[Course]] = defaultdict(list)
        for course in c.courses:
            if course.location != ACROSS_COUNTY:
                grouped[course.location].append(course)
        for location, courses in grouped.items():
            place = c.place(location)
            if place is None:
                continue
            ordered = sorted((sv_key(course.title), course.id, course) for course in courses)
            counts: dict[str, int] = defaultdict(int)
            for course in courses:
                counts[course.provider.id] += 1
            self._places.append((place, ordered, counts))

    def of(
        self, provider: Provider, within_km: float = NEAR_DEFAULT_KM, first: int | None = None,
    ) -> tuple[list[tuple[Course, int]], int]:
        """The first `first` (all when None) of the provider's nearby courses, as nearby() gives
        them, and how many there are in all."""
        town = provider.main_town
        if town is None:
            return [], 0
        total, near = 0, []
        for place, ordered, counts in self._places:
            distance = km(town, place)
            if distance <= within_km:
                total += len(ordered) - counts.get(provider.id, 0)
                near.append(_courses_at(distance, ordered, provider.id))
        found = heapq.merge(*near, key=lambda item: item[0])
        shown = found if first is None else itertools.islice(found, first)
        return [(course, about_km(key[0])) for key, course in shown], total


def _courses_at(distance: float, ordered: list[tuple[str, str, Course]], provider_id: str) -> Iterator[tuple[tuple, Course]]:
    """A place's courses of other municipalities, each with its sort key (distance, title, id)."""
    return (((distance, key, course_id), course) for key, course_id, course in ordered if course.provider.id != provider_id)


def card_data(course: Course, today: dt.date) -> dict[str, str]:
    """The facts a course card carries for the filters, as data-* attribute values."""
    data = {
        "kommun": course.provider.id,
        "ort": course.location,
        "omrade": course.area.id,
        "studieform": " ".join(course.study_forms),
        "takt": str(course.pace),
        "start": " ".join(dict.fromkeys(i.start.isoformat()[:7] if i.start else "lopande" for i in course.intakes)),
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


def card_row(course: Course, today: dt.date, data: dict[str, str] | None = None) -> list:
    """One course's facts for the finder's data, in the order of ROW (data: its card_data)."""
    data = data or card_data(course, today)
    if not course.path.startswith(COURSE_PREFIX):
        raise ValueError(f"kursens adress {course.path} börjar inte med {COURSE_PREFIX}")
    slug = course.path[len(COURSE_PREFIX):].rstrip("/")
    return [
        slug, course.title, course.local_name if course.has_local_name else "", data["kommun"], data["ort"],
        data["omrade"], data["studieform"], data["takt"], data["start"], data["sista"],
        1 if data.get("oppen") else 0, course.next_intake.start.isoformat() if course.next_intake.start else "",
        "" if course.student_aid is None else int(course.student_aid), course.language_label if course.language != "sv" else "",
    ]


# The filters finder.js compares a course's card_data by, and "namn", the canonical name, which
# with "kommun" and "ort" gives every title, for sorting by name.
FACETS = ("kommun", "ort", "omrade", "studieform", "takt", "start", "oppen", "namn")


def finder_parts(c: Catalogue) -> dict[str, bytes]:
    """The finder's files (see the module's docstring), in one folder named by a hash of them all
    (a new catalogue gives a new folder, so no browser mixes parts of two)."""
    order = default_order(c.courses)
    data = [card_data(course, c.today) for course in order]
    files = {f"f-{name}.json": _facet(values) for name, values in facet_values(order, data).items()}
    words = course_words(c, order)
    files[WORDS_FILE] = orjson.dumps(sorted(words))
    by_key: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word in sorted(words):
        by_key[word[:2]][word] = _deltas(words[word])
    files.update({f"o-{key}.json": orjson.dumps(postings) for key, postings in by_key.items()})
    for n, start in enumerate(range(0, len(order), CARD_CHUNK)):
        rows = [card_row(course, c.today, facts) for course, facts in zip(order[start:start + CARD_CHUNK], data[start:])]
        files[f"k{n}.json"] = orjson.dumps(rows)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    folder = f"{PARTS_FOLDER}/{digest.hexdigest()[:12]}"
    return {f"{folder}/{name}": data for name, data in sorted(files.items())}


def facet_values(order: list[Course], data: list[dict[str, str]]) -> dict[str, list[str]]:
    """Each of FACETS: every course's value, in order (data: the courses' card_data)."""
    values = {name: [facts.get(name, "") for facts in data] for name in FACETS if name != "namn"}
    return values | {"namn": [course.name for course in order]}


def facet_codes(values: list[str]) -> tuple[list[str], int, dict[str, str]]:
    """A filter's distinct values, sorted; the characters a course's code takes; each value's code."""
    distinct = sorted(set(values))
    width = 1
    while len(CODE_CHARS) ** width < len(distinct):
        width += 1
    return distinct, width, {value: _code(n, width) for n, value in enumerate(distinct)}


def _facet(values) -> bytes:
    """{"values": the distinct values, "width": characters per course, "codes": each course's
    value as the position in values written in CODE_CHARS, `width` characters a course}."""
    values = list(values)
    distinct, width, code = facet_codes(values)
    return orjson.dumps({"values": distinct, "width": width, "codes": "".join(code[v] for v in values)})


def _code(n: int, width: int) -> str:
    base = len(CODE_CHARS)
    return "".join(CODE_CHARS[n // base ** k % base] for k in reversed(range(width)))


def _deltas(positions: list[int]) -> list[int]:
    return [positions[0]] + [b - a for a, b in zip(positions, positions[1:])]


def course_words(c: Catalogue, order: list[Course]) -> dict[str, list[int]]:
    """Every word of the courses' search records (search_index.search_records), as index_words
    compares them, with the positions in order of the courses whose record holds it. Courses
    share their names, places and facts, so each distinct text is split into words once (a
    title's words are its name's, its provider's and its place's: they are joined by spaces)."""
    others = other_names(c)
    found: dict[str, list[int]] = defaultdict(list)
    names: dict[tuple, frozenset[str]] = {}  # the name, local name and other names
    facts: dict[tuple, frozenset[str]] = {}
    places: dict[tuple, frozenset[str]] = {}  # the provider's name and the place
    for position, course in enumerate(order):
        name_key = (course.name, course.local_name)
        fact_key = (course.area.id, course.study_forms, course.pace)
        place_key = (course.provider.name, course.location)
        if name_key not in names or fact_key not in facts:
            _, local, other, fact = record_texts(course, others)
            names.setdefault(name_key, frozenset().union(*map(index_words, (course.name, local, other))))
            facts.setdefault(fact_key, frozenset(index_words(fact)))
        if place_key not in places:
            places[place_key] = frozenset(index_words(" ".join(place_key)))
        for word in names[name_key] | facts[fact_key] | places[place_key]:
            found[word].append(position)
    return found


def _term_key(day: dt.date) -> str:
    return f"{'vt' if day.month <= 6 else 'ht'}-{day.year}"


def _term(key: str) -> Choice:
    term, year = key.split("-")
    return Choice(key, f"Våren {year} (januari–juni)" if term == "vt" else f"Hösten {year} (juli–december)")
