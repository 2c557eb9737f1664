""""Utbudet i siffror": the published catalogue summed up for the cooperation's planning group.

Plain data from the catalogue, nothing drawn: the page, its charts (charts.py) and its CSV are all
made from one `Figures`, so they show the same numbers.
"""
from __future__ import annotations

import csv
import codecs
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

from .model import STUDY_FORM_LABELS, Catalogue, Course
from .swedish import MONTHS, pace_label, sv_key
from .vocabulary import name_key

CSV_PATH = "/utbudet/utbudet.csv"
CSV_FIELDS = ("date", "figure", "row", "column", "value")
PAGE_PATH = "/utbudet/"
MONTHS_AHEAD = 12
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
    local_names: tuple[LocalNames, ...]  # most local names first

    @property
    def areas_without_starts(self) -> int:
        return len(self.offer.rows) - len(self.starts.rows)


def figures(catalogue: Catalogue) -> Figures:
    """The figures of the catalogue's published courses."""
    courses = catalogue.courses
    months = _months(catalogue.today)
    return Figures(
        today=catalogue.today,
        courses=len(courses),
        offer=_offer(catalogue, "utbildningar-per-omrade-och-kommun", lambda course: 1),
        places=_places_table(catalogue),
        months=months,
        starts=_starts(catalogue, months),
        study_forms=_study_forms(courses),
        paces=_paces(courses),
        unknown_names=_unknown_names(catalogue),
        local_names=_local_names(catalogue),
    )


def places(course: Course) -> int | None:
    """How many places the course offers, where its municipality says so.

    The course data has no places yet: once `Course.places` exists, return it here and the page
    and the CSV show a table of places beside the table of courses.
    """
    return getattr(course, "places", None)


def _places_table(catalogue: Catalogue) -> Table | None:
    if all(places(course) is None for course in catalogue.courses):
        return None
    return _offer(catalogue, "platser-per-omrade-och-kommun", lambda course: places(course) or 0)


def _offer(catalogue: Catalogue, figure: str, count) -> Table:
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
        key = name_key(course.local_name)
        if key not in known:
            found.setdefault(key, []).append(course)
    names = [
        UnknownName(_most_used(c.name for c in group), len(group), _provider_names(group))
        for group in found.values()
    ]
    return tuple(sorted(names, key=lambda n: (-n.courses, sv_key(n.name), n.name)))


def _local_names(catalogue: Catalogue) -> tuple[LocalNames, ...]:
    """Each name of names.yaml with the names the published courses were submitted under instead."""
    by_name: dict[str, list[Course]] = {}
    for course in catalogue.courses:
        by_name.setdefault(course.name, []).append(course)
    entries = []
    for entry in catalogue.vocabulary:
        group = by_name.get(entry.name, [])
        spelled: dict[str, list[str]] = {}
        for course in group:
            if name_key(course.local_name) != name_key(entry.name):
                spelled.setdefault(name_key(course.local_name), []).append(course.local_name)
        local = sorted((_most_used(names) for names in spelled.values()), key=lambda n: (sv_key(n), n))
        entries.append(LocalNames(entry.name, len(group), tuple(local)))
    return tuple(sorted(entries, key=lambda e: (-len(e.local_names), sv_key(e.name), e.name)))


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


def csv_bytes(f: Figures) -> bytes:
    """The CSV as the site's other CSV: ';' between fields, UTF-8 with a byte order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows(csv_rows(f))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
