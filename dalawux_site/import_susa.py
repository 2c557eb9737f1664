"""`build.py import-susa`: courses from saved Susa-navet responses into per-course files, and a
report of where Skolverket's national guide and the county's catalogue disagree.

Only upper-secondary vocational komvux (school type VUXGY, isVocational) that is not cancelled,
is given in one of the 15 municipalities (by its municipality code) and can still be applied to
is written, and only when names.yaml knows its name (which also gives its area). Nothing a person
wrote is overwritten: a course without susa_id is never touched, and an imported file keeps a
comment line with a hash of the text the import wrote; a file whose text no longer matches it was
changed by hand and is reported instead. Nothing is written until every input file has been read.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import pipeline
from .course_file import format_course
from .diagnostics import Report
from .load import Document, display_name, load_yaml_file
from .model import LANGUAGE_LABELS, Catalogue, Course
from .normalise import normalise_shared
from .susa import Event, Info, Location, NotAResponse, Responses, read_responses
from .validate import _months_after, _passes
from .vocabulary import Vocabulary, course_id

SCHOOL_TYPE = "VUXGY"  # kommunal vuxenutbildning på gymnasial nivå
CONTINUOUS_MONTHS = 12
HASH_PREFIX = "# Importerad från Susa-navet. Ändras filen för hand skriver importen inte över den. susa_hash: "
_HASH_LINE = re.compile(r"^# Importerad från Susa-navet\..*susa_hash: ([0-9a-f]{32})$", re.M)
LANGUAGES = {  # languageOfInstructions (ISO 639-2 or -1) -> the schema's code
    "swe": "sv", "sv": "sv", "eng": "en", "en": "en", "fin": "fi", "fi": "fi", "ara": "ar", "ar": "ar",
    "som": "so", "so": "so", "tir": "ti", "ti": "ti", "fas": "fa", "per": "fa", "fa": "fa", "prs": "prs",
    "ukr": "uk", "uk": "uk", "spa": "es", "es": "es", "deu": "de", "ger": "de", "de": "de", "fra": "fr",
    "fre": "fr", "fr": "fr", "sme": "se", "se": "se",
}
assert set(LANGUAGES.values()) <= set(LANGUAGE_LABELS)

# What happened to each course, in the order the report lists them.
IMPORTED, UPDATED, UNCHANGED, KEPT, SKIPPED, ONLY_CATALOGUE, DATES_DIFFER = (
    "imported", "updated", "unchanged", "kept", "skipped", "only_catalogue", "dates_differ",
)
HEADINGS = {
    IMPORTED: "Importerade",
    UPDATED: "Uppdaterade",
    UNCHANGED: "Oförändrade",
    KEPT: "Ändrade för hand – inte överskrivna",
    SKIPPED: "I Susa-navet men inte importerade",
    ONLY_CATALOGUE: "I katalogen men inte i Susa-navet",
    DATES_DIFFER: "Olika datum i Susa-navet och katalogen",
}


class ImportRefused(Exception):
    """Nothing was written; the message says why, in Swedish."""


@dataclass(frozen=True)
class Entry:
    """One line of the comparison report."""

    municipality: str  # id
    kind: str  # one of HEADINGS
    title: str  # "Svetsare (Falun)"
    detail: str = ""  # why, in Swedish
    file: str | None = None  # "content/courses/falun/svetsare-falun.yaml"


@dataclass
class Plan:
    """What an import would write, and what the report says."""

    writes: dict[Path, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    events: int = 0  # events read
    outside: int = 0  # events given outside the 15 municipalities
    other_types: dict[str, int] = field(default_factory=dict)  # municipality -> events of other school types


@dataclass(frozen=True)
class _Existing:
    """A course already in the content that carries a susa_id."""

    path: Path
    name: str  # as editors know the file
    data: Any
    in_list: bool  # in a municipality's list file, which the import never changes


# --- the command -------------------------------------------------------------------------------

def import_susa(files: list[Path], content: Path, today: dt.date) -> Plan:
    """Read the responses and the content, decide, then write; ImportRefused writes nothing."""
    try:
        responses = read_responses(files)
    except NotAResponse as problem:
        raise ImportRefused(f"Inget skrevs: {problem}") from None
    plan = make_plan(responses, content, today)
    write_plan(plan)
    return plan


def make_plan(responses: Responses, content: Path, today: dt.date) -> Plan:
    result = pipeline.check(content, today)
    if result.catalogue is None or result.raw is None:
        raise ImportRefused(
            f"Inget skrevs: innehållet i {content} har fel ({result.report.summary()}) – "
            "kör python build.py check, rätta felen och importera igen"
        )
    raw = result.raw
    vocabulary = normalise_shared(raw).vocabulary
    codes = {m["code"]: m["id"] for m in raw.municipalities.data if m.get("code")}
    if len(codes) != sum(1 for m in raw.municipalities.data if m.get("code")):
        raise ImportRefused("Inget skrevs: samma kommunkod (code) står på två kommuner i municipalities.yaml – rätta den ena")
    if not codes:
        raise ImportRefused("Inget skrevs: ingen kommun i municipalities.yaml har code (kommunkoden) – lägg till dem först")
    existing = _existing(raw.courses, content)
    plan = Plan(events=len(responses.events))
    taken = {c.id for c in result.catalogue.courses} | _file_ids(content)
    matched: set[str] = set()  # catalogue course ids that an event matched
    for event in sorted(responses.events.values(), key=lambda e: e.identifier):
        _plan_event(event, responses, codes, vocabulary, existing, taken, matched, result.catalogue, content, today, plan)
    _only_in_catalogue(result.catalogue, matched, plan)
    return plan


def write_plan(plan: Plan) -> None:
    """Each file written whole or not at all (a temporary file renamed into place)."""
    for path, text in sorted(plan.writes.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".yaml")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


# --- one event ---------------------------------------------------------------------------------

def _plan_event(
    event: Event, responses: Responses, codes: dict[str, str], vocabulary: Vocabulary,
    existing: dict[str, _Existing], taken: set[str], matched: set[str], catalogue: Catalogue,
    content: Path, today: dt.date, plan: Plan,
) -> None:
    place = _place(event, responses, codes)
    if place is None:
        plan.outside += 1
        return
    municipality = codes[place.area_code]
    info = responses.infos.get(event.education or "")
    if info is not None and (info.school_type != SCHOOL_TYPE or info.vocational is not True):
        plan.other_types[municipality] = plan.other_types.get(municipality, 0) + 1
        return
    title = event.title or (info.title if info else None) or event.identifier
    label = f"{title} ({_town(event, place)})"
    skip = lambda why: plan.entries.append(Entry(municipality, SKIPPED, label, why))  # noqa: E731
    if info is None:
        return skip(f"utbildningen ({event.education}) finns inte i de sparade educationInfos – spara även dem")
    if event.cancelled:
        return skip("inställd i Susa-navet (isCancelled)")
    if event.expires is not None and event.expires < today:
        return skip(f"utgången i Susa-navet (expires {event.expires})")
    canonical = vocabulary.match(title) or (vocabulary.match(info.title) if info.title else None)
    if canonical is None:
        return skip(f'namnet "{title}" finns inte i names.yaml – lägg till det som alias under rätt gemensamt namn och importera igen')
    twin = _catalogue_twin(catalogue, municipality, canonical.name)
    if twin is not None and twin.susa_id is None:
        matched.add(twin.id)
        _compare_dates(event, twin, today, label, municipality, plan)
        return
    name = title if vocabulary.match(title) else info.title
    data, why = course_data(event, info, name, canonical.area, _town(event, place), today)
    if data is None:
        return skip(why)
    if twin is not None:
        matched.add(twin.id)
    _place_file(event, data, municipality, label, canonical.name, existing, taken, content, plan)


def _place_file(
    event: Event, data: dict, municipality: str, label: str, canonical: str, existing: dict[str, _Existing],
    taken: set[str], content: Path, plan: Plan,
) -> None:
    known = existing.get(event.identifier)
    if known is not None and known.in_list:
        plan.entries.append(Entry(municipality, KEPT, label, f"står i {known.name}, som importen inte ändrar", known.name))
        return
    if known is not None:
        _update(known, data, municipality, label, content, plan)
        return
    ident = _free_id(course_id(canonical, municipality, data["location"]), event, taken)
    taken.add(ident)
    path = content / "courses" / municipality / f"{ident}.yaml"
    plan.writes[path] = imported_text(data)
    plan.entries.append(Entry(municipality, IMPORTED, label, _dates(data), _shown(path, content)))


def _update(known: _Existing, data: dict, municipality: str, label: str, content: Path, plan: Plan) -> None:
    text = known.path.read_text(encoding="utf-8")
    if not is_untouched(text):
        _compare_kept(known, data, municipality, label, plan)
        plan.entries.append(Entry(
            municipality, KEPT, label,
            "filen är ändrad för hand sedan den importerades – jämför med Susa-navet och uppdatera den själv, "
            "eller ta bort filen så importeras den på nytt",
            known.name,
        ))
        return
    if isinstance(known.data, dict) and known.data.get("added"):
        data["added"] = known.data["added"]  # first published then, whatever Susa-navet says now
    new = imported_text(data)
    if new == text:
        plan.entries.append(Entry(municipality, UNCHANGED, label, "", known.name))
        return
    plan.writes[known.path] = new
    plan.entries.append(Entry(municipality, UPDATED, label, _dates(data), known.name))


def course_data(event: Event, info: Info, name: str, area: str | None, town: str, today: dt.date) -> tuple[dict | None, str]:
    """The course as the schema wants it, or None and why not. Nothing uncertain is stated: a
    missing or placeholder value leaves its field out, or the course out when the field is required."""
    if area is None:
        return None, f'namnet "{name}" har inget område (area) i names.yaml – lägg till det där'
    if event.pace is None:
        return None, "studietakt saknas i Susa-navet (paceOfStudy)"
    if info.weeks is None and info.points is None:
        return None, "längd saknas i Susa-navet (varken veckor eller gymnasiepoäng)"
    description = event.description or info.description
    if not description:
        return None, "beskrivning saknas i Susa-navet"
    intake, why = _intake(event, today)
    if intake is None:
        return None, why
    data: dict[str, Any] = {
        "name": name[:120].strip(),
        "location": town,
        "area": area,
        "study_forms": ["distans"] if event.distance else ["larling"] if event.apprenticeship else ["plats"],
        "pace": event.pace,
    }
    data.update({k: v for k, v in (("weeks", info.weeks), ("points", info.points), ("places", event.places)) if v})
    aid = _student_aid(info.student_aid)
    if aid is not None:
        data["student_aid"] = aid
    language = next((LANGUAGES[x] for x in event.languages if x in LANGUAGES), "sv")
    if language != "sv":
        data["language"] = language
    data["intakes"] = [intake]
    if event.application_url and re.fullmatch(r"https://[^\s/]+\.[^\s]+", event.application_url) and len(event.application_url) <= 500:
        data["apply_url"] = event.application_url
    data["description"] = markdown_safe(description)[:20000]
    if info.eligibility:
        data["prerequisites"] = markdown_safe(info.eligibility)[:5000]
    data["added"] = today.isoformat()
    data["susa_id"] = event.identifier
    if not _passes("course", [data]):
        return None, "uppgifterna i Susa-navet blir ingen giltig utbildning (kontrollera längd, takt och datum)"
    return data, ""


def _intake(event: Event, today: dt.date) -> tuple[dict | None, str]:
    limit = _months_after(today, CONTINUOUS_MONTHS)
    if event.continuous or (event.start is None and event.application_last is None):
        if not event.continuous:
            return None, "varken startdatum eller löpande antagning i Susa-navet"
        ends = [d for d in (event.application_last, event.expires, limit) if d is not None]
        last = min(ends)  # never beyond 12 months: a continuous intake must not linger
        if last < today:
            return None, f"ansökan stängde {last}"
        return {"continuous": True, "apply_by": last.isoformat()}, ""
    if event.start is None:
        return None, "startdatum saknas i Susa-navet"
    if event.application_last is None:
        return None, "sista ansökningsdag saknas i Susa-navet"
    if event.application_last < today:
        return None, f"ansökan stängde {event.application_last}"
    if event.start < event.application_last:
        return None, f"sista ansökningsdag ({event.application_last}) är efter starten ({event.start}) i Susa-navet"
    return {"start": event.start.isoformat(), "apply_by": event.application_last.isoformat()}, ""


def _student_aid(code: str | None) -> bool | None:
    """CSN: "ja" and the aid categories ("A 1", "B 2", …) mean yes; "nej" no; "saknas" says nothing."""
    if code is None:
        return None
    if code == "ja" or re.fullmatch(r"[AB] [0-9]( g[ry])?", code):
        return True
    return False if code == "nej" else None


# --- text and files ----------------------------------------------------------------------------

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+-]|[0-9]+[.)])(?=\s|$)", re.M)


def markdown_safe(text: str) -> str:
    """Plain text that Markdown shows as it is: its marks are escaped, nothing becomes a link,
    heading or list. Paragraphs stay paragraphs."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def imported_text(data: dict) -> str:
    """The file as the import writes it: the agreed format, with the hash of that very text."""
    body = format_course(data)
    return _with_hash(body, _digest(body))


