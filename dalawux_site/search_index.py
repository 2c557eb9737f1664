"""Stage 4b, search index: Pagefind's index of the course pages, made after render.

Pagefind's indexer (the Rust binary shipped in the `pagefind_bin` wheel) runs on a private scratch
copy of the rendered course pages and its files are read back, so they join the site's other files
in memory: write.py stays the only writer of the site and a failed build leaves nothing behind.
The command-line indexer is used rather than Pagefind's Python service: it indexes on all cores and
reads files directly, 20 times faster at 10,000 courses than sending pages one by one over a pipe.

Only course pages are indexed, and on them only what people search by: the title (name, provider,
place), the local name, the other names of the canonical name (hidden, weighted text, so
"köksbiträde" finds a course published as "Restaurangbiträde") and the facts. Descriptions are left
out (`data-pagefind-ignore`): they made indexing five times slower and let a word in a description
pull in unrelated courses.

Beside Pagefind's own files we write `pagefind/katalog.json`:
- "pages" maps Pagefind's page ids to course paths, so the start page filters its server-rendered
  course cards by the ids a search returns, without loading one result fragment per course;
- "words" lists every indexed word. When no word starts with a search term, Pagefind 1.5 retries
  with ever shorter beginnings of it ("astronaut" finds the "à" of "Kock, à la carte"). The start
  page checks the terms against this list first and shows nothing rather than something unrelated.
"""
from __future__ import annotations

import gzip
import json
import logging
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

log = logging.getLogger(__name__)

OUTPUT_FOLDER = "pagefind"
CATALOGUE = f"{OUTPUT_FOLDER}/katalog.json"
# Pagefind's prebuilt interfaces: we show results in our own Swedish markup, so they are left out.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
_FRAGMENT_SIGNATURE = b"pagefind_dcd"  # Pagefind 1.x: gzip(signature + JSON) in every .pf_fragment


# On a course page everything from the main column on is data-pagefind-ignore (description, dates,
# how to apply, contacts): Pagefind is handed the part before it, which is all it would read anyway.
# Parsing the whole page made indexing 10,000 courses take 10 s instead of 2 s.
_INDEXED_FROM = b"<article"
_INDEXED_UNTIL = b'<div class="course-main">'


def indexed_part(page: bytes) -> bytes:
    """The part of a rendered course page that Pagefind indexes, as a small page of its own."""
    start = page.find(_INDEXED_FROM)
    end = page.find(_INDEXED_UNTIL, start)
    if start < 0 or end < 0:
        return page  # another layout: index the page as it is
    return b'<!doctype html><html lang="sv"><body>' + page[start:end] + b"</div></article></body></html>"


def build_search_index(pages: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files for pages (site path -> HTML), keyed by their path in the site."""
    with tempfile.TemporaryDirectory(prefix="yrkesvux-sok-") as scratch:
        root = Path(scratch)
        for path, html in pages.items():
            target = root / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(indexed_part(html))
        _run_pagefind(root)
        found = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / OUTPUT_FOLDER).rglob("*")) if p.is_file()
        }
    files = {path: data for path, data in found.items() if not path.split("/")[-1].startswith(UNUSED)}
    files[CATALOGUE] = _catalogue(files)
    return files


def _run_pagefind(root: Path) -> None:
    """Index root in place (language from <html lang="sv">: Swedish stemming); fail loudly."""
    command = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", OUTPUT_FOLDER, "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"Pagefind kunde inte bygga sökindexet:\n{done.stdout}\n{done.stderr}")


def _catalogue(files: dict[str, bytes]) -> bytes:
    """{"pages": {Pagefind page id: site path}, "words": [every indexed word]} as compact JSON."""
    pages, words = {}, set()
    for name, data in sorted(files.items()):
        if name.endswith(".pf_fragment"):
            fragment = _fragment(data)
            pages[name.rsplit("/", 1)[-1].removesuffix(".pf_fragment")] = fragment["url"]
            words.update(index_words(fragment["content"]))
    catalogue = {"pages": pages, "words": sorted(words)}
    return json.dumps(catalogue, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def index_words(text: str) -> set[str]:
    """Words as Pagefind compares them: lower case, accents dropped, hyphenated words also joined."""
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(ch))
    words = set(re.findall(r"\w+", plain))
    words.update(w.replace("-", "") for w in re.findall(r"\w+(?:-\w+)+", plain))
    return words


def _fragment(data: bytes) -> dict:
    raw = gzip.decompress(data)
    if not raw.startswith(_FRAGMENT_SIGNATURE):
        raise ValueError("okänt format på Pagefinds sökfil – stämmer versionen i requirements.txt?")
    return json.loads(raw[len(_FRAGMENT_SIGNATURE):])
