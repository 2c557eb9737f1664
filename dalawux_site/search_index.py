"""Stage 4b, search index: Pagefind's index of the courses, made beside the rendering.

Pagefind's indexer (the Rust binary shipped in the `pagefind_bin` wheel) is handed one small
*search record* per course: a page holding only what people search by. The title (name, provider,
place) and the local name weigh most; the other names of the canonical name and its abbreviations
come next (so "köksbiträde" finds a course published as "Restaurangbiträde", and "usk" an
undersköterska); then area, study forms and pace.
Descriptions, dates and boilerplate are left out: they made indexing five times slower, and a word
in a description pulled in unrelated courses. The records are made from the catalogue, not from
the rendered pages, so indexing waits for no page: it starts as soon as the page workers are under
way (render_site) and runs on its own core.

The command-line indexer is used rather than Pagefind's Python service: it reads files directly,
20 times faster at 10,000 courses than sending records one by one over a pipe. It works in a
scratch folder in memory, and this process copies what the site needs into it.

Pagefind's *fragments* (one file per course with the excerpt and metadata for Pagefind's own result
list) are not shipped: the start page shows its own server-rendered course cards and never calls a
result's data(), so no visitor would load one. Leaving them out saves 10,000 files per build and
per deploy. `Indexing(..., fragments=True)` keeps them (the tests compare against them).

Beside Pagefind's own files we write `pagefind/katalog.json`: "pages" maps Pagefind's page ids to
course paths (read from the fragments), and "words" lists every indexed word as Pagefind compares
them. The start page's finder does not load Pagefind: at national scale Pagefind's metadata file
alone (loaded before any search) weighs 270 KB compressed at 50,000 courses, so the finder has its
own index in parts made from the same records (finder.finder_parts, record_texts; its word list is
katalog.json's "words").

Pagefind refuses to make an index of nothing. On a day when no course is open, it indexes one
placeholder record that no page id and no word in katalog.json refers to.
"""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import tempfile
import threading
import unicodedata
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Mapping

import orjson
import pagefind_bin
from markupsafe import escape

from .markup import plain_text
from .model import Catalogue, Course
from .parallel import dying_with_this_process
from .swedish import pace_label
from .write import remove_leftovers, write_files

log = logging.getLogger(__name__)

OUTPUT_FOLDER = "pagefind"
CATALOGUE = f"{OUTPUT_FOLDER}/katalog.json"
# Pagefind's prebuilt interfaces: we show results in our own Swedish markup, so they are left out.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
_FRAGMENT_SIGNATURE = b"pagefind_dcd"  # Pagefind 1.x: gzip(signature + JSON) in every .pf_fragment
# Indexed only when there is no course: a page of one word that is left out of katalog.json.
PLACEHOLDER = ("/inga-utbildningar/", b'<!doctype html><html lang="sv"><body><p>inga</p></body></html>')
# Scratch folders: the owner's process id follows the prefix, so a build removes those of dead ones.
SCRATCH_PREFIXES = ("yrkesvux-sok-", "yrkesvux-index-")


class IndexingFailed(RuntimeError):
    """Pagefind could not make the search index: not the content's fault, and nothing was published."""


def search_records(catalogue: Catalogue) -> dict[str, bytes]:
    """What Pagefind indexes: one small page per course, keyed by the course's site path.

    `lang="sv"` gives Swedish stemming; data-pagefind-weight ranks the names above the facts.
    """
    others = other_names(catalogue)
    return {course.path: _record(*record_texts(course, others)) for course in catalogue.courses}