def is_untouched(text: str) -> bool:
    """The file is as the import wrote it: its text, without the hash line, has that hash."""
    found = _HASH_LINE.search(text)
    if found is None:
        return False
    body = text[: found.start()] + text[found.end() + 1:]
    return _digest(body) == found.group(1)


def _with_hash(body: str, digest: str) -> str:
    first, _, rest = body.partition("\n")
    return f"{first}\n{HASH_PREFIX}{digest}\n{rest}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# --- the content -------------------------------------------------------------------------------

def _existing(docs: tuple[Document, ...], content: Path) -> dict[str, _Existing]:
    """The courses with a susa_id, by it: in the loaded course files and in every per-course file."""
    found: dict[str, _Existing] = {}
    loaded = {doc.rel for doc in docs}
    root = content.resolve()
    extra = [load_yaml_file(p.resolve(), root, Report()) for p in sorted((content / "courses").glob("*/*.yaml"))]
    for doc in [*docs, *(d for d in extra if d.rel not in loaded)]:
        path = content / doc.rel
        for _, course in doc.course_entries() if doc.readable else ():
            if isinstance(course.get("susa_id"), str):
                found[course["susa_id"]] = _Existing(path, doc.name, course, not doc.single_course)
    return found


def _file_ids(content: Path) -> set[str]:
    """The stems of the per-course files (also those the build does not publish now)."""
    return {p.stem for p in (content / "courses").glob("*/*.yaml")}


