"""Stage 3, normalise: turn validated content into the frozen types the site is made of.

Here submitted names become canonical names, outdated intakes and courses drop out, and
Markdown becomes safe HTML. Problems found on the way are warnings: the site still builds.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

from .diagnostics import Report
from .load import Document, RawContent
from .markup import MarkdownRenderer, Rendered, lix
from .model import DEFAULT_LANGUAGE, ApplicationPeriod, Area, Catalogue, Course, Infobrev, Intake, Page, Person, Place, Provider, Site
from .vocabulary import Vocabulary, course_id

LIX_LIMIT = 50  # above this a text counts as hard to read
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ku", "ps", "ur", "yi", "ckb"})


def normalise(raw: RawContent, today: dt.date, report: Report) -> Catalogue:
    """Build the catalogue from content that passed validation."""
    basis = normalise_shared(raw)
    return assemble(raw, basis, normalise_courses(raw.courses, basis, today, report), today, report)


@dataclass(frozen=True)
class Basis:
    """The shared files, normalised: what every course refers to."""

    site: Site
    providers: tuple[Provider, ...]
    areas: tuple[Area, ...]
    vocabulary: Vocabulary
    places: tuple[Place, ...] = ()


def normalise_shared(raw: RawContent) -> Basis:
    """site.yaml, municipalities.yaml, areas.yaml, names.yaml and orter.yaml (validated)."""
    places = _places(raw.places.data if raw.places else None)
    main_towns = {p.municipality: p for p in places if p.main_town}
    return Basis(
        site=_site(raw.site.data),
        providers=tuple(_provider(item, main_towns.get(item["id"])) for item in raw.municipalities.data),
        areas=tuple(Area(a["id"], a["name"].strip(), a["description"].strip()) for a in raw.areas.data),
        vocabulary=Vocabulary.from_document(raw.names, Report()),  # its problems were reported by validate
        places=places,
    )


def _places(data: list | None) -> tuple[Place, ...]:
    return tuple(
        Place(" ".join(p["name"].split()), p["municipality"], float(p["lat"]), float(p["lon"]), bool(p.get("main_town")))
        for p in data or ()
    )


def assemble(raw: RawContent, basis: Basis, courses: list[Course], today: dt.date, report: Report) -> Catalogue:
    """The catalogue: the published courses (of every course file) in the default order, the
    pages and the infobrev issues."""
    published = tuple(sorted(courses, key=lambda c: (c.next_intake.apply_by, c.title, c.id)))
    return Catalogue(
        site=basis.site,
        today=today,
        providers=basis.providers,
        areas=basis.areas,
        courses=published,
        pages=_pages(raw.pages, report),
        vocabulary=basis.vocabulary.entries,
        infobrev=_infobrev(raw.infobrev, published, report),
        places=basis.places,
    )


def _site(data: dict) -> Site:
    periods = tuple(
        ApplicationPeriod(p["id"], p["label"].strip(), _date(p["opens"]), _date(p["closes"]), _date(p.get("starts")))
        for p in data["application_periods"]
    )
    return Site(
        title=data["title"].strip(),
        base_url=data["base_url"].rstrip("/"),
        contact_email=data["contact_email"].strip(),
        tagline=(data.get("tagline") or "").strip(),
        periods=tuple(sorted(periods, key=lambda p: (p.opens, p.id))),
        repository=data.get("repository", Site.repository),
    )


def _provider(data: dict, main_town: Place | None = None) -> Provider:
    return Provider(
        id=data["id"],
        name=data["name"].strip(),
        url=data["url"],
        apply_url=data["apply_url"],
        counsellors=tuple(_person(c) for c in data["counsellors"]),
        main_town=main_town,
    )


def _person(data: dict) -> Person:
    return Person(data["name"].strip(), data.get("email"), data.get("phone"), data.get("title"))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# --- courses ---------------------------------------------------------------------------------

def normalise_courses(docs: Iterable[Document], basis: Basis, today: dt.date, report: Report) -> list[Course]:
    """The published courses of the (validated) course files, in file order."""
    by_provider = {p.id: p for p in basis.providers}
    by_area = {a.id: a for a in basis.areas}
    periods = {p.id: p for p in basis.site.periods}
    renderer = MarkdownRenderer(top_heading=3)
    published = []
    for doc in docs:
        provider = by_provider[doc.provider_id]
        for prefix, entry in doc.course_entries():
            course = _course(doc, prefix, entry, provider, by_area, periods, basis.vocabulary, renderer, today, report)
            if course.intakes:
                published.append(course)
    return published


def _course(
    doc: Document, prefix: tuple, entry: dict, provider: Provider, areas: dict[str, Area],
    periods: dict[str, ApplicationPeriod], vocabulary: Vocabulary, renderer: MarkdownRenderer,
    today: dt.date, report: Report,
) -> Course:
    local_name = " ".join(entry["name"].split())
    match = vocabulary.match(local_name)
    if match is None:
        line = doc.line(prefix + ("name",))
        report.warning(
            doc.name, line,
            f'namnet "{local_name}" finns inte i names.yaml – utbildningen visas med det namnet. '
            "Lägg till det som alias under rätt gemensamt namn, eller som ett nytt namn",
            doc.source(line),
        )
    name = match.name if match else local_name
    location = " ".join(entry["location"].split())
    description = _markdown(doc, prefix + ("description",), entry["description"], renderer, report, check_lix=True)
    prerequisites = entry.get("prerequisites")
    return Course(
        id=doc.stem if doc.single_course else entry.get("id") or course_id(name, provider.id, location),
        name=name,
        local_name=local_name,
        provider=provider,
        location=location,
        area=areas[entry["area"]],
        study_forms=tuple(f for f in ("plats", "distans", "flex", "larling") if f in entry["study_forms"]),
        pace=int(entry["pace"]),
        weeks=entry.get("weeks"),
        points=entry.get("points"),
        intakes=_open_intakes(entry["intakes"], periods, today),
        apply_url=entry.get("apply_url") or provider.apply_url,
        description_html=description.html,
        description_text=description.text,
        prerequisites_html=_markdown(doc, prefix + ("prerequisites",), prerequisites, renderer, report).html if prerequisites else None,
        contact=_person(entry["contact"]) if entry.get("contact") else None,
        added=_date(entry.get("added")),
        code=match.code if match else None,
        source=f"{doc.name}:{doc.line(prefix)}",
        **_national_fields(entry),
    )


def _national_fields(entry: dict) -> dict:
    """The fields shared with Skolverket's data model: places, CSN, teaching language, Susa-navet id."""
    return {
        "places": entry.get("places"),
        "student_aid": entry.get("student_aid"),
        "language": entry.get("language", DEFAULT_LANGUAGE),
        "susa_id": entry.get("susa_id"),
    }


