"""The dev server: builds into a private folder, serves it on 127.0.0.1 and reloads the browser.

The live-reload script is injected by the livereload server into the pages it serves; the built
files never contain it. When a rebuild fails, every page shows the errors (in Swedish, with file
and line) until the next save fixes them, so the browser never looks stuck on an old version.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from . import parallel, pipeline
from .assets import collect_assets
from .diagnostics import Report
from .load import Document, RawContent, load_yaml_file
from .model import Catalogue
from .normalise import normalise
from .render import file_for, make_environment, render_page
from .validate import validate
from .write import write_in_place, write_site

log = logging.getLogger(__name__)

POLL_MS = 100  # livereload polls every 800 ms; a saved change should show within a second


class _QuickWatcher(Watcher):
    """livereload's file watcher, polled often enough for changes to show at once. It runs our
    task on a change but never asks livereload to reload by itself: the task reloads the
    browsers when there is something new to see (after the quick path, after the full rebuild)."""

    def start(self, callback) -> bool:
        ioloop.PeriodicCallback(callback, POLL_MS).start()
        return True

    def examine(self):
        super().examine()
        return None, None


class Rebuilder:
    """Rebuilds the site into out; on errors, shows them on every page instead.

    A saved course file first takes the quick path: only that file is read, checked and normalised,
    and only the course pages that changed are written into the served folder, so the page being
    edited shows the change at once. The full rebuild follows (in the background when serving) and
    replaces the whole folder with exactly what a clean build gives, lists, exports and search
    index included.
    """

    def __init__(self, content: Path, out: Path, today: dt.date, base_url: str, editor_proxy: str | None = None) -> None:
        self.content, self.out, self.today, self.base_url = content, out, today, base_url
        self.editor_proxy = editor_proxy  # `make editor`: built into /admin/config.yml, so no page ever has another
        self.catalogue: Catalogue | None = None
        self.raw: RawContent | None = None
        self.stale = True  # catalogue and raw no longer match the content: the next full build runs here
        self.seen = self._fingerprints()

    def __call__(self) -> bool:
        """The whole site, as a clean build makes it.

        When the quick path has kept the catalogue up to date, the build runs in a child process
        (`build.py build`, on all cores), so the server and the next quick path are never slowed
        by it; otherwise it runs here, and the catalogue it makes is kept for the quick path.
        """
        self.seen = self._fingerprints()
        if self.stale or self.catalogue is None:
            return self._build_here()
        command = [
            sys.executable, str(pipeline.ROOT / "build.py"), "build", "--content", str(self.content), "--out", str(self.out),
            "--today", self.today.isoformat(), "--base-url", self.base_url,
            *(["--editor-proxy", self.editor_proxy] if self.editor_proxy else []),
        ]
        # At lower priority: the next save's quick path comes first on the CPU.
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=parallel.give_way)
        if done.returncode != 0:
            return self._build_here()  # shows the errors in the browser
        print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "Byggt.", file=sys.stderr)
        return True

    def _build_here(self) -> bool:
        output = dataclasses.replace(pipeline.DEFAULT_OUTPUT, editor_proxy=self.editor_proxy)
        result = pipeline.build(self.content, self.out, self.today, self.base_url, output, keep_raw=True)
        for diagnostic in result.report.sorted():
            print(diagnostic.format(), file=sys.stderr)
        if result.written is None:
            write_site(error_site(self.out, result.report), self.out)
            self.catalogue, self.raw, self.stale = None, None, True
            print(f"Bygget misslyckades: {result.report.summary()} Felen visas i webbläsaren.", file=sys.stderr)
            return False
        self.catalogue, self.raw, self.stale = result.catalogue, result.raw, False
        print(f"Byggt: {len(result.catalogue.courses)} utbildningar. {result.report.summary()}", file=sys.stderr)
        return True

    def changed(self) -> list[Path]:
        """Content, template and asset files saved since the last look."""
        now = self._fingerprints()
        changed = sorted(path for path in now.keys() | self.seen.keys() if now.get(path) != self.seen.get(path))
        self.seen = now
        return changed

    def quick(self, changed: list[Path]) -> bool:
        """Write the changed course pages of the saved course files; False when that is not enough
        (anything but course files changed, or a saved file has errors: the full rebuild says which).
        The catalogue is updated with the edited courses, so the next save can take the quick path
        and the full rebuild can run in a child process."""
        courses_dir = (self.content / "courses").resolve()
        providers = {p.id for p in self.catalogue.providers} if self.catalogue else set()
        in_place = lambda p: p.parent == courses_dir or (p.parent.parent == courses_dir and p.parent.name in providers)  # noqa: E731
        if self.raw is None or self.catalogue is None or not changed or not all(in_place(p) for p in changed):
            self.stale = True
            return False
        with pipeline.without_cycle_collection():  # this process holds a whole catalogue: no scans of it
            return self._quick(changed)

    def _quick(self, changed: list[Path]) -> bool:
        report = Report()
        docs = tuple(load_yaml_file(path, self.content.resolve(), report) for path in changed if path.exists())
        partial = dataclasses.replace(self.raw, courses=docs, pages=(), infobrev=())
        validate(partial, report)
        if report.errors or len(docs) != len(changed):
            self.stale = True
            return False
        edited = tuple(self._edited_entries(doc) for doc in docs)
        fresh = normalise(dataclasses.replace(partial, courses=edited), self.today, Report()).courses
        before = {course.id: course for course in self.catalogue.courses}
        pages = [c for c in fresh if before.get(c.id) != c]
        if [c for c in pages if c.id not in before] or len(fresh) != sum(len(doc.course_entries()) for doc in edited):
            self.stale = True
            return False  # a new or closed course also changes lists and exports: leave it to the full rebuild
        output = pipeline.DEFAULT_OUTPUT
        env = make_environment(output.templates, self.catalogue, collect_assets(output.assets))
        write_in_place({file_for(c.path): render_page(env, (c.path, "course.html", {"course": c})) for c in pages}, self.out)
        saved = {doc.rel: doc for doc in docs}
        updated = {c.id: c for c in pages}
        self.raw = dataclasses.replace(self.raw, courses=tuple(saved.get(doc.rel, doc) for doc in self.raw.courses))
        self.catalogue = dataclasses.replace(self.catalogue, courses=tuple(updated.get(c.id, c) for c in self.catalogue.courses))
        return True

    def _edited_entries(self, doc: Document) -> Document:
        """Only the courses whose entries differ from the last full build's (the others are known);
        their line numbers no longer matter here, as no message comes from the quick path."""
        old = next((d.data for d in self.raw.courses if d.rel == doc.rel), None)
        if doc.single_course:
            return dataclasses.replace(doc, data=None if old == doc.data else doc.data)
        old = old or []
        entries = [entry for i, entry in enumerate(doc.data or []) if i >= len(old) or old[i] != entry]
        return dataclasses.replace(doc, data=entries)

    def _fingerprints(self) -> dict[Path, tuple[int, int]]:
        found = {}
        for folder in (self.content, pipeline.ROOT / "templates", pipeline.ROOT / "assets"):
            for path in folder.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    found[path.resolve()] = (stat.st_mtime_ns, stat.st_size)
        return found


class _Background:
    """Runs the full rebuild off the server's thread, again if more was saved meanwhile."""

    def __init__(self, rebuild: Rebuilder, reload: Callable[[], None]) -> None:
        self.rebuild, self.reload = rebuild, reload
        self.lock = threading.Lock()
        self.pending = False
        self.running = False

    def __call__(self) -> None:
        """The watcher's task: quick path now, full rebuild after."""
        changed = self.rebuild.changed()
        if not changed:
            return  # livereload's first look counts every file as new; nothing was saved
        if self.rebuild.quick(changed):
            self.reload()  # the edited page shows its change now; the rest follows
        with self.lock:
            self.pending = True
            if self.running:
                return
            self.running = True
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            with self.lock:
                if not self.pending:
                    self.running = False
                    return
                self.pending = False
            self.rebuild()
            self.reload()