def _free_id(ident: str, event: Event, taken: set[str]) -> str:
    """The course's address, made unique by its start when the same course starts more than once."""
    if ident not in taken:
        return ident
    when = f"{event.start:%Y-%m}" if event.start and not event.continuous else "lopande"
    candidate, n = f"{ident}-{when}", 2
    while candidate in taken:
        candidate, n = f"{ident}-{when}-{n}", n + 1
    return candidate


def _place(event: Event, responses: Responses, codes: dict[str, str]) -> Location | None:
    """Where the event is given: its first place in one of the municipalities; an event with no
    municipality code at all is placed by its provider's address."""
    place = next((loc for loc in event.locations if loc.area_code in codes), None)
    if place is not None or any(loc.area_code for loc in event.locations):
        return place
    for provider in (responses.providers.get(p) for p in event.providers):
        code = next((c for c in (provider.area_codes if provider else ()) if c in codes), None)
        if code is not None:
            town = next((loc.town for loc in event.locations if loc.town), None)
            return Location(town, code)
    return None


def _town(event: Event, place: Location) -> str:
    if place.town:
        return " ".join(place.town.split()).title() if place.town.isupper() else " ".join(place.town.split())
    return "Dalarna"


def _shown(path: Path, content: Path) -> str:
    return display_name(path.resolve(), content.resolve())


