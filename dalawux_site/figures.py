""""Utbudet i siffror": the published catalogue summed up for the cooperation's planning group.

Plain data from the catalogue, nothing drawn: the page, its charts (charts.py) and its CSV are all
made from one `Figures`, so they show the same numbers.
"""
from __future__ import annotations

import csv
import codecs
import datetime as dt
import functools
import io
import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from . import geo
from .model import STUDY_FORM_LABELS, Catalogue, Course, Place, Provider
from .swedish import MONTHS, pace_label, sv_key
from .vocabulary import name_key

CSV_PATH = "/utbudet/utbudet.csv"
CSV_FIELDS = ("date", "figure", "row", "column", "value")
PAGE_PATH = "/utbudet/"
MONTHS_AHEAD = 12
NEAR_KM = 50  # "within 50 km": as the crow flies, between the places of content/orter.yaml
TOTAL = "Summa"  # the label of a row or column of sums, on the page and in the CSV
SHORT_MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class Table:
    """Numbers by row and column, with totals: one figure as the page and the CSV show it."""

    figure: str  # its name in the CSV, e.g. "utbildningar-per-omrade-och-kommun"
    rows: tuple[str, ...]  # labels as the page shows them
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]  # cells[row][column]
    row_ids: tuple[str, ...] = ()  # the rows' ids where they have one (an area's id)

    @property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.cells)

    @property
    def column_totals(self) -> tuple[int, ...]:
        return tuple(sum(column) for column in zip(*self.cells)) if self.cells else (0,) * len(self.columns)

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    @property
    def largest(self) -> int:
        return max((max(row) for row in self.cells if row), default=0)


@dataclass(frozen=True)
class Month:
    """A calendar month of the period the starts are counted in."""

    year: int
    month: int

    @property
    def label(self) -> str:  # "november 2026"
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def short(self) -> str:  # "nov"
        return SHORT_MONTHS[self.month - 1]


@dataclass(frozen=True)
class UnknownName:
    """A name submitted for a course that names.yaml does not know."""

    name: str
    courses: int
    providers: tuple[str, ...]  # the municipalities' names, in Swedish order


@dataclass(frozen=True)
class LocalNames:
    """An agreed name of names.yaml and the other names the municipalities use for it."""

    name: str
    courses: int  # published courses with this name
    local_names: tuple[str, ...]  # the submitted names that differ from it, in Swedish order


@dataclass(frozen=True)
class NearStart:
    """A municipality's start of a course, within NEAR_KM of another municipality's start of the
    same course in the same month."""

    municipality: str
    place: str
    nearest_place: str  # the nearest place where another municipality starts it that month
    nearest_km: int  # whole km, as the crow flies


@dataclass(frozen=True)
class Overlap:
    """One course that starts in the same month in municipalities near each other: a candidate
    for planning together."""

    name: str  # the agreed name
    month: Month
    starts: tuple[NearStart, ...]  # by municipality, then place

    @property
    def municipalities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(start.municipality for start in self.starts))

    @property
    def label(self) -> str:  # its row in the CSV
        return f"{self.name}, {self.month.label}"


@dataclass(frozen=True)
class MissingArea:
    """An area with no course at a place within NEAR_KM of a municipality's main town."""

    area: str
    nearest_km: int | None  # to the nearest place that has a course in the area; None if none has
    nearest_place: str | None
    across_county: bool  # the area has a course given across the county (distance, apprenticeship)


@dataclass(frozen=True)
class Gaps:
    """The areas a municipality's main town has no course of within NEAR_KM."""

    municipality: str
    main_town: str
    missing: tuple[MissingArea, ...]  # in the order of areas.yaml


@dataclass(frozen=True)
class Figures:
    """Every figure of /utbudet/, for the courses published on `today`."""

    today: dt.date
    courses: int
    offer: Table  # courses per area (rows) and municipality (columns)
    places: Table | None  # places per area and municipality; None while no course gives places
    months: tuple[Month, ...]
    starts: Table  # starts per area (rows) and month (columns), areas with starts only
    study_forms: Table  # courses per study form (one column)
    paces: Table  # courses per pace (one column)
    unknown_names: tuple[UnknownName, ...]  # most used first
    local_names: tuple[LocalNames, ...]  # names.yaml's names that published courses have, most local names first
    overlaps: tuple[Overlap, ...]  # by month, then name
    gaps: tuple[Gaps, ...]  # per municipality with a main town, in the order of municipalities.yaml

    @property
    def areas_without_starts(self) -> int:
        return len(self.offer.rows) - len(self.starts.rows)