def error_site(served: Path, report: Report) -> dict[str, bytes]:
    """The site being served with every page replaced by the list of errors."""
    page = error_page(report).encode("utf-8")
    names = [p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file()] if served.is_dir() else []
    files = {name: page if name.endswith(".html") else (served / name).read_bytes() for name in names}
    files.update({name: page for name in ("index.html", "404.html")})
    return files


def error_page(report: Report) -> str:
    items = "\n".join(
        f"<li><pre>{html.escape(d.format())}</pre></li>" for d in report.sorted() if d.level == "error"
    )
    return f"""<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bygget misslyckades – Yrkesvux Dalarna</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1f">
<h1 style="color: #a50d24">Bygget misslyckades</h1>
<p>Innehållet har fel: {html.escape(report.summary())} Rätta felen och spara, så laddas sidan om av sig själv.</p>
<ol>{items}</ol>
</body>
</html>
"""


def _reload_browsers(deadline: float) -> None:
    """Reload every open page; a page that is reconnecting after the last reload is waited for."""
    loop = ioloop.IOLoop.current()
    if LiveReloadHandler.waiters or loop.time() > deadline:
        LiveReloadHandler.reload_waiters()
    else:
        loop.call_later(0.05, _reload_browsers, deadline)


def serve(content: Path, port: int, today: dt.date, editor_proxy: str | None = None) -> int:
    out = Path(tempfile.mkdtemp(prefix="yrkesvux-serve-")) / "site"
    rebuild = Rebuilder(content, out, today, f"http://127.0.0.1:{port}", editor_proxy)
    rebuild()
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every save, however quick
    parallel.ENABLED = False  # no forking beside the server's threads (the child builds use every core)
    loop = ioloop.IOLoop.current()
    task = _Background(rebuild, lambda: loop.add_callback(_reload_browsers, loop.time() + 3))
    server = Server(watcher=_QuickWatcher())
    for folder in (content, pipeline.ROOT / "templates", pipeline.ROOT / "assets"):
        server.watch(str(folder), task)
    print(f"Webbplatsen visas på http://127.0.0.1:{port}/ – avsluta med Ctrl+C", file=sys.stderr)
    server.serve(root=str(out), host="127.0.0.1", port=port, open_url_delay=None, restart_delay=0)
    return 0