def _dates(data: dict) -> str:
    intake = data["intakes"][0]
    if intake.get("continuous"):
        return f"löpande start, ansök senast {intake['apply_by']}"
    return f"start {intake['start']}, sista ansökningsdag {intake['apply_by']}"


# --- comparison ----------------------------------------------------------------------------------

def _catalogue_twin(catalogue: Catalogue, municipality: str, canonical: str) -> Course | None:
    """The published course of the same municipality and name that a person wrote, if any."""
    provider = next((p for p in catalogue.providers if p.id == municipality), None)
    if provider is None:
        return None
    same = [c for c in catalogue.courses_by(provider) if c.name == canonical]
    return next((c for c in same if c.susa_id is None), same[0] if same else None)


def _compare_dates(event: Event, course: Course, today: dt.date, label: str, municipality: str, plan: Plan) -> None:
    ours = {(i.start, i.apply_by) for i in course.intakes if not i.continuous}
    theirs_continuous = event.continuous
    if theirs_continuous and course.continuous:
        return
    if not theirs_continuous and event.start is not None and any(start == event.start and (event.application_last in (None, apply_by))
                                                                  for start, apply_by in ours):
        return
    said = "löpande start" if theirs_continuous else (
        f"start {event.start or 'saknas'}, sista ansökningsdag {event.application_last or 'saknas'}")
    catalogue = "; ".join(
        "löpande start" if i.continuous else f"start {i.start}, sista ansökningsdag {i.apply_by}" for i in course.intakes
    )
    plan.entries.append(Entry(
        municipality, DATES_DIFFER, label, f"Susa-navet: {said}. Katalogen: {catalogue}", course.source.rsplit(":", 1)[0],
    ))