@dataclass(frozen=True)
class Charted:
    """The figures the charts draw, a part of `Figures` that is quick to work out alone: the build
    draws the charts in a task of their own."""

    months: tuple[Month, ...]
    starts: Table
    study_forms: Table
    paces: Table


def charted(catalogue: Catalogue) -> Charted:
    months = _months(catalogue.today)
    return Charted(months, _starts(catalogue, months), _study_forms(catalogue.courses), _paces(catalogue.courses))


def figures(catalogue: Catalogue) -> Figures:
    """The figures of the catalogue's published courses."""
    drawn = charted(catalogue)
    return Figures(
        today=catalogue.today,
        courses=len(catalogue.courses),
        offer=_offer(catalogue, "utbildningar-per-omrade-och-kommun", lambda course: 1),
        places=_places_table(catalogue),
        months=drawn.months,
        starts=drawn.starts,
        study_forms=drawn.study_forms,
        paces=drawn.paces,
        unknown_names=_unknown_names(catalogue),
        local_names=_local_names(catalogue),
        overlaps=_overlaps(catalogue, drawn.months, _Distances(catalogue.places)),
        gaps=_gaps(catalogue, _Distances(catalogue.places)),
    )


def places(course: Course) -> int | None:
    """How many places the course offers, where its municipality says so: `Course.places` once
    the course data has that field (it is being added elsewhere), else None. While no course
    gives places, the page and the CSV have no table of places."""
    return getattr(course, "places", None)


def _places_table(catalogue: Catalogue) -> Table | None:
    if all(places(course) is None for course in catalogue.courses):
        return None
    return _offer(catalogue, "platser-per-omrade-och-kommun", lambda course: places(course) or 0)


def _offer(catalogue: Catalogue, figure: str, count: Callable[[Course], int]) -> Table:
    """Every area by every municipality: the sum of count(course) of the courses in each."""
    cells = []
    for area in catalogue.areas:
        by_provider = Counter()
        for course in catalogue.courses_in_area(area):
            by_provider[course.provider.id] += count(course)
        cells.append(tuple(by_provider[provider.id] for provider in catalogue.providers))
    return Table(
        figure, tuple(a.name for a in catalogue.areas), tuple(p.name for p in catalogue.providers), tuple(cells),
        tuple(a.id for a in catalogue.areas),
    )