def other_names(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Each canonical name's aliases and abbreviations."""
    return {entry.name: (*entry.aliases, *entry.abbreviations) for entry in catalogue.vocabulary}


def record_texts(course: Course, others: dict[str, tuple[str, ...]]) -> tuple[str, str, str, str]:
    """The texts of a course's search record: its title, its local name (or ""), the other names
    of its canonical name (or ""), and its facts; the finder's word index reads the same."""
    other = ", ".join(a for a in others.get(course.name, ()) if a != course.local_name)
    facts = ". ".join((course.area.name, *course.study_form_labels, pace_label(course.pace))) + "."
    return course.title, course.local_name if course.has_local_name else "", other, facts


def _record(title: str, local: str, others: str, facts: str) -> bytes:
    parts = [f'<!doctype html><html lang="sv"><body><h1>{escape(title)}</h1>']
    if local:
        parts.append(f'<p data-pagefind-weight="7">{escape(local)}</p>')
    if others:
        parts.append(f'<p data-pagefind-weight="5">{escape(others)}</p>')
    parts.append(f'<p>{escape(facts)}</p></body></html>')
    return "".join(parts).encode("utf-8")


class Indexing:
    """Pagefind indexing records (site path -> small page) into site/pagefind/, in its own process
    while the block runs (the pages are rendered meanwhile); its files and katalog.json are copied
    in as soon as it is done.

        with Indexing(records, site) as index:
            ...                    # render the pages
        index.written              # the names written, as site paths

    A thread of this process waits for Pagefind and copies its files in as soon as it is done,
    so when Pagefind finishes before the pages (it usually does), that work is off the build's
    critical path. Its failure is raised when the block ends.
    """

    def __init__(
        self, records: Mapping[str, bytes] | Callable[[], Mapping[str, bytes]], site: Path, fragments: bool = False,
    ) -> None:
        self.records, self.site, self.fragments = records, site, fragments
        self.written: list[str] = []
        self._failure: BaseException | None = None

    def __enter__(self) -> "Indexing":
        if callable(self.records):
            self.records = self.records()
        remove_leftovers(memory_folder(), SCRATCH_PREFIXES)
        self._scratch = tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIXES[0]}{os.getpid()}-", dir=memory_folder())
        scratch = Path(self._scratch.name)
        self._pages = _write_records(self.records or dict([PLACEHOLDER]), scratch / "records")
        self._output = scratch / OUTPUT_FOLDER
        # Paths relative to the scratch folder: Pagefind's output depends on the paths it is given,
        # and the scratch folder's name is new every time.
        command = [str(pagefind_bin.get_executable()), "--site", "records", "--output-path", OUTPUT_FOLDER, "--quiet"]
        with _on_one_core():
            self._process = subprocess.Popen(
                command, cwd=scratch, env=_pagefind_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                preexec_fn=dying_with_this_process(),  # a killed build leaves no Pagefind running
            )
        self._finisher = threading.Thread(target=self._finish_when_done, name="pagefind", daemon=True)
        self._finisher.start()
        return self

    def __exit__(self, kind, *_) -> None:
        try:
            if kind is not None:
                self._process.kill()
            self._finisher.join()
        except BaseException:  # stopped (Ctrl+C) while waiting: Pagefind stops, its folder goes
            self._process.kill()
            self._finisher.join()
            raise
        if kind is None and self._failure is not None:
            raise self._failure

    def _finish_when_done(self) -> None:
        """The finisher thread: katalog.json and Pagefind's files into the site, then the scratch
        folder removed."""
        try:
            words = records_words(self.records)  # while Pagefind is still at work
            stdout, stderr = self._process.communicate()
            if self._process.returncode != 0:
                raise IndexingFailed(f"Pagefind kunde inte bygga sökindexet:\n{stdout}\n{stderr}")
            self._finish(words)
        except BaseException as failure:  # raised in the build's own thread by __exit__
            self._failure = failure
        finally:
            self._scratch.cleanup()

    def _finish(self, words: set[str]) -> None:
        """Pagefind's files that the site uses, and katalog.json, into the site.

        Pagefind writes into the scratch folder (in memory when there is one) and this process
        copies the files the site uses: the fragments, one per course, stay behind.
        """
        files, pages = {}, {}
        for folder, _, names in os.walk(self._output):
            prefix = Path(folder).relative_to(self._output.parent).as_posix()
            for name in names:
                if name.startswith(UNUSED):
                    continue
                with open(os.path.join(folder, name), "rb") as file:
                    data = file.read()
                if name.endswith(".pf_fragment"):
                    path = self._pages[_fragment(data)["url"]]
                    if path in self.records:  # not the placeholder
                        pages[name.removesuffix(".pf_fragment")] = path
                    if not self.fragments:
                        continue
                files[f"{prefix}/{name}"] = data
        files[CATALOGUE] = _catalogue(pages, words)
        write_files(files, self.site)
        self.written = sorted(files)


