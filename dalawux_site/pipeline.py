"""The build as one pipeline: load → validate → normalise → render → write.

Nothing is written until the whole site is known to be consistent.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .load import RawContent, load_content
from .model import Catalogue
from .normalise import normalise
from .render import Output, file_for, render_site
from .search_index import build_search_index
from .validate import validate
from .write import write_site

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = Output(templates=ROOT / "templates", assets=ROOT / "assets", vendor=ROOT / "vendor")


@dataclass(frozen=True)
class Result:
    """What a run produced: the catalogue (None on errors) and every problem found."""

    catalogue: Catalogue | None
    report: Report
    files: dict[str, bytes] | None = None
    raw: RawContent | None = None  # the content as loaded, for the dev server's quick path


def check(content: Path, today: dt.date, base_url: str | None = None) -> Result:
    """Load, validate and normalise; write nothing."""
    report = Report()
    raw = load_content(content, report)
    validate(raw, report)
    if report.errors:
        return Result(None, report, raw=raw)
    catalogue = normalise(raw, today, report)
    if base_url:
        catalogue = dataclasses.replace(catalogue, site=dataclasses.replace(catalogue.site, base_url=base_url.rstrip("/")))
    return Result(catalogue, report, raw=raw)


def render(content: Path, today: dt.date, base_url: str | None = None, output: Output = DEFAULT_OUTPUT) -> Result:
    """Everything but the write: the site's files, search index included, in memory."""
    result = _render_pages(content, today, base_url, output)
    if result.files is None:
        return result
    result.files.update(build_search_index(_course_pages(result.catalogue, result.files)))
    return result


def _render_pages(content: Path, today: dt.date, base_url: str | None, output: Output) -> Result:
    result = check(content, today, base_url)
    if result.catalogue is None:
        return result
    return dataclasses.replace(result, files=render_site(result.catalogue, output))


def _course_pages(catalogue: Catalogue, files: dict[str, bytes]) -> dict[str, bytes]:
    """What the search index is made of: the rendered course pages, by site path."""
    return {course.path: files[file_for(course.path)] for course in catalogue.courses}


def build(content: Path, out: Path, today: dt.date, base_url: str | None = None, output: Output = DEFAULT_OUTPUT) -> Result:
    """The whole build; out is replaced only when there is no error.

    Pagefind (its own process) indexes while the pages are being written; its files join the staging
    folder before it is swapped into place, so the result is the same as writing render()'s files.
    """
    result = _render_pages(content, today, base_url, output)
    if result.files is None:
        return result
    with ThreadPoolExecutor(max_workers=1) as pool:
        index = pool.submit(build_search_index, _course_pages(result.catalogue, result.files))
        write_site(result.files, out, late=index.result)
    result.files.update(index.result())
    return result