def _months(today: dt.date) -> tuple[Month, ...]:
    """This month and the eleven after it."""
    first = today.year * 12 + today.month - 1
    return tuple(Month(n // 12, n % 12 + 1) for n in range(first, first + MONTHS_AHEAD))


def _starts(catalogue: Catalogue, months: tuple[Month, ...]) -> Table:
    """The starts from today on in each month, per area; areas with no start are left out."""
    column = {(m.year, m.month): i for i, m in enumerate(months)}
    rows, ids, cells = [], [], []
    for area in catalogue.areas:
        counts = [0] * len(months)
        for course in catalogue.courses_in_area(area):
            for intake in course.intakes:
                if intake.start is None:  # a continuous intake starts in no particular month
                    continue
                i = column.get((intake.start.year, intake.start.month))
                if i is not None and intake.start >= catalogue.today:
                    counts[i] += 1
        if any(counts):
            rows.append(area.name)
            ids.append(area.id)
            cells.append(tuple(counts))
    return Table("starter-per-manad-och-omrade", tuple(rows), tuple(m.label for m in months), tuple(cells), tuple(ids))


def _study_forms(courses: Iterable[Course]) -> Table:
    """Courses per study form; a course given in two forms counts in both."""
    counts = Counter(form for course in courses for form in course.study_forms)
    forms = [form for form in STUDY_FORM_LABELS if counts[form]]
    return Table("utbildningar-per-studieform", tuple(STUDY_FORM_LABELS[f] for f in forms), ("Utbildningar",), tuple((counts[f],) for f in forms))


def _paces(courses: Iterable[Course]) -> Table:
    """Courses per pace, the fastest first."""
    counts = Counter(course.pace for course in courses)
    paces = sorted(counts, reverse=True)
    return Table("utbildningar-per-studietakt", tuple(pace_label(p) for p in paces), ("Utbildningar",), tuple((counts[p],) for p in paces))


def _unknown_names(catalogue: Catalogue) -> tuple[UnknownName, ...]:
    """The submitted names that match no name or alias of names.yaml, the same name spelt with
    other capitals or punctuation counted once (as names.yaml compares names)."""
    known = {name_key(text) for entry in catalogue.vocabulary for text in (entry.name, *entry.aliases)}
    found: dict[str, list[Course]] = {}
    for course in catalogue.courses:
        key = _key(course.local_name)
        if key not in known:
            found.setdefault(key, []).append(course)
    names = [
        UnknownName(_most_used(c.name for c in group), len(group), _provider_names(group))
        for group in found.values()
    ]
    return tuple(sorted(names, key=lambda n: (-n.courses, sv_key(n.name), n.name)))


def _local_names(catalogue: Catalogue) -> tuple[LocalNames, ...]:
    """Each name of names.yaml that a published course has, with the names such courses were
    submitted under instead. (A name no published course has is left out: the page and the CSV
    mention no closed course, not even by name.)"""
    by_name: dict[str, list[Course]] = {}
    for course in catalogue.courses:
        by_name.setdefault(course.name, []).append(course)
    entries = []
    for entry in catalogue.vocabulary:
        group = by_name.get(entry.name, [])
        if not group:
            continue
        spelled: dict[str, list[str]] = {}
        for course in group:
            key = _key(course.local_name)
            if key != _key(entry.name):
                spelled.setdefault(key, []).append(course.local_name)
        local = sorted((_most_used(names) for names in spelled.values()), key=lambda n: (sv_key(n), n))
        entries.append(LocalNames(entry.name, len(group), tuple(local)))
    return tuple(sorted(entries, key=lambda e: (-len(e.local_names), sv_key(e.name), e.name)))


class _Distances:
    """geo.km from a place to each place of the catalogue, worked out once per place (orter.yaml
    names each place once): a large catalogue asks for the same pairs a hundred thousand times."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places = tuple(places)
        self.rows: dict[str, dict[str, float]] = {}

    def row(self, a: Place) -> dict[str, float]:
        """Place name -> its distance from a."""
        if a.name not in self.rows:
            self.rows[a.name] = {b.name: geo.km(a, b) for b in self.places}
        return self.rows[a.name]


def base(catalogue: Catalogue, course: Course) -> Place | None:
    """Where a course is given, for measuring: its place, or for a course given across the
    county (or at a place orter.yaml lacks) its municipality's main town."""
    return catalogue.place(course.location) or course.provider.main_town


def _overlaps(catalogue: Catalogue, months: tuple[Month, ...], distances: _Distances) -> tuple[Overlap, ...]:
    """Each name and month in which courses of two or more municipalities start within NEAR_KM
    of each other, one entry per group of places linked by such distances."""
    in_period = {(m.year, m.month): m for m in months}
    starts: dict[tuple[str, int, int], dict[tuple[str, str], tuple[Provider, Place]]] = {}
    for course in catalogue.courses:
        place = base(catalogue, course)
        if place is None:
            continue
        for intake in course.intakes:
            if intake.start is None:  # continuous: no month to plan together
                continue
            key = (intake.start.year, intake.start.month)
            if key in in_period and intake.start >= catalogue.today:
                starts.setdefault((course.name, *key), {})[course.provider.id, place.name] = (course.provider, place)
    found = []
    for (name, *key), members in starts.items():
        for group in _near_groups(list(members.values()), distances):
            group.sort(key=lambda s: (sv_key(s.municipality), s.municipality, sv_key(s.place)))
            found.append(Overlap(name, in_period[tuple(key)], tuple(group)))
    return tuple(sorted(found, key=lambda o: (o.month.year, o.month.month, sv_key(o.name), o.name, [(s.municipality, s.place) for s in o.starts])))


def _near_groups(members: list[tuple[Provider, Place]], distances: _Distances) -> list[list[NearStart]]:
    """The starts within NEAR_KM of another municipality's, in groups linked, directly or through
    each other, by distances within NEAR_KM."""
    near: list[tuple[NearStart, Place]] = []
    for provider, place in members:
        row = distances.row(place)
        others = [(row[other.name], other.name) for p, other in members if p.id != provider.id]
        distance, nearest = min(others, default=(math.inf, ""))
        if distance <= NEAR_KM:
            near.append((NearStart(provider.name, place.name, nearest, round(distance)), place))
    groups: list[list[tuple[NearStart, Place]]] = []
    for start in near:
        row = distances.row(start[1])
        linked = [g for g in groups if any(row[other.name] <= NEAR_KM for _, other in g)]
        groups = [g for g in groups if g not in linked] + [[start] + [m for g in linked for m in g]]
    return [[start for start, _ in group] for group in groups]


def _gaps(catalogue: Catalogue, distances: _Distances) -> tuple[Gaps, ...]:
    """For each municipality's main town, the areas with no course at a place within NEAR_KM.
    Courses given across the county have no place and are not counted as near."""
    places_of_area = {
        area.id: {p.name: p for p in (catalogue.place(c.location) for c in catalogue.courses_in_area(area)) if p}
        for area in catalogue.areas
    }
    across = {c.area.id for c in catalogue.courses if catalogue.place(c.location) is None}
    found = []
    for provider in catalogue.providers:
        town = provider.main_town
        if town is None:
            continue
        missing = []
        for area in catalogue.areas:
            row = distances.row(town)
            nearest = min(places_of_area[area.id].values(), key=lambda p: (row[p.name], p.name), default=None)
            distance = row[nearest.name] if nearest else None
            if distance is None or distance > NEAR_KM:
                missing.append(MissingArea(
                    area.name, round(distance) if nearest else None, nearest.name if nearest else None, area.id in across,
                ))
        found.append(Gaps(provider.name, town.name, tuple(missing)))
    return tuple(found)


_key = functools.lru_cache(maxsize=4096)(name_key)  # the same few hundred names, spelt by thousands of courses


def _most_used(names: Iterable[str]) -> str:
    """The spelling used most often; of equally common ones, the first in Swedish order."""
    counts = Counter(names)
    return min(counts, key=lambda n: (-counts[n], sv_key(n), n))


def _provider_names(courses: list[Course]) -> tuple[str, ...]:
    return tuple(sorted({c.provider.name for c in courses}, key=lambda n: (sv_key(n), n)))


# --- the CSV ---------------------------------------------------------------------------------

def csv_rows(f: Figures) -> Iterator[tuple]:
    """Every figure of the page, one number a row: (date, figure, row, column, value)."""
    day = f.today.isoformat()
    yield day, "publicerade-utbildningar", "", "", f.courses
    for table in (f.offer, f.places, f.starts, f.study_forms, f.paces):
        if table is None:
            continue
        for label, cells in zip(table.rows, table.cells):
            for column, value in zip(table.columns, cells):
                yield day, table.figure, label, column, value
        if len(table.columns) > 1:  # the page shows the sums of these
            for label, value in zip(table.rows, table.row_totals):
                yield day, table.figure, label, TOTAL, value
            for column, value in zip(table.columns, table.column_totals):
                yield day, table.figure, TOTAL, column, value
            yield day, table.figure, TOTAL, TOTAL, table.total
    for name in f.unknown_names:
        yield day, "namn-som-saknas-i-names-yaml", name.name, ", ".join(name.providers), name.courses
    for entry in f.local_names:
        yield day, "lokala-namn-per-namn", entry.name, "; ".join(entry.local_names), len(entry.local_names)
    for overlap in f.overlaps:
        for start in overlap.starts:
            yield day, "samma-utbildning-samma-manad-inom-50-km", overlap.label, f"{start.place} – {start.nearest_place}", start.nearest_km
    for gaps in f.gaps:
        for missing in gaps.missing:
            value = "" if missing.nearest_km is None else missing.nearest_km
            yield day, "omraden-utan-utbildning-inom-50-km", f"{gaps.municipality} ({gaps.main_town})", missing.area, value


def csv_bytes(f: Figures) -> bytes:
    """The CSV as the site's other CSV: ';' between fields, UTF-8 with a byte order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows(csv_rows(f))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
