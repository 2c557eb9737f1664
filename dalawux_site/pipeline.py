"""The build as one pipeline: load → validate → normalise → render → search index → write.

Nothing is written until the whole site is known to be consistent.
"""
from __future__ import annotations

import ctypes
import dataclasses
import gc
import datetime as dt
import logging
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import parallel
from .charts import Drawing
from .diagnostics import Report
from .finder import finder_parts
from .figures import charted
from .load import Document, RawContent, course_files, course_folders, display_name, load_course_files, load_shared
from .model import Catalogue, Course
from .normalise import Basis, assemble, normalise_courses, normalise_shared
from .render import Output, render_site
from .validate import (
    CourseKey, Shared, check_continuous_intakes, check_course_folders, check_duplicates, validate_course_files, validate_shared,
)
from .write import guard_output, remove_leftovers, staging, write_files

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = Output(templates=ROOT / "templates", assets=ROOT / "assets", vendor=ROOT / "vendor")


@dataclass(frozen=True)
class Result:
    """What a run produced: the catalogue (None on errors) and every problem found."""

    catalogue: Catalogue | None
    report: Report
    written: tuple[str, ...] | None = None  # the site's files, as paths in the site
    files: dict[str, bytes] | None = None  # and their bytes, from render() only
    raw: RawContent | None = None  # the content as loaded, for the dev server's quick path

    @property
    def pages(self) -> int:
        return sum(1 for name in self.written or () if name.endswith(".html"))


