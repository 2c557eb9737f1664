"""The data the site is made of: small frozen types that templates receive, never raw YAML."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

STUDY_FORM_LABELS = {  # id in YAML -> what visitors read
    "plats": "På plats",
    "distans": "Distans",
    "flex": "Flex",
    "larling": "Lärling",
}
# Teaching languages a course may state (BCP 47 codes, as in the schema) -> what visitors read.
LANGUAGE_LABELS = {
    "sv": "Svenska", "en": "Engelska", "fi": "Finska", "ar": "Arabiska", "so": "Somaliska", "ti": "Tigrinja",
    "fa": "Persiska", "prs": "Dari", "uk": "Ukrainska", "es": "Spanska", "de": "Tyska", "fr": "Franska",
    "se": "Nordsamiska",
}
DEFAULT_LANGUAGE = "sv"
ACROSS_COUNTY = "Dalarna"  # a course's location when it is given across the county, not in one place


def _pickled_as_tuple(cls):
    """Pickles a frozen, slotted dataclass as the tuple of its fields: the forked shares of the
    check send every course back through pickle, and dataclasses' own way looks the fields up
    again for each object."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    values = operator.attrgetter(*names)

    def __getstate__(self) -> tuple:
        return values(self)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(names, state):
            object.__setattr__(self, name, value)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__
    return cls


@dataclass(frozen=True)
class Place:
    """A place a course can be given in, from content/orter.yaml."""

    name: str  # as courses spell their location, e.g. "Grängesberg"
    municipality: str  # id of the municipality it lies in
    lat: float  # degrees north, WGS84
    lon: float  # degrees east, WGS84
    main_town: bool = False  # the municipality's main town (centralort)


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Person:
    """Someone to ask: a guidance counsellor or a course contact."""

    name: str
    email: str | None = None
    phone: str | None = None
    title: str | None = None  # e.g. "Studie- och yrkesvägledare"


@dataclass(frozen=True)
class Provider:
    """A municipality that gives courses."""

    id: str  # e.g. "falun"; also the name of its course file
    name: str  # e.g. "Falu kommun"
    url: str
    apply_url: str  # where its adult education takes applications
    counsellors: tuple[Person, ...]  # studie- och yrkesvägledare
    main_town: Place | None = None  # its centralort, from orter.yaml

    @property
    def path(self) -> str:
        return f"/kommuner/{self.id}/"


@dataclass(frozen=True)
class Area:
    """A vocational area, e.g. "Vård och omsorg"."""

    id: str
    name: str
    description: str

    @property
    def path(self) -> str:
        return f"/omraden/{self.id}/"


@dataclass(frozen=True)
class ApplicationPeriod:
    """A common application period that the municipalities agreed on."""

    id: str
    label: str  # e.g. "Start i mars 2027"
    opens: dt.date
    closes: dt.date  # last application day
    starts: dt.date | None = None  # first course start of the period


@dataclass(frozen=True)
class CanonicalName:
    """An agreed course name and the local names that mean the same course."""

    name: str
    aliases: tuple[str, ...] = ()
    area: str | None = None
    code: str | None = None  # Skolverket's yrkespaket code, where known
    abbreviations: tuple[str, ...] = ()  # what people search for ("usk"): search only, never a course's name


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Intake:
    """One start of a course: on a date, or continuous (löpande: apply and start any time until apply_by)."""

    start: dt.date | None  # None for a continuous intake
    apply_by: dt.date  # last application day; the intake is open while today <= apply_by
    opens: dt.date | None = None  # first application day, known when the intake uses a period
    period: ApplicationPeriod | None = None
    continuous: bool = False

    @property
    def order(self) -> tuple[dt.date, dt.date]:
        """Soonest start first; a continuous intake can start now, so before any dated one."""
        return (dt.date.min if self.start is None else self.start, self.apply_by)

    def is_open(self, today: dt.date) -> bool:
        return today <= self.apply_by

    def accepts_applications(self, today: dt.date) -> bool:
        """Open for applications right now (the period, if any, has opened)."""
        return self.is_open(today) and (self.opens is None or self.opens <= today)