def _compare_kept(known: _Existing, data: dict, municipality: str, label: str, plan: Plan) -> None:
    """A hand-changed import whose starts no longer are Susa-navet's."""
    ours = known.data.get("intakes") if isinstance(known.data, dict) else None
    if not isinstance(ours, list) or ours == data["intakes"]:
        return
    written = "; ".join(
        "löpande start, ansök senast " + str(i.get("apply_by")) if i.get("continuous")
        else f"start {i.get('start')}, sista ansökningsdag {i.get('apply_by') or i.get('period')}"
        for i in ours if isinstance(i, dict)
    )
    plan.entries.append(Entry(municipality, DATES_DIFFER, label, f"Susa-navet: {_dates(data)}. Katalogen: {written}", known.name))


def _only_in_catalogue(catalogue: Catalogue, matched: set[str], plan: Plan) -> None:
    seen_ids = {e.file for e in plan.entries if e.file}
    for course in catalogue.courses:
        file = course.source.rsplit(":", 1)[0]
        if course.id in matched or (course.susa_id and file in seen_ids):
            continue
        why = ("importerad tidigare, men finns inte i de här svaren" if course.susa_id
               else "finns inte i Susa-navet – anmäl den dit via kommunens system, så hittar fler den")
        plan.entries.append(Entry(course.provider.id, ONLY_CATALOGUE, f"{course.name} ({course.location})", why, file))


def municipality_names(content: Path) -> dict[str, str]:
    """Municipality id -> name, in the file's order (the report's order)."""
    doc = load_yaml_file(content / "municipalities.yaml", content.resolve(), Report())
    return {m["id"]: m["name"] for m in (doc.data or []) if isinstance(m, dict) and "id" in m and "name" in m}


# --- the report --------------------------------------------------------------------------------