def check(content: Path, today: dt.date, base_url: str | None = None, keep_raw: bool = True) -> Result:
    """Load, validate and normalise; write nothing.

    The shared files (site, municipalities, areas, names, pages) are read and checked first. The
    course files then go through load → validate → normalise in shares, one per core (for over
    1 MB of them), each in a forked process that sends back only its courses and messages; the
    same course twice is looked for across all of them. Nothing is normalised into the catalogue
    when any file has an error, and then only the errors' messages (and load's and validate's
    warnings) are reported, as if normalise had not run. keep_raw=False: the result's raw holds
    no course files (they are not sent back from the shares).
    """
    report = Report()
    with without_cycle_collection():
        raw = load_shared(content, report)
        paths = course_files(raw.root, report)
        shared = validate_shared(raw, report)
        courses = raw.root / "courses"
        used = {path.parent.name for path in paths if path.parent != courses}
        check_course_folders(course_folders(raw.root), used, shared.providers, display_name(courses, raw.root), report)
        basis = normalise_shared(raw) if not report.errors else None
        sizes = {path: path.stat().st_size for path in paths}
        total = sum(sizes.values())
        parts = max(parallel.cores() if total >= PARALLEL_FROM_BYTES else 1, -(-total // SHARE_BYTES))
        shares = parallel.split(paths, sizes.__getitem__, parts)
        docs, keys, courses, warnings = {}, {}, [], []
        for share in parallel.forked_map(lambda share: _course_files(share, raw.root, shared, basis, today, keep_raw), shares):
            docs.update(share.docs)
            keys.update(share.keys)
            courses += share.courses
            report.diagnostics.extend(share.checked)
            warnings += share.normalised
        check_duplicates([key for path in paths for key in keys[path]], report)
        raw = dataclasses.replace(raw, courses=tuple(docs[path] for path in paths if path in docs))
        if report.errors:
            return Result(None, report, raw=raw)
        report.diagnostics.extend(warnings)
        catalogue = assemble(raw, basis, courses, today, report)
    if base_url:
        catalogue = dataclasses.replace(catalogue, site=dataclasses.replace(catalogue.site, base_url=base_url.rstrip("/")))
    return Result(catalogue, report, raw=raw)


PARALLEL_FROM_BYTES = 1024 * 1024  # of course files; below this, a forked process costs more than it saves
SHARE_BYTES = 8 * 1024 * 1024  # of course files at most per share: a share's memory grows with it


@dataclass
class _Share:
    """What one share of the course files gives back."""

    docs: dict[Path, Document]  # empty unless asked for (sending them back costs more than reading them)
    keys: dict[Path, list[CourseKey]]
    courses: list[Course]
    checked: list  # load's and validate's messages
    normalised: list  # normalise's messages


def _course_files(paths: list[Path], root: Path, shared: Shared, basis: Basis | None, today: dt.date, keep: bool) -> _Share:
    """Load, validate and (when nothing has an error so far) normalise some course files."""
    checked, normalised = Report(), Report()
    docs = load_course_files(paths, root, checked)
    keys = {path: validate_course_files([doc], shared, checked) for path, doc in zip(paths, docs)}
    check_continuous_intakes(docs, today, checked)
    courses = normalise_courses(docs, basis, today, normalised) if basis is not None and not checked.errors else []
    return _Share(dict(zip(paths, docs)) if keep else {}, keys, courses, checked.diagnostics, normalised.diagnostics)


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector scans every object each time enough new ones exist: while the
    content is read into hundreds of thousands of objects (and almost none become garbage) that
    is a sixth of the time. It runs as usual again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(
    content: Path, out: Path, today: dt.date, base_url: str | None = None, output: Output = DEFAULT_OUTPUT,
    keep_raw: bool = False,
) -> Result:
    """The whole build; out is replaced only when there is no error.

    Nothing is written before the content has passed every check. The charts' child is forked
    first (it imports matplotlib while the content is checked). The site is then made in a
    staging folder that replaces out in one step: the render's workers make and write the pages
    and open data on all cores (the search index, the finder's files, in the task of the start
    page, which names them), and this process makes and writes the rest. The content as loaded is kept in the result only when asked for
    (the dev server's quick path needs it): otherwise its memory is given back before the
    workers are forked. An out that a build must not replace (see write.guard_output) raises
    UnsafeOutput before anything is read.
    """
    note = guard_output(out, read=(content, output.templates, output.assets, output.vendor), repository=ROOT)
    if note:
        log.warning(note)
    with Drawing() as drawing:
        with without_cycle_collection():
            result = check(content, today, base_url, keep_raw)
            if result.catalogue is None:
                return result
            drawing.draw(charted(result.catalogue))
            if not keep_raw:
                result = dataclasses.replace(result, raw=None)
                _give_back_freed_memory()
            # The catalogue stays till the end: the collector (here and in the forked workers) skips
            # it from now on, instead of scanning it once more when collection resumes.
            gc.freeze()
        try:
            with staging(out) as site:
                written = _make_site(result.catalogue, output, site, drawing)
        finally:
            gc.unfreeze()
    return dataclasses.replace(result, written=written)


def _make_site(catalogue: Catalogue, output: Output, site: Path, drawing: Drawing) -> tuple[str, ...]:
    """Render, the search index and the charts into the folder site; the names written, sorted."""
    with render_site(catalogue, output, site, search_index=finder_parts) as rendering:
        write_files(rendering.here(), site)
        charts = drawing.files()
        write_files(charts, site)
        rendering.wait()
    return tuple(sorted([*rendering.written, *charts]))


def _give_back_freed_memory() -> None:
    """Return the memory freed after reading the content to the system (glibc's malloc_trim),
    so neither this process nor the workers forked from it carry it (a large share of the
    build's peak of memory). Elsewhere, nothing happens."""
    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library this process runs on (no ldconfig run to find it)
    except (OSError, AttributeError):
        pass


RENDER_PREFIX = "yrkesvux-render-"  # then the owner's process id: see write.remove_leftovers


def render(content: Path, today: dt.date, base_url: str | None = None, output: Output = DEFAULT_OUTPUT) -> Result:
    """The whole build into a private folder, read back: result.files holds the site's files."""
    remove_leftovers(None, (RENDER_PREFIX,))
    with tempfile.TemporaryDirectory(prefix=f"{RENDER_PREFIX}{os.getpid()}-") as folder:
        site = Path(folder) / "site"
        result = build(content, site, today, base_url, output)
        if result.written is None:
            return result
        return dataclasses.replace(result, files={name: (site / name).read_bytes() for name in result.written})