@_pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Course:
    """A published course: normalised, with its open intakes only."""

    id: str  # URL slug, e.g. "restaurangbitrade-falun-borlange"
    name: str  # canonical name, e.g. "Restaurangbiträde"
    local_name: str  # the name as the municipality submitted it, trimmed
    provider: Provider
    location: str  # town, or "Dalarna" for regional, distance and apprenticeship courses
    area: Area
    study_forms: tuple[str, ...]  # ids: plats, distans, flex, larling
    pace: int  # percent, 100 = full time
    weeks: int | None
    points: int | None
    intakes: tuple[Intake, ...]  # open intakes only, soonest first
    apply_url: str
    description_html: str  # sanitised HTML
    description_text: str  # plain text, for search and meta descriptions
    prerequisites_html: str | None
    contact: Person | None
    added: dt.date | None
    code: str | None  # yrkespaket code from the vocabulary
    source: str = field(compare=False)  # "content/courses/falun.yaml:14", for editors; never shown
    # (not compared: a line added above a course moves it, but does not change its page)
    places: int | None = None  # antal platser, where stated
    student_aid: bool | None = None  # gives CSN student aid; None: not stated
    language: str = DEFAULT_LANGUAGE  # teaching language, a key of LANGUAGE_LABELS
    susa_id: str | None = None  # the event's identifier in Skolverket's Susa-navet, for imported courses

    @property
    def title(self) -> str:
        """How every listing names the course: what, who and where."""
        return f"{self.name} – {self.provider.name} ({self.location})"

    @property
    def path(self) -> str:
        return f"/utbildningar/{self.id}/"

    @property
    def has_local_name(self) -> bool:
        return self.local_name != self.name

    @property
    def next_intake(self) -> Intake:
        return self.intakes[0]

    @property
    def study_form_labels(self) -> tuple[str, ...]:
        return tuple(STUDY_FORM_LABELS[form] for form in self.study_forms)

    @property
    def language_label(self) -> str:
        return LANGUAGE_LABELS[self.language]

    @property
    def continuous(self) -> bool:
        """Takes applications continuously (löpande antagning) in at least one intake."""
        return any(i.continuous for i in self.intakes)


@dataclass(frozen=True)
class Page:
    """A free-text page from content/pages/ (about, accessibility statement, …)."""

    slug: str
    title: str
    description: str | None
    lang: str  # BCP 47 code, "sv" unless the front matter says otherwise
    dir: str  # "ltr" or "rtl"
    body_html: str

    @property
    def path(self) -> str:
        return f"/{self.slug}/"


@dataclass(frozen=True)
class Infobrev:
    """One issue of the cooperation's newsletter, from content/infobrev/."""

    slug: str  # the file's stem, e.g. "2026-11-20-novemberbrev"
    title: str
    date: dt.date  # the day it is sent
    summary: str | None
    body_html: str  # sanitised HTML
    new_courses: tuple[Course, ...]  # published courses added since the previous issue, by title

    @property
    def path(self) -> str:
        return f"/infobrev/{self.slug}/"

    @property
    def email_path(self) -> str:
        return f"/infobrev/{self.slug}/epost.html"


@dataclass(frozen=True)
class Site:
    """Settings from content/site.yaml."""

    title: str
    base_url: str  # without a trailing slash
    contact_email: str
    tagline: str
    periods: tuple[ApplicationPeriod, ...]
    repository: str = "dalawux/yrkesvuxdalarna"  # GitHub owner/name that the form editor saves to


@dataclass(frozen=True)
class Catalogue:
    """Everything the site shows, normalised: the input of the render stage."""

    site: Site
    today: dt.date
    providers: tuple[Provider, ...]
    areas: tuple[Area, ...]
    courses: tuple[Course, ...]  # published courses only, in the default order
    pages: tuple[Page, ...]
    vocabulary: tuple[CanonicalName, ...]
    infobrev: tuple[Infobrev, ...] = ()  # newest first
    places: tuple[Place, ...] = ()  # from orter.yaml, in its order

    def place(self, name: str) -> Place | None:
        """The place of that name (a course's location), or None ("Dalarna", or not in orter.yaml)."""
        return self._places.get(name)

    @functools.cached_property
    def _places(self) -> dict[str, Place]:
        return {p.name: p for p in self.places}

    def courses_in_area(self, area: Area) -> tuple[Course, ...]:
        return self._grouped[0].get(area.id, ())

    def courses_by(self, provider: Provider) -> tuple[Course, ...]:
        return self._grouped[1].get(provider.id, ())

    @functools.cached_property
    def _grouped(self) -> tuple[dict[str, tuple[Course, ...]], dict[str, tuple[Course, ...]]]:
        """The courses by area id and by provider id, each in the catalogue's order (made once)."""
        by_area: dict[str, list[Course]] = {}
        by_provider: dict[str, list[Course]] = {}
        for course in self.courses:
            by_area.setdefault(course.area.id, []).append(course)
            by_provider.setdefault(course.provider.id, []).append(course)
        return ({k: tuple(v) for k, v in by_area.items()}, {k: tuple(v) for k, v in by_provider.items()})
