"""Stage 2, validate: check all loaded content against the schemas and against each other.

The JSON Schemas in content/schemas/ are the single source of the rules for each file's shape;
their Swedish `errorMessage` texts are what editors see here and in their editor. What a schema
cannot say (references between files, date order, duplicates, invisible characters in any text,
where a web address really goes, 1.0 for a whole number) is checked below. Every problem
is reported, none stops the others.
"""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import fastjsonschema
from slugify import slugify

from .diagnostics import Report
from .load import Document, RawContent
from .markup import web_address_problem
from .model import ACROSS_COUNTY
from .vocabulary import Alias, Vocabulary, course_id, name_key

if TYPE_CHECKING:  # imported when a file fails its schema: clean content never needs it
    import jsonschema

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "content" / "schemas"

# Top-level folders of the site that a page from content/pages/ must not take ("pagefind": where
# earlier builds put their search index, which old deployments' caches may still ask for).
RESERVED_SLUGS = frozenset({
    "utbildningar", "omraden", "kommuner", "kontakt", "infobrev", "badge", "for-kommuner",
    "admin", "assets", "pagefind", "sok", "404", "index", "sitemap", "robots", "sista-ansokningsdag", "feed", "utbudet",
})
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_SLUG = 80

_GENERIC = {
    "type": "har fel typ",
    "enum": "har ett värde som inte är tillåtet",
    "pattern": "har fel form",
    "format": "har fel form",
    "minItems": "får inte vara en tom lista",
    "uniqueItems": "innehåller samma värde två gånger",
}


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """The JSON Schema for one kind of content file (course, site, municipalities, …).

    "course-entry" is a per-course file's: course.schema.json's course definition at the root
    (course-file.schema.json says the same for editors' IDEs, by a reference to the other file)."""
    if name == "course-entry":  # references inlined, so the schema stands on its own
        course = schema("course")
        return {"$schema": course["$schema"], **_inlined(course["definitions"]["course"], course["definitions"])}
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.Draft7Validator:
    """The reference validator: finds every error, with the path to each."""
    import jsonschema

    return jsonschema.Draft7Validator(schema(name), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def _fast_validator(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python code: 10x faster, but stops at the first error, so it
    only says yes or no; any no is explained by the reference validator. Its date format is the
    reference's (a real calendar date) and its other formats are at least as strict.

    "course-entry" is compiled without the rule for each intake, and "intake" is that rule: a
    per-course file passes when both say yes (see _passes)."""
    if name == "intake":
        entry = schema("course-entry")
        definition = {"$schema": entry["$schema"], **entry["properties"]["intakes"]["items"]}
    else:
        definition = schema(name)
    # On a copy: the compiler rewrites each $ref in what it is given (to an absolute address).
    definition = copy.deepcopy(definition)
    if name == "course-entry":
        definition["properties"]["intakes"]["items"] = {}  # any value; each is checked by "intake"
    # Without details the exceptions (which the intakes' oneOf raises for valid data too) cost less.
    return fastjsonschema.compile(definition, formats={"date": _is_date}, detailed_exceptions=False)


def _inlined(node: Any, definitions: dict) -> Any:
    """A copy of a schema with each {"$ref": "#/definitions/x"} replaced by the definition."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/definitions/"):
            return _inlined(definitions[ref.removeprefix("#/definitions/")], definitions)
        return {key: _inlined(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(item, definitions) for item in node]
    return node


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _passes(kind: str, data: Any) -> bool:
    """Whether data follows the schema of kind, by the compiled validators."""
    if not _compiled_passes(kind, data):
        return False
    intakes = data.get("intakes") if kind == "course-entry" and isinstance(data, dict) else None
    return all(map(_intake_passes, intakes)) if isinstance(intakes, list) else True  # "items" applies to lists only


def _compiled_passes(kind: str, data: Any) -> bool:
    try:
        _fast_validator(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


_SCALARS = (str, int, float, bool, type(None))


def _intake_passes(item: Any) -> bool:
    """The intake rule's verdict on one intake. Courses share their intakes (the same period, the
    same dates): a mapping of plain values is checked once, by its keys, values and their types
    (True and 1 are equal in Python but not in the schema)."""
    if isinstance(item, dict) and all(type(value) in _SCALARS for value in item.values()):
        return _plain_intake_passes(tuple((key, type(value), value) for key, value in item.items()))
    return _compiled_passes("intake", item)


@lru_cache(maxsize=4096)
def _plain_intake_passes(fields: tuple[tuple[str, type, Any], ...]) -> bool:
    return _compiled_passes("intake", {key: value for key, _, value in fields})


def validate(raw: RawContent, report: Report, today: dt.date | None = None) -> None:
    """Report every problem in the content; the caller stops if any is an error. The rules that
    depend on the date (continuous intakes) are checked only when today is given."""
    shared = validate_shared(raw, report)
    check_duplicates(validate_course_files(raw.courses, shared, report), report)
    if today is not None:
        check_continuous_intakes(raw.courses, today, report)


@dataclass(frozen=True)
class Shared:
    """What the course files are checked against: the ids in the shared files, and the names."""

    providers: dict[str, Any]
    areas: dict[str, Any]
    periods: dict[str, Any]
    vocabulary: Vocabulary
    places: frozenset[str] = frozenset()  # the names in orter.yaml; empty: not checked


@dataclass(frozen=True)
class CourseKey:
    """Where a course stands and the address it gets, for finding the same course twice."""

    ident: str
    file: str
    line: int
    source: str | None
    single: bool = False  # in a per-course file, whose name is the address
    name: str = ""  # the name as submitted
    alias: Alias | None = None  # the alias of names.yaml that gave it its canonical name, if one did


def validate_shared(raw: RawContent, report: Report) -> Shared:
    """Every file but the course files (raw.courses is not looked at)."""
    for doc, kind in _documents(raw):
        check_schema(doc, kind, report)
    ok = {id(doc) for doc, _ in _documents(raw) if _error_free(doc, report)}
    periods = _check_unique_ids(raw.site, ("application_periods",), "perioden", report)
    providers = _check_unique_ids(raw.municipalities, (), "kommunen", report)
    areas = _check_unique_ids(raw.areas, (), "området", report)
    if raw.site and id(raw.site) in ok:
        _check_periods(raw.site, report)
    vocabulary = Vocabulary.from_document(raw.names, report) if raw.names and id(raw.names) in ok else Vocabulary.empty()
    if raw.names and id(raw.names) in ok:
        _check_name_areas(raw.names, areas, report)
    _check_pages(raw.pages, report)
    _check_infobrev_names(raw.infobrev, report)
    for doc, _ in _documents(raw):
        check_text(doc, report)
    _check_web_addresses(raw, report)
    places = _check_places(raw.places, providers, report) if raw.places and id(raw.places) in ok else frozenset()
    return Shared(providers, areas, periods, vocabulary, places)


def validate_course_files(docs: Iterable[Document], shared: Shared, report: Report) -> list[CourseKey]:
    """Check course files against their schema and the shared files; the key of each course
    that passed its schema, in order, for check_duplicates (which needs every file's)."""
    keys: list[CourseKey] = []
    for doc in docs:
        if not doc.readable:
            broken = set()
        elif doc.single_course:
            broken = _check_single_shape(doc, report) or check_schema(doc, "course-entry", report)
        else:
            broken = check_schema(doc, "course", report)
        if doc.readable:
            check_text(doc, report)
        _check_course_file(doc, broken, shared, keys, report)
    return keys


def check_course_folders(folders: Iterable[str], used: set[str], providers: dict[str, Any], shown: str, report: Report) -> None:
    """A per-course folder must be named as a municipality's id. The files in a misnamed one are
    reported each (used: the folders that have files); an empty one is reported here (shown: how
    editors see the courses folder)."""
    for name in folders:
        if providers and name not in providers and name not in used:
            hint = _provider_hint(name, providers)
            report.error(f"{shown}/{name}", None, f"mappen hör inte till någon kommun i municipalities.yaml – mappen ska heta som kommunens id ({hint})")


def check_duplicates(keys: Iterable[CourseKey], report: Report) -> None:
    """The same course (the same address) twice: the later one is the error."""
    seen: dict[str, CourseKey] = {}
    for key in keys:
        if key.ident not in seen:
            seen[key.ident] = key
            continue
        first = seen[key.ident]
        alias = key.alias or first.alias
        where = f"samma utbildning finns redan i {first.file} på rad {first.line} (adressen /utbildningar/{key.ident}/)"
        if alias and name_key(key.name) != name_key(first.name):
            fix = (
                f"{_alias_cause(alias, first, key)}. Är de olika utbildningar: ta bort aliaset ur {Path(alias.file).name}, "
                f"eller ge båda ett eget id:, t.ex. id: {key.ident}-kvall. Är de samma: ta bort den ena"
            )
            report.error(key.file, key.line, f"{where} – {fix}", key.source)
            continue
        if key.single and first.single:
            fix = "en utbildning får bara ha en fil: ta bort den ena filen, eller byt namn på den (filnamnet är adressen)"
        elif key.single or first.single:
            fix = "en utbildning står antingen i kommunens lista eller i en egen fil, inte båda: ta bort den ena"
        else:
            fix = f"ta bort den ena, eller ge båda ett eget id:, t.ex. id: {key.ident}-kvall"
        report.error(key.file, key.line, f"{where} – {fix}", key.source)


def _alias_cause(alias: Alias, first: CourseKey, key: CourseKey) -> str:
    """Two differently named courses made the same by an alias of names.yaml, said where it stands."""
    return (
        f'"{first.name}" och "{key.name}" blir samma utbildning, "{alias.name}", för att "{alias.text}" står som '
        f"alias för det namnet i {alias.file} på rad {alias.line}"
    )


def _provider_hint(name: str, providers: dict[str, Any]) -> str:
    if name.lower() in providers:
        return f"skriv det med små bokstäver: {name.lower()}"
    return _suggest(name, providers, "kommunernas id är")


def _check_single_shape(doc: Document, report: Report) -> set:
    """A per-course file holds one course as fields, not a list: {None} when it does not."""
    if isinstance(doc.data, dict):
        return set()
    if doc.data is None:
        message = "filen är tom – skriv utbildningens fält i den, som name:, location: och area: (se docs/innehall.md)"
    elif isinstance(doc.data, list):
        message = (
            "filen ska innehålla en enda utbildning, skriven utan - först: ta bort \"- \" före name: och "
            "flytta in de andra fälten lika långt (flera utbildningar i en fil står i kommunens lista, t.ex. courses/"
            f"{doc.provider_id}.yaml)"
        )
    else:
        message = "filen ska innehålla en utbildning med fält som name:, location: och area: (se docs/innehall.md)"
    line = doc.line(())
    report.error(doc.name, line, message, doc.source(line))
    return {None}


def _documents(raw: RawContent) -> Iterable[tuple[Document, str]]:
    """The files validate_shared checks against their schema: all but the course files."""
    singles = [
        (raw.site, "site"), (raw.municipalities, "municipalities"), (raw.areas, "areas"), (raw.names, "names"),
        (raw.places, "orter"),
    ]
    for doc, kind in singles:
        if doc is not None and doc.readable:
            yield doc, kind
    yield from ((doc, "page") for doc in raw.pages if doc.readable)
    yield from ((doc, "infobrev") for doc in raw.infobrev if doc.readable)


def _error_free(doc: Document, report: Report) -> bool:
    return not any(d.file == doc.name and d.level == "error" for d in report.diagnostics)


# --- schema ----------------------------------------------------------------------------------

def check_schema(doc: Document, kind: str, report: Report) -> set:
    """Report each schema violation in Swedish, at the line of the value concerned.

    Returns the top-level keys or list indexes that have a problem.
    """
    data = doc.data if not (kind == "course" and doc.data is None) else []
    if _passes(kind, data):
        return set()
    broken = set()
    for error in _validator(kind).iter_errors(data):
        broken.add(error.absolute_path[0] if error.absolute_path else None)
        for line, message in _explain(error, doc):
            report.error(doc.name, line, message, doc.source(line))
    return broken


def _explain(error: jsonschema.ValidationError, doc: Document) -> list[tuple[int, str]]:
    path = tuple(error.absolute_path)
    instance = error.instance
    if error.validator == "required":
        return [
            (doc.line(path), f'fältet "{key}" saknas{_example(error.schema, key)}')
            for key in error.validator_value
            if isinstance(instance, dict) and key not in instance
        ]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        return [
            (doc.key_line(path + (key,)), f'okänt fält "{key}" – {_suggest(key, allowed, "tillåtna fält är")}')
            for key in instance if key not in allowed
        ]
    rule = error.schema.get("errorMessage") or _GENERIC.get(error.validator, "har fel värde")
    field = next((part for part in reversed(path) if isinstance(part, str)), None)
    if field is None or error.validator in ("oneOf", "anyOf", "allOf"):
        subject = "filen" if not path else ""
        return [(doc.line(path), f"{subject} {rule}".strip())]
    if isinstance(path[-1], int):
        return [(doc.line(path), f'fältet "{field}" innehåller {_shown(instance)}, som inte går – {rule}')]
    return [(doc.line(path), f'fältet "{field}" {rule}, fick {_shown(instance)}')]


def _example(schema_: dict, key: str) -> str:
    examples = schema_.get("properties", {}).get(key, {}).get("examples")
    if not examples:
        return ""
    example = examples[0]
    shown = f"[{', '.join(example)}]" if isinstance(example, list) else example
    return f" – lägg till t.ex. {key}: {shown}"


def _suggest(word: str, choices: Iterable[str], otherwise: str) -> str:
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f'menade du "{close[0]}"?'
    return f"{otherwise}: {', '.join(choices)}"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "…"
        return f'"{short}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "ett tomt värde"
    if isinstance(value, list):
        return "en lista" if value else "en tom lista"
    if isinstance(value, dict):
        return "flera fält"
    return str(value)


# --- references between files ---------------------------------------------------------------

def _check_unique_ids(doc: Document | None, path: tuple, what: str, report: Report) -> dict[str, Any]:
    """Ids of the entries at path in doc, reporting ids that appear twice."""
    items = _at(doc.data, path) if doc and doc.readable else None
    found: dict[str, Any] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in found:
            line = doc.line(path + (i, "id"))
            report.error(doc.name, line, f'{what} "{ident}" finns två gånger – varje id får bara finnas en gång', doc.source(line))
        else:
            found[ident] = item
    return found


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _check_periods(doc: Document, report: Report) -> None:
    for i, period in enumerate(doc.data["application_periods"]):
        opens, closes, starts = _date(period["opens"]), _date(period["closes"]), _date(period.get("starts"))
        if opens and closes and closes < opens:
            line = doc.line(("application_periods", i, "closes"))
            report.error(doc.name, line, f"perioden slutar ({closes}) innan den öppnar ({opens}) – byt plats på datumen", doc.source(line))
        if starts and closes and starts <= closes:
            line = doc.line(("application_periods", i, "starts"))
            report.error(doc.name, line, f"kursstarten ({starts}) måste vara efter sista ansökningsdag ({closes})", doc.source(line))


def _check_name_areas(doc: Document, areas: dict, report: Report) -> None:
    for i, entry in enumerate(doc.data or []):
        area = entry.get("area")
        if area is not None and areas and area not in areas:
            line = doc.line((i, "area"))
            report.error(doc.name, line, f'området "{area}" finns inte i areas.yaml – {_suggest(area, areas, "områdena är")}', doc.source(line))


def _check_course_file(doc: Document, broken: set, shared: Shared, keys: list[CourseKey], report: Report) -> None:
    provider_id = doc.provider_id
    if shared.providers and provider_id not in shared.providers:
        hint = _provider_hint(provider_id, shared.providers)
        if doc.single_course:
            report.error(doc.name, None, f"mappen {provider_id}/ hör inte till någon kommun i municipalities.yaml – mappen ska heta som kommunens id ({hint})")
        else:
            report.error(doc.name, None, f"filen hör inte till någon kommun i municipalities.yaml – filnamnet ska vara kommunens id ({hint})")
        return
    if doc.single_course and not _check_course_file_name(doc, report):
        return
    if not doc.readable:
        return
    for prefix, course in doc.course_entries():
        _check_course(doc, prefix, course, shared.areas, shared.periods, report)
        _check_location(doc, prefix, course, shared.places, report)
        line = doc.line(prefix)
        if doc.single_course and not broken:
            keys.append(CourseKey(doc.stem, doc.name, line, doc.source(line), single=True))
        elif not doc.single_course and prefix[0] not in broken:
            ident = course.get("id") or course_id(shared.vocabulary.canonical(course["name"]), provider_id, course["location"])
            alias = None if course.get("id") else shared.vocabulary.alias(course["name"])
            keys.append(CourseKey(ident, doc.name, line, doc.source(line), name=" ".join(course["name"].split()), alias=alias))


COURSE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _check_course_file_name(doc: Document, report: Report) -> bool:
    """A per-course file's name is the course's address: plain, and the same as an id: in it."""
    stem = doc.stem
    if not COURSE_ID.fullmatch(stem) or len(stem) > 80:
        suggestion = slugify(stem, max_length=80, word_boundary=True) or "svetsare-falun"
        report.error(
            doc.name, None,
            f'filnamnet "{stem}" blir utbildningens adress (/utbildningar/{stem}/) och får bara ha små bokstäver a–z, '
            f"siffror och bindestreck (högst 80 tecken) – byt namn på filen, till exempel till {suggestion}.yaml",
        )
        return False
    ident = doc.data.get("id") if doc.readable and isinstance(doc.data, dict) else None
    if isinstance(ident, str) and ident != stem:
        line = doc.line(("id",))
        report.error(
            doc.name, line,
            f'id: "{ident}" är inte samma som filnamnet ({stem}) – filnamnet är utbildningens adress: '
            f"ta bort raden id:, eller byt namn på filen till {ident}.yaml",
            doc.source(line),
        )
        return False
    return True


def _check_course(doc: Document, prefix: tuple, course: dict, areas: dict, periods: dict, report: Report) -> None:
    for field in INTEGER_FIELDS:
        value = course.get(field)
        if isinstance(value, float) and value.is_integer():  # draft 7 counts 1.0 as an integer
            line = doc.line(prefix + (field,))
            report.error(
                doc.name, line, f'fältet "{field}" måste vara ett heltal utan decimaler – skriv {int(value)} i stället för {value}',
                doc.source(line),
            )
    _check_address(doc, prefix + ("apply_url",), course.get("apply_url"), report)
    area = course.get("area")
    if isinstance(area, str) and areas and area not in areas:
        line = doc.line(prefix + ("area",))
        report.error(doc.name, line, f'området "{area}" finns inte i areas.yaml – {_suggest(area, areas, "områdena är")}', doc.source(line))
    intakes = course.get("intakes")
    for j, intake in enumerate(intakes if isinstance(intakes, list) else []):
        if isinstance(intake, dict):
            _check_intake(doc, prefix + ("intakes", j), intake, periods, report)


def _check_places(doc: Document, providers: dict, report: Report) -> frozenset[str]:
    """orter.yaml: each place once, in a municipality that exists, and one main town for each
    municipality. The names of its places."""
    names: dict[str, int] = {}
    main_towns: dict[str, list[str]] = {}
    for i, place in enumerate(doc.data or []):
        name, municipality = " ".join(place["name"].split()), place["municipality"]
        line = doc.line((i, "name"))
        if name in names:
            report.error(doc.name, line, f'orten "{name}" står redan på rad {names[name]} – ta bort den ena', doc.source(line))
        names.setdefault(name, line)
        if providers and municipality not in providers:
            at = doc.line((i, "municipality"))
            hint = _suggest(municipality, providers, "kommunernas id är")
            report.error(doc.name, at, f'kommunen "{municipality}" finns inte i municipalities.yaml – {hint}', doc.source(at))
        if place.get("main_town"):
            main_towns.setdefault(municipality, []).append(name)
    for municipality in providers:
        towns = main_towns.get(municipality, [])
        if len(towns) != 1:
            found = "ingen centralort" if not towns else f"{len(towns)} centralorter ({', '.join(towns)})"
            report.error(
                doc.name, None,
                f'kommunen "{municipality}" har {found} – skriv main_town: true under precis en av kommunens orter',
            )
    return frozenset(names)


def _check_location(doc: Document, prefix: tuple, course: dict, places: frozenset[str], report: Report) -> None:
    """A place without coordinates: the course is still published, but "Nära" cannot place it."""
    location = course.get("location")
    if not places or not isinstance(location, str):
        return
    location = " ".join(location.split())
    if location and location != ACROSS_COUNTY and location not in places:
        line = doc.line(prefix + ("location",))
        close = difflib.get_close_matches(location, sorted(places), n=1, cutoff=0.75)
        hint = f' (menade du "{close[0]}"?)' if close else ""
        report.warning(
            doc.name, line,
            f'orten "{location}" finns inte i orter.yaml{hint} – lägg till den där med koordinater (lat och lon), '
            "annars visas utbildningen inte när någon söker utbildningar nära en kommun",
            doc.source(line),
        )


def _check_intake(doc: Document, path: tuple, intake: dict, periods: dict, report: Report) -> None:
    start = _date(intake.get("start"))
    period_id = intake.get("period")
    if isinstance(period_id, str) and period_id not in periods:
        line = doc.line(path + ("period",))
        hint = _suggest(period_id, periods, "perioderna är") if periods else "det finns inga perioder i site.yaml"
        report.error(doc.name, line, f'ansökningsperioden "{period_id}" finns inte i site.yaml – {hint}', doc.source(line))
        return
    apply_by = _date(periods[period_id].get("closes") if isinstance(period_id, str) else intake.get("apply_by"))
    if start and apply_by and start < apply_by:
        line = doc.line(path + ("start",))
        report.error(
            doc.name, line,
            f"starten {start} är före sista ansökningsdag {apply_by} – sista ansökningsdag måste komma före starten",
            doc.source(line),
        )


CONTINUOUS_MONTHS = 12  # a continuous intake is open at most this long ahead, so it cannot linger


def check_continuous_intakes(docs: Iterable[Document], today: dt.date, report: Report) -> None:
    """A continuous intake (löpande) must end within CONTINUOUS_MONTHS of today: its apply_by is
    the last day it is offered, and a date years ahead would keep it on the site unchecked."""
    limit = _months_after(today, CONTINUOUS_MONTHS)
    for doc in docs:
        for prefix, course in doc.course_entries() if doc.readable else ():
            intakes = course.get("intakes")
            for j, intake in enumerate(intakes if isinstance(intakes, list) else []):
                if not (isinstance(intake, dict) and intake.get("continuous") is True):
                    continue
                apply_by = _date(intake.get("apply_by"))
                if apply_by and apply_by > limit:
                    line = doc.line(prefix + ("intakes", j, "apply_by"))
                    report.error(
                        doc.name, line,
                        f"en löpande start får vara öppen högst {CONTINUOUS_MONTHS} månader fram, till och med {limit} "
                        f"– ändra apply_by ({apply_by}) och förläng den igen när det närmar sig",
                        doc.source(line),
                    )


def _months_after(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    for last in (31, 30, 29, 28):  # the same day of the month, or the month's last day
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_infobrev_names(issues: tuple[Document, ...], report: Report) -> None:
    """The file name becomes the issue's address, which is pasted into e-mails: keep it plain."""
    for doc in issues:
        stem = doc.stem
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem):
            suggestion = slugify(stem) or "2026-11-20-novemberbrev"
            report.error(
                doc.name, 1,
                f'filnamnet "{stem}" blir brevets adress och får bara ha små bokstäver a–z, siffror och bindestreck '
                f"– byt namn på filen, till exempel till {suggestion}.md",
            )


def _check_pages(pages: tuple[Document, ...], report: Report) -> None:
    seen: dict[str, Document] = {}
    for doc in pages:
        if not doc.readable or not isinstance(doc.data, dict):
            continue
        slug = doc.data.get("slug") or doc.stem
        if not isinstance(slug, str) or not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
            if "slug" not in doc.data:
                suggestion = slugify(slug, max_length=MAX_SLUG) or "om-oss"
                report.error(
                    doc.name, 1,
                    f'filnamnet "{slug}" blir sidans adress och får bara ha små bokstäver a–z, siffror och bindestreck '
                    f"(högst {MAX_SLUG} tecken) – byt namn på filen, till exempel till {suggestion}.md, eller ange slug:",
                )
        elif slug in RESERVED_SLUGS:
            report.error(doc.name, 1, f'sidans adress /{slug}/ används redan av webbplatsen – byt namn på filen eller ange slug:')
        elif slug in seen:
            report.error(doc.name, 1, f"sidans adress /{slug}/ används redan av {seen[slug].name} – ange en annan slug:")
        else:
            seen[slug] = doc


# --- characters and values the schema cannot see ----------------------------------------------

INTEGER_FIELDS = tuple(
    name for name, spec in schema("course")["definitions"]["course"]["properties"].items() if spec.get("type") == "integer"
)
# Characters no text may hold: C0 and C1 control characters but tab, line feed and (in Markdown
# files, whose lines may end in CR LF) carriage return; bidi embeddings, overrides and isolates
# (they can make text read in another order than it is written); noncharacters and surrogates.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_UNSAFE_IN_VALUE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff{_NONCHARACTERS}]")
_UNSAFE_IN_BODY = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff{_NONCHARACTERS}]")
_UNSAFE_IN_FILE = _UNSAFE_IN_BODY  # a file's CR LF line ends reach no YAML value: they need no walk
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$")


def check_text(doc: Document, report: Report) -> None:
    """Refuse control characters, bidi controls and noncharacters in every text of a file.

    YAML can only produce them from escapes ("\\u202e") or the characters themselves, so a file
    with neither a backslash nor such a character is not walked value by value."""
    if isinstance(doc.data, (dict, list)) and ("\\" in doc.text or _first_unsafe(doc.text, _UNSAFE_IN_FILE)):
        for path, value in _strings(doc.data, ()):
            found = _UNSAFE_IN_VALUE.search(value)
            if found:
                line = _line_in_value(doc, path, value, found.start())
                field = next((part for part in reversed(path) if isinstance(part, str)), None)
                subject = f'fältet "{field}"' if field else "texten"
                report.error(doc.name, line, f"{subject} {_character_problem(found.group())}", doc.source(line))
    found = _first_unsafe(doc.body, _UNSAFE_IN_BODY) if doc.body else None
    if found:
        line = doc.body_line + doc.body.count("\n", 0, found.start())
        report.error(doc.name, line, f"texten {_character_problem(found.group())}", doc.source(line))


def _first_unsafe(text: str, unsafe: re.Pattern) -> re.Match | None:
    """unsafe.search(text). Every character unsafe looks for is one Python does not count as
    printable, and str.isprintable looks at a text a dozen times faster than the regex: the
    regex only runs on a text with a tab, a CR or a rarer character (such as a soft hyphen)."""
    return None if text.replace("\n", "").isprintable() else unsafe.search(text)


def _strings(data: Any, path: tuple) -> Iterable[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, path + (i,))


def _line_in_value(doc: Document, path: tuple, value: str, offset: int) -> int:
    """The line of a character in a value: inside a block of text (after | or >), counted from it."""
    line = doc.line(path)
    if _BLOCK_SCALAR.search(doc.source(line) or ""):
        return line + 1 + value.count("\n", 0, offset)
    return line


def _character_problem(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        return (f"innehåller ett osynligt tecken som vänder textens riktning ({code}) – ta bort det: "
                "det kan få texten att visas i en annan ordning än den är skriven")
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return (f"innehåller ett osynligt styrtecken ({code}) – ta bort det (sådana tecken följer ofta med "
                "när text klistras in från ett annat program)")
    return f"innehåller ett tecken som inte får finnas i text ({code}) – ta bort det"


def _check_web_addresses(raw: RawContent, report: Report) -> None:
    """The site's and the municipalities' addresses (courses' apply_url: _check_course)."""
    if raw.site and raw.site.readable and isinstance(raw.site.data, dict):
        _check_address(raw.site, ("base_url",), raw.site.data.get("base_url"), report)
    doc = raw.municipalities
    if doc and doc.readable and isinstance(doc.data, list):
        for i, item in enumerate(doc.data):
            for field in ("url", "apply_url"):
                if isinstance(item, dict):
                    _check_address(doc, (i, field), item.get(field), report)


_WEB_ADDRESS = re.compile(schema("course")["definitions"]["course"]["properties"]["apply_url"]["pattern"])


def _check_address(doc: Document, path: tuple, value: Any, report: Report) -> None:
    """A web address the schema let through (https://…): no name before @, no private host."""
    if not isinstance(value, str) or not _WEB_ADDRESS.match(value):
        return  # the schema says what is wrong
    problem = web_address_problem(value)
    if problem:
        line = doc.line(path)
        report.error(doc.name, line, f'fältet "{path[-1]}" går inte att använda: {problem}', doc.source(line))