def _open_intakes(items: list[dict], periods: dict[str, ApplicationPeriod], today: dt.date) -> tuple[Intake, ...]:
    intakes = []
    for item in items:
        period = periods.get(item.get("period", ""))
        intake = Intake(
            start=_date(item.get("start")),
            apply_by=period.closes if period else _date(item["apply_by"]),
            opens=period.opens if period else None,
            period=period,
            continuous=bool(item.get("continuous")),
        )
        if intake.is_open(today):
            intakes.append(intake)
    return tuple(sorted(intakes, key=lambda x: x.order))


def _markdown(
    doc: Document, path: tuple, source: str, renderer: MarkdownRenderer, report: Report, check_lix: bool = False,
) -> Rendered:
    rendered = renderer.render(source)
    first = _text_start_line(doc, path)
    for problem in rendered.problems:
        line = first + problem.line_offset
        report.warning(doc.name, line, problem.message, doc.source(line))
    if check_lix:
        _warn_hard_text(doc.name, first, rendered.text, report, doc.source(first))
    return rendered


_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$")  # a key whose text starts on the next line


def _text_start_line(doc: Document, path: tuple) -> int:
    """The line where a text's first line stands: after `description: |` it is the next one."""
    line = doc.line(path)
    source = doc.source(line) or ""
    return line + 1 if _BLOCK_SCALAR.search(source) else line


def _warn_hard_text(file: str, line: int, text: str, report: Report, source: str | None = None) -> None:
    figure = lix(text)
    if figure is not None and figure > LIX_LIMIT:
        report.warning(
            file, line,
            f"texten är svår att läsa (LIX {figure:.0f}, över {LIX_LIMIT}) – skriv kortare meningar och "
            "vanligare, kortare ord. Sikta på under 40",
            source,
        )


# --- pages -----------------------------------------------------------------------------------

def _pages(docs: tuple[Document, ...], report: Report) -> tuple[Page, ...]:
    renderer = MarkdownRenderer(top_heading=2)
    pages = []
    for doc in docs:
        front = doc.data
        rendered = _body(doc, renderer, report)
        lang = front.get("lang", "sv")
        pages.append(Page(
            slug=front.get("slug") or doc.stem,
            title=front["title"].strip(),
            description=(front.get("description") or "").strip() or None,
            lang=lang,
            dir="rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr",
            body_html=rendered.html,
        ))
    return tuple(sorted(pages, key=lambda p: p.slug))


def _body(doc: Document, renderer: MarkdownRenderer, report: Report) -> Rendered:
    """The Markdown after the front matter, with its problems reported at their lines."""
    rendered = renderer.render(doc.body)
    for problem in rendered.problems:
        line = doc.body_line + problem.line_offset
        report.warning(doc.name, line, problem.message, doc.source(line))
    return rendered


# --- infobrev --------------------------------------------------------------------------------

def _infobrev(docs: tuple[Document, ...], courses: tuple[Course, ...], report: Report) -> tuple[Infobrev, ...]:
    """Every issue, newest first, each with the courses that are new since the issue before it."""
    renderer = MarkdownRenderer(top_heading=2)
    dated = sorted(((_date(doc.data["date"]), doc.stem, doc) for doc in docs), key=lambda x: x[:2])
    issues = []
    previous: dt.date | None = None
    for day, slug, doc in dated:
        front = doc.data
        body = _body(doc, renderer, report)
        _warn_hard_text(doc.name, doc.body_line, body.text, report, doc.source(doc.body_line))
        issues.append(Infobrev(
            slug=slug,
            title=front["title"].strip(),
            date=day,
            summary=(front.get("summary") or "").strip() or None,
            body_html=body.html,
            new_courses=added_between(courses, previous, day),
        ))
        previous = day
    return tuple(reversed(issues))


def added_between(courses: tuple[Course, ...], after: dt.date | None, until: dt.date) -> tuple[Course, ...]:
    """Courses whose `added` date is after `after` (if any) and on or before `until`, by title."""
    found = [c for c in courses if c.added and c.added <= until and (after is None or c.added > after)]
    return tuple(sorted(found, key=lambda c: (c.title, c.id)))
