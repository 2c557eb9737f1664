"""Read saved responses of Skolverket's Susa-navet API (EMIL 3 as JSON) into plain records.

The API's list responses (`educationEvents`, `educationInfos`, `educationProviders`, each paged)
wrap every document as {"id", "status", "content"}. Real data is messy, so nothing here trusts a
value it has not checked: titles may be wrapped in <![CDATA[…]]> or hold HTML, far-future dates
such as 2099-12-31 stand for "no date" (continuous admission), and any field may be missing.
Values that cannot be read become None; deciding what that means is import_susa's job.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import nh3

LIST_KINDS = ("educationEvents", "educationInfos", "educationProviders")
PLACEHOLDER_YEAR = 2090  # dates from this year on are placeholders ("no end"), never real dates
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_BLOCK_END = re.compile(r"(?i)<\s*(br|/p|/div|/li|/h[1-6])\s*/?\s*>")


class NotAResponse(Exception):
    """A file that is not a saved Susa-navet list response; the message is Swedish and names it."""


@dataclass(frozen=True)
class Location:
    town: str | None
    area_code: str | None  # the municipality code, e.g. "2062" for Mora


@dataclass(frozen=True)
class Event:
    """One education event (utbildningstillfälle): a course offered at a place and time."""

    identifier: str
    education: str | None  # the EducationInfo's identifier
    providers: tuple[str, ...]
    title: str | None
    description: str | None
    locations: tuple[Location, ...]
    start: dt.date | None
    end: dt.date | None
    condition: str | None  # execution.condition.code, "0"–"3"
    application_first: dt.date | None
    application_last: dt.date | None
    application_url: str | None
    continuous: bool  # application.continuous, or a placeholder last application day
    pace: int | None  # percent
    distance: bool
    apprenticeship: bool
    cancelled: bool
    places: int | None
    languages: tuple[str, ...]
    expires: dt.date | None
    last_edited: str | None
    source: str  # "file.json" where it was read


@dataclass(frozen=True)
class Info:
    """An education info: what the course is, shared by its events."""

    identifier: str
    title: str | None
    school_type: str | None  # e.g. "VUXGY"
    vocational: bool | None
    points: int | None  # upper-secondary credits (system "gy")
    weeks: int | None
    eligibility: str | None
    description: str | None
    student_aid: str | None  # eligibleForStudentAid.code: "ja", "nej", "saknas", "A 1", …


@dataclass(frozen=True)
class Provider:
    identifier: str
    name: str | None
    url: str | None
    area_codes: tuple[str, ...] = ()  # of its visiting and contact addresses


@dataclass(frozen=True)
class Responses:
    """Everything read from the saved responses, by identifier."""

    events: dict[str, Event]
    infos: dict[str, Info]
    providers: dict[str, Provider]


def read_responses(paths: Iterable[Path]) -> Responses:
    """Read every file; NotAResponse for the first that is not a list response (nothing is kept)."""
    events: dict[str, Event] = {}
    infos: dict[str, Info] = {}
    providers: dict[str, Provider] = {}
    for path in paths:
        for kind, content in _documents(Path(path)):
            if kind == "educationEvents":
                event = _event(content, Path(path).name)
                events[event.identifier] = event
            elif kind == "educationInfos":
                info = _info(content)
                infos[info.identifier] = info
            else:
                provider = _provider(content)
                providers[provider.identifier] = provider
    return Responses(events, infos, providers)


def _documents(path: Path) -> list[tuple[str, dict]]:
    """The (kind, content) of each document of one list response."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise NotAResponse(f"{path}: filen kan inte läsas ({problem.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NotAResponse(f"{path}: filen är inte JSON – spara svaret från Susa-navets API som det är") from None
    kinds = [kind for kind in LIST_KINDS if isinstance(data, dict) and isinstance(data.get(kind), list)]
    if len(kinds) != 1 or not isinstance(data.get("page", {}), dict):
        raise NotAResponse(
            f"{path}: filen är inget svar från Susa-navet – den ska ha en lista educationEvents, educationInfos "
            "eller educationProviders (och page)"
        )
    found = []
    for i, item in enumerate(data[kinds[0]]):
        content = item.get("content") if isinstance(item, dict) else None
        if content is None and isinstance(item, dict) and "id" in item:
            continue  # a removed document (updatedSince) keeps its id, without content
        if not isinstance(content, dict) or not isinstance(content.get("identifier"), str):
            raise NotAResponse(f"{path}: post {i + 1} i {kinds[0]} har ingen content med identifier – är filen ändrad för hand?")
        found.append((kinds[0], content))
    return found


# --- the three kinds ---------------------------------------------------------------------------

def _event(c: dict, source: str) -> Event:
    execution = _dict(c.get("execution"))
    application = _dict(c.get("application"))
    last = _date(application.get("last"))
    return Event(
        identifier=c["identifier"],
        education=_str(c.get("education")),
        providers=tuple(p for p in _list(c.get("providers")) if isinstance(p, str)),
        title=lang_string(c.get("title"), one_line=True),
        description=lang_string(c.get("description")),
        locations=tuple(Location(_str(a.get("town")), _str(a.get("areaCode"))) for a in _list(c.get("locations")) if isinstance(a, dict)),
        start=_real(_date(execution.get("start"))),
        end=_real(_date(execution.get("end"))),
        condition=_str(_dict(execution.get("condition")).get("code")),
        application_first=_real(_date(application.get("first"))),
        application_last=_real(last),
        application_url=lang_url(application.get("url")),
        continuous=application.get("continuous") is True or (last is not None and _real(last) is None),
        pace=_percent(_dict(c.get("paceOfStudy")).get("percentage")),
        distance=isinstance(c.get("distance"), dict),
        apprenticeship=c.get("isApprenticeship") is True,
        cancelled=c.get("isCancelled") is True,
        places=_positive_int(c.get("places")),
        languages=tuple(x.strip().lower() for x in _list(c.get("languageOfInstructions")) if isinstance(x, str) and x.strip()),
        expires=_real(_date(c.get("expires"))),
        last_edited=_str(c.get("lastEdited")),
        source=source,
    )


def _info(c: dict) -> Info:
    credits = _dict(c.get("credits"))
    extent = _dict(c.get("extent"))
    gy = _dict(credits.get("system")).get("code") == "gy"
    weeks = _dict(extent.get("unit")).get("code") == "weeks"
    return Info(
        identifier=c["identifier"],
        title=lang_string(c.get("title"), one_line=True),
        school_type=_str(_dict(c.get("type")).get("code")),
        vocational=c.get("isVocational") if isinstance(c.get("isVocational"), bool) else None,
        points=_positive_int(credits.get("credits")) if gy else None,
        weeks=_positive_int(extent.get("length")) if weeks else None,
        eligibility=lang_string(c.get("eligibility")),
        description=lang_string(c.get("description")),
        student_aid=_str(_dict(c.get("eligibleForStudentAid")).get("code")),
    )


def _provider(c: dict) -> Provider:
    addresses = [a for a in [*_list(c.get("visitAddresses")), c.get("contactAddress")] if isinstance(a, dict)]
    codes = tuple(dict.fromkeys(code for code in (_str(a.get("areaCode")) for a in addresses) if code))
    return Provider(c["identifier"], lang_string(c.get("name"), one_line=True), lang_url(c.get("url")), codes)


# --- values ------------------------------------------------------------------------------------

def lang_string(value: Any, one_line: bool = False) -> str | None:
    """The Swedish text of a LangString (else the first), as plain text: CDATA unwrapped, tags
    removed, entities read, spaces tidied; paragraphs kept unless one_line."""
    strings = [s for s in _list(_dict(value).get("strings")) if isinstance(s, dict)]
    texts = [(s.get("lang") or "", s.get("content") if isinstance(s.get("content"), str) else s.get("value")) for s in strings]
    texts = [(lang.lower(), text) for lang, text in texts if isinstance(text, str) and text.strip()]
    if not texts:
        return None
    chosen = next((text for lang, text in texts if lang in ("swe", "sv", "sv-se")), texts[0][1])
    return plain_text(chosen, one_line) or None


def plain_text(text: str, one_line: bool = False) -> str:
    text = _CDATA.sub(lambda m: m.group(1), text)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(nh3.clean(text, tags=set()))  # nh3 drops every tag and keeps the text
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
    paragraphs = [p for p in paragraphs if p]
    return " ".join(paragraphs) if one_line else "\n\n".join(paragraphs)


def lang_url(value: Any) -> str | None:
    urls = [u for u in _list(_dict(value).get("urls")) if isinstance(u, dict) and isinstance(u.get("value"), str)]
    chosen = next((u["value"] for u in urls if (u.get("lang") or "").lower() in ("swe", "sv")), urls[0]["value"] if urls else None)
    return chosen.strip() if chosen and chosen.strip() else None


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _real(day: dt.date | None) -> dt.date | None:
    """None for a placeholder date such as 2099-12-31."""
    return day if day is not None and day.year < PLACEHOLDER_YEAR else None


def _percent(value: Any) -> int | None:
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
        return None
    return round(value)


def _positive_int(value: Any) -> int | None:
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or value != int(value):
        return None
    return int(value)


def _number(value: Any) -> Any:
    """A number written as text ("100", "37,5") read as one; anything else as it is."""
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return value


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