# Pagefind's allocator is jemalloc, which reads its options from this variable. By default it
# keeps freed blocks of up to 32 KB for reuse, and hands larger ones back to the system at once.
# Pagefind allocates and frees two blocks of 45 and 68 KB for every record: 30,000 times the
# memory is handed back and faulted in again (375,000 page faults, a third of its time in the
# kernel). Kept for reuse up to 128 KB: 10,000 records 2.06 → 1.55 s on one core, 38,000 page
# faults, the same peak memory and byte-identical output.
JEMALLOC_OPTIONS = ("_RJEM_MALLOC_CONF", "tcache_max:131072")


def _pagefind_environment() -> dict[str, str]:
    """This process's environment with Pagefind's allocator options (unless already set)."""
    name, value = JEMALLOC_OPTIONS
    return {name: value, **os.environ}


@contextmanager
def _on_one_core() -> Iterator[None]:
    """Processes started in the block run on one core (where the system allows choosing).

    Pagefind runs some sixty threads that share one memory. On one core, 10,000 records take
    1.55 CPU-seconds instead of 1.9 (with JEMALLOC_OPTIONS; 2.2 instead of 3.0 without), while
    the build's other processes have the other cores. Only the calling thread's affinity changes,
    and only briefly: a started process keeps the affinity it was started with."""
    try:
        allowed = os.sched_getaffinity(0)
    except (AttributeError, OSError):
        yield
        return
    os.sched_setaffinity(0, {max(allowed)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def search_index(records: Mapping[str, bytes], fragments: bool = False) -> dict[str, bytes]:
    """Pagefind's files for records, in memory, keyed by their path in the site."""
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIXES[1]}{os.getpid()}-", dir=memory_folder()) as folder:
        site = Path(folder)
        with Indexing(records, site, fragments) as index:
            pass
        return {name: (site / name).read_bytes() for name in index.written}


def memory_folder() -> str | None:
    """A folder in memory (tmpfs), when there is one, for files made only to be read and removed
    (the scratch records; the benchmark's builds): 10,000 small files are made there in a tenth of
    the time a disk takes. None: there is none (use the system's temporary folder)."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _write_records(records: Mapping[str, bytes], root: Path) -> dict[str, str]:
    """One file per record, made in sorted order: Pagefind's output follows the order in which
    it finds the files, and on tmpfs that is the order they were made in. A record of the page
    /utbildningar/svetsare-mora/ is utbildningar/svetsare-mora.html rather than a folder with an
    index.html: at 10,000 courses, a fifth of the time to make them and to remove them.
    Returns Pagefind's address of each record -> the site path of its page."""
    files = {_record_file(path): path for path in records}
    write_files({name: records[path] for name, path in files.items()}, root)  # in sorted order
    return {"/" + name: path for name, path in files.items()}


def _record_file(path: str) -> str:
    return (path.strip("/") or "start") + ".html"  # not index.html: Pagefind would call that one "/"


def _catalogue(pages: Mapping[str, str], words: set[str]) -> bytes:
    """{"pages": {Pagefind page id: site path}, "words": [every indexed word]} as compact JSON."""
    catalogue = {"pages": dict(sorted(pages.items())), "words": sorted(words)}
    return json.dumps(catalogue, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def records_words(records: Mapping[str, bytes]) -> set[str]:
    """Every word Pagefind indexes from the records: their text, tags left out. All records in
    one pass (each record ends in a block element, so no two run together)."""
    return index_words(plain_text(b"\n".join(records.values()).decode("utf-8")))


def index_words(text: str) -> set[str]:
    """Words as Pagefind compares them: lower case, accents dropped, hyphenated words also joined."""
    distinct = " ".join(set(text.casefold().split()))  # no word spans a space: each distinct piece once
    plain = "".join(ch for ch in unicodedata.normalize("NFD", distinct) if not unicodedata.combining(ch))
    words = set(re.findall(r"\w+", plain))
    words.update(w.replace("-", "") for w in re.findall(r"\w+(?:-\w+)+", plain))
    return words


def _fragment(data: bytes) -> dict:
    raw = zlib.decompress(data, wbits=31)  # gzip
    if not raw.startswith(_FRAGMENT_SIGNATURE):
        raise ValueError("okänt format på Pagefinds sökfil – stämmer versionen i requirements.txt?")
    return orjson.loads(raw[len(_FRAGMENT_SIGNATURE):])