def _by_municipality(plan: Plan, names: dict[str, str]) -> list[tuple[str, dict[str, list[Entry]]]]:
    grouped: dict[str, dict[str, list[Entry]]] = {}
    for entry in plan.entries:
        grouped.setdefault(entry.municipality, {}).setdefault(entry.kind, []).append(entry)
    for municipality in plan.other_types:
        grouped.setdefault(municipality, {})
    order = list(names)
    return sorted(grouped.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


def summary(plan: Plan) -> str:
    count = lambda kind: sum(1 for e in plan.entries if e.kind == kind)  # noqa: E731
    return (
        f"{_events(plan.events)} lästa: {count(IMPORTED)} importerade, {count(UPDATED)} uppdaterade, "
        f"{count(UNCHANGED)} oförändrade, {count(KEPT)} ändrade för hand (inte överskrivna), "
        f"{count(SKIPPED)} inte importerade, {count(ONLY_CATALOGUE)} bara i katalogen, {count(DATES_DIFFER)} med olika datum."
    )


def _events(n: int) -> str:
    return f"{n} utbildningstillfälle" if n == 1 else f"{n} utbildningstillfällen"


def text_report(plan: Plan, names: dict[str, str]) -> str:
    """The report as the terminal shows it."""
    lines = ["Jämförelse mellan Susa-navet och katalogen", ""]
    for municipality, kinds in _by_municipality(plan, names):
        lines.append(names.get(municipality, municipality))
        for kind, heading in HEADINGS.items():
            entries = kinds.get(kind, [])
            if kind == UNCHANGED:
                if entries:
                    lines.append(f"  {heading}: {len(entries)}")
                continue
            if entries:
                lines.append(f"  {heading} ({len(entries)}):")
                lines += [f"    - {_line(e)}" for e in entries]
        if plan.other_types.get(municipality):
            lines.append(f"  Andra skolformer, inte yrkesutbildning inom komvux på gymnasial nivå: {plan.other_types[municipality]}")
        lines.append("")
    if plan.outside:
        lines += [f"{_events(plan.outside)} ges utanför Dalarnas 15 kommuner och hoppades över.", ""]
    lines.append(summary(plan))
    return "\n".join(lines) + "\n"


def _line(entry: Entry) -> str:
    parts = [entry.title]
    if entry.detail:
        parts.append(entry.detail)
    text = ": ".join(parts)
    return f"{text} [{entry.file}]" if entry.file else text


def github_report(plan: Plan, names: dict[str, str]) -> str:
    """One GitHub Actions annotation per course that needs a look (notices for what was written)."""
    level = {IMPORTED: "notice", UPDATED: "notice", KEPT: "warning", SKIPPED: "warning", ONLY_CATALOGUE: "notice",
             DATES_DIFFER: "warning"}
    lines = []
    for entry in plan.entries:
        if entry.kind == UNCHANGED:
            continue
        where = f" file={entry.file}" if entry.file else ""
        title = f"{HEADINGS[entry.kind]} – {names.get(entry.municipality, entry.municipality)}"
        message = f"{entry.title}: {entry.detail}" if entry.detail else entry.title
        lines.append(f"::{level[entry.kind]}{where}{',' if where else ' '}title={_escape(title, True)}::{_escape(message)}")
    lines.append(f"::notice title=Import från Susa-navet::{_escape(summary(plan))}")
    return "\n".join(lines) + "\n"


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def markdown_report(plan: Plan, names: dict[str, str], today: dt.date) -> str:
    """The report for the communications group, as Markdown."""
    lines = ["# Susa-navet och katalogen", "", f"Jämförelse gjord {today.isoformat()}. {summary(plan)}", ""]
    for municipality, kinds in _by_municipality(plan, names):
        lines += [f"## {names.get(municipality, municipality)}", ""]
        for kind, heading in HEADINGS.items():
            entries = kinds.get(kind, [])
            if not entries:
                continue
            if kind == UNCHANGED:
                lines += [f"{heading}: {len(entries)}.", ""]
                continue
            lines += [f"### {heading} ({len(entries)})", ""]
            lines += [f"- **{_md(e.title)}**" + (f": {_md(e.detail)}" if e.detail else "") + (f" (`{e.file}`)" if e.file else "")
                      for e in entries]
            lines.append("")
        if plan.other_types.get(municipality):
            lines += [f"Andra skolformer, inte yrkesutbildning inom komvux på gymnasial nivå: {plan.other_types[municipality]}.", ""]
    if plan.outside:
        lines += [f"{_events(plan.outside)} ges utanför Dalarnas 15 kommuner och är inte med.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return markdown_safe(text)
