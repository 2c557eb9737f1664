"""Stage 4, render: the catalogue as files (HTML pages, data exports, assets), in memory.

Templates receive the frozen types from model.py. StrictUndefined makes a template that asks
for something missing fail the build loudly instead of printing an empty string.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import exports
from .assets import AssetFile, collect_assets
from .finder import card_data, default_order, finder_options
from .model import Catalogue, Course
from .swedish import MONTHS, pace_label


@dataclass(frozen=True)
class Output:
    """Where the site goes: templates and assets in, the site's files out."""

    templates: Path
    assets: Path


def render_site(catalogue: Catalogue, output: Output) -> dict[str, bytes]:
    """Every file of the site, keyed by its path in the site."""
    assets = collect_assets(output.assets)
    env = make_environment(output.templates, catalogue, assets)
    files: dict[str, bytes] = {a.output: a.data for a in assets.values()}
    for path, template, context in _pages(catalogue):
        html = env.get_template(template).render(path=path, **context)
        files[file_for(path)] = html.encode("utf-8")
    files.update(exports.render_exports(catalogue))
    return files


def make_environment(templates: Path, catalogue: Catalogue, assets: dict[str, AssetFile]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(date_sv=date_sv, date_range=date_range, pace_label=pace_label, length_label=length_label)
    env.globals.update(
        site=catalogue.site,
        catalogue=catalogue,
        today=catalogue.today,
        asset=_asset_url(assets),
        absolute=lambda path: catalogue.site.base_url + path,
        current_period=current_period(catalogue),
        also_called=_also_called(catalogue),
        card_data=lambda course: card_data(course, catalogue.today),
    )
    return env


def _asset_url(assets: dict[str, AssetFile]) -> Callable[[str], str]:
    def asset(source: str) -> str:
        return "/" + assets[source].output  # KeyError names a missing asset: fail loudly
    return asset


def _also_called(catalogue: Catalogue) -> Callable[[Course], tuple[str, ...]]:
    """The other names of a course (aliases of its canonical name), for the search index."""
    aliases = {entry.name: entry.aliases for entry in catalogue.vocabulary}

    def also_called(course: Course) -> tuple[str, ...]:
        return tuple(a for a in aliases.get(course.name, ()) if a != course.local_name)
    return also_called


def file_for(path: str) -> str:
    return path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/")


def _pages(c: Catalogue) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(site path, template, context) for every HTML page."""
    areas = [(a, default_order(c.courses_in_area(a))) for a in c.areas if c.courses_in_area(a)]
    yield "/", "index.html", {"areas": areas, "finder": finder_options(c)}
    for course in c.courses:
        yield course.path, "course.html", {"course": course}
    yield "/omraden/", "areas.html", {"areas": [(a, c.courses_in_area(a)) for a in c.areas]}
    for area in c.areas:
        yield area.path, "area.html", {"area": area, "courses": _by_title(c.courses_in_area(area))}
    yield "/kommuner/", "providers.html", {"providers": [(p, c.courses_by(p)) for p in c.providers]}
    for provider in c.providers:
        yield provider.path, "provider.html", {"provider": provider, "courses": _by_title(c.courses_by(provider))}
    yield "/kontakt/", "contact.html", {}
    for page in c.pages:
        yield page.path, "page.html", {"page": page}
    yield "/404.html", "404.html", {}


def _by_title(courses: tuple[Course, ...]) -> list[Course]:
    return sorted(courses, key=lambda course: (course.title, course.id))


def current_period(c: Catalogue):
    """The common application period open today, else the next one to open, else None."""
    upcoming = [p for p in c.site.periods if p.closes >= c.today]
    return min(upcoming, key=lambda p: (p.opens, p.id)) if upcoming else None


# --- filters ---------------------------------------------------------------------------------

def date_sv(day: dt.date) -> str:
    """'15 januari 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_range(first: dt.date, last: dt.date) -> str:
    """'1–31 oktober 2026', '15 november–15 december 2026', '20 december 2026–15 januari 2027'."""
    if first.year != last.year:
        return f"{date_sv(first)}–{date_sv(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]}–{date_sv(last)}"
    return f"{first.day}–{date_sv(last)}"


def length_label(course: Course) -> str:
    parts = []
    if course.weeks:
        parts.append(f"{course.weeks} {'vecka' if course.weeks == 1 else 'veckor'}")
    if course.points:
        parts.append(f"{course.points} poäng")
    return ", ".join(parts)
