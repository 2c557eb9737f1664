"""Stage 4b, search index: Pagefind's index of the course pages, made in memory after render.

Pagefind (the Rust binary shipped in the `pagefind_bin` wheel) reads the rendered course pages
from memory and hands back its files; they join the site's other files, so write.py stays the only
writer and a failed build still leaves nothing behind. Only course pages are indexed: the article
carries `data-pagefind-body`, and each page holds the canonical name's aliases as hidden, weighted
text, so "köksbiträde" finds a course published as "Restaurangbiträde".

Beside Pagefind's own files we write `pagefind/katalog.json`:
- "pages" maps Pagefind's page ids to course paths, so the start page filters its server-rendered
  course cards by the ids a search returns, without loading one result fragment per course;
- "words" lists every indexed word. When no word starts with a search term, Pagefind 1.5 retries
  with ever shorter beginnings of it ("astronaut" finds the "à" of "Kock, à la carte"). The start
  page checks the terms against this list first and shows nothing rather than something unrelated.
"""
from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import gzip
import json
import logging
import re
import unicodedata

from pagefind.service import PagefindService

log = logging.getLogger(__name__)

OUTPUT_FOLDER = "pagefind"
CATALOGUE = f"{OUTPUT_FOLDER}/katalog.json"
# Pagefind's prebuilt interfaces: we show results in our own Swedish markup, so they are left out.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
_FRAGMENT_SIGNATURE = b"pagefind_dcd"  # Pagefind 1.x: gzip(signature + JSON) in every .pf_fragment


def build_search_index(pages: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files for pages (site path -> HTML), keyed by their path in the site."""
    # In a worker thread: the dev server calls the build from inside its own running event loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(asyncio.run, _index(pages)).result()
    files = {f"{OUTPUT_FOLDER}/{path}": data for path, data in found.items() if not path.startswith(UNUSED)}
    files[CATALOGUE] = _catalogue(files)
    return files


async def _index(pages: dict[str, bytes]) -> dict[str, bytes]:
    service = await _PromptService().launch()
    try:
        index = await service.create_index()  # language from <html lang="sv">: Swedish stemming
        for path in sorted(pages):  # one at a time, in a fixed order: the same index every build
            await index.add_html_file(content=pages[path].decode("utf-8"), url=path)
        return {f["path"]: f["content"] for f in await index.get_files()}
    finally:
        await service.close()


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


class _PromptService(PagefindService):
    """Pagefind's service, reading each answer as soon as it comes, however long.

    The packaged reader sleeps 0.1 s before reading every answer (13 s for the bundled 131 courses,
    over 100 s for 1,000), and an answer over its 2 MiB pipe buffer (the index of some 500 courses)
    stops it for good. This one waits on the pipe, reads long answers in parts, and hands any failure
    to whoever waits for an answer instead of leaving the build hanging.
    """

    async def _wait_for_responses(self) -> None:
        try:
            while True:
                self._answer(json.loads(base64.b64decode((await self._read_message())[:-1])))
        except Exception as error:  # the service died or spoke nonsense: fail the build loudly
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(RuntimeError(f"Pagefind svarar inte: {error!r}"))
            raise

    async def _read_message(self) -> bytes:
        assert self._backend.stdout is not None
        parts = []
        while True:
            try:
                parts.append(await self._backend.stdout.readuntil(b","))
                return b"".join(parts)
            except asyncio.LimitOverrunError as long:  # more than the buffer holds: take what is there
                parts.append(await self._backend.stdout.readexactly(long.consumed))

    def _answer(self, answer: dict) -> None:
        future = self._responses.get(answer.get("message_id"))
        if future is None or future.done():
            log.debug("Pagefind answered a message nobody waits for: %s", answer)
            return
        payload = answer["payload"]
        if payload["type"] == "Error":
            future.set_exception(RuntimeError(f"Pagefind: {payload['message']}"))
        else:
            future.set_result(payload)
