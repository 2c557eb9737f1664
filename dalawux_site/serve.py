"""The dev server: builds into a private folder, serves it on 127.0.0.1 and reloads the browser.

A small Tornado application serves the pages, putting a reload script into each one as it is
served (the built files never contain it), and tells the open pages to reload after each rebuild. When a rebuild fails, every page shows the errors (in Swedish, with file
and line) until the next save fixes them, so the browser never looks stuck on an old version.

Any change of the watched files counts, not only a newer modification time: a file restored
with an old one (`mv` back, `cp -p`), removed, renamed or added (see Rebuilder.signatures). The
server answers only requests addressed to itself (Host 127.0.0.1:PORT or localhost:PORT), so a
web page elsewhere cannot reach it through a name that resolves to 127.0.0.1 (DNS rebinding).
Its folder is removed when it stops, by Ctrl+C or SIGTERM; one left by a killed server is
removed by the next one.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import html
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path
from typing import Callable

from tornado import ioloop, web, websocket

from . import parallel, pipeline
from .assets import collect_assets
from .diagnostics import Report
from .load import Document, RawContent, load_yaml_file
from .model import Catalogue
from .normalise import normalise
from .render import file_for, make_environment, render_page
from .validate import validate
from .write import remove_leftovers, write_in_place, write_site

log = logging.getLogger(__name__)

POLL_MS = 100  # a saved change should show within a second

# Put before </head> of every page served (admin.html leaves </head> out so that the form editor
# never reloads by itself); the built files never contain it.
RELOAD_SCRIPT = b'<script src="/livereload.js"></script>'
# What /livereload.js runs: a page reloads when the server says so on the reload socket.
_RELOAD_JS = b"""(function () {
  var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/livereload");
  socket.onmessage = function () { location.reload(); };
})();
"""


class _OwnHost:
    """A handler mixin: a request whose Host header is not the server's own gets 421, and the
    reload socket opens only for the server's own pages (Tornado's prepare and check_origin)."""

    def initialize(self, hosts: frozenset[str], **kwargs) -> None:
        self.hosts = hosts
        super().initialize(**kwargs)

    def prepare(self) -> None:
        if self.request.host.lower() not in self.hosts:
            raise web.HTTPError(421, reason="Misdirected Request")
        return super().prepare()

    def check_origin(self, origin: str) -> bool:
        return urllib.parse.urlsplit(origin).netloc.lower() in self.hosts


class _Pages(_OwnHost, web.StaticFileHandler):
    """The built files, as Tornado serves them, with the reload script in each page and never from
    the browser's cache (a rebuild changes them under the same name)."""

    @classmethod
    def get_content(cls, abspath: str, start: int | None = None, end: int | None = None) -> bytes:
        with open(abspath, "rb") as file:
            content = file.read()
        if abspath.endswith(".html"):
            content = content.replace(b"</head>", RELOAD_SCRIPT + b"</head>", 1)
        return content[start:end]

    def get_content_size(self) -> int:
        return len(self.get_content(self.absolute_path))

    def compute_etag(self) -> None:
        return None

    def should_return_304(self) -> bool:
        return False

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")


class _ReloadJS(_OwnHost, web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.write(_RELOAD_JS)


class _ReloadSocket(_OwnHost, websocket.WebSocketHandler):
    """The socket each open page listens on for "reload"."""

    def initialize(self, hosts: frozenset[str], listening: set) -> None:
        super().initialize(hosts)
        self.listening = listening

    def open(self) -> None:
        self.listening.add(self)

    def on_close(self) -> None:
        self.listening.discard(self)


class _DevServer:
    """The pages of folder and the reload socket on one port, answering only their own host."""

    def __init__(self, port: int, folder: Path) -> None:
        hosts = {"hosts": frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})}
        self.listening: set[_ReloadSocket] = set()
        self.application = web.Application([
            (r"/livereload", _ReloadSocket, {**hosts, "listening": self.listening}),
            (r"/livereload.js", _ReloadJS, hosts),
            (r"/(.*)", _Pages, {**hosts, "path": str(folder), "default_filename": "index.html"}),
        ])

    def reload(self, deadline: float) -> None:
        """Reload every open page; a page that is reconnecting after the last reload is waited for."""
        loop = ioloop.IOLoop.current()
        if self.listening or loop.time() > deadline:
            for page in list(self.listening):
                with contextlib.suppress(websocket.WebSocketClosedError):  # closing already: it reloads anyway
                    page.write_message("reload")
        else:
            loop.call_later(0.05, self.reload, deadline)


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
        self.child: subprocess.Popen | None = None  # the full rebuild running in a child process
        self.seen = self.signatures()

    def __call__(self) -> bool:
        """The whole site, as a clean build makes it.

        When the quick path has kept the catalogue up to date, the build runs in a child process
        (`build.py build`, on all cores), so the server and the next quick path are never slowed
        by it; otherwise it runs here, and the catalogue it makes is kept for the quick path.
        """
        self.seen = self.signatures()
        if self.stale or self.catalogue is None:
            return self._build_here()
        command = [
            sys.executable, str(pipeline.ROOT / "build.py"), "build", "--content", str(self.content), "--out", str(self.out),
            "--today", self.today.isoformat(), "--base-url", self.base_url,
            *(["--editor-proxy", self.editor_proxy] if self.editor_proxy else []),
        ]
        # At lower priority: the next save's quick path comes first on the CPU. When the server
        # dies, the child gets SIGTERM and cleans up after itself.
        self.child = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            preexec_fn=parallel.dying_with_this_process(signal.SIGTERM, then=parallel.give_way),
        )
        _, stderr = self.child.communicate()
        if self.child.returncode != 0:
            return self._build_here()  # shows the errors in the browser
        print(stderr.strip().splitlines()[-1] if stderr.strip() else "Byggt.", file=sys.stderr)
        return True

    def stop(self) -> None:
        """Stop a full rebuild running in a child process, and wait for it to clean up."""
        child = self.child
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

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
        now = self.signatures()
        if now == self.seen:  # the usual answer, found in C
            return []
        changed = sorted(Path(path) for path in now.keys() | self.seen.keys() if now.get(path) != self.seen.get(path))
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
        validate(partial, report, self.today)
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

    def signatures(self) -> dict[str, tuple[int, ...]]:
        """Every watched file -> (size, modification and change time, inode, device). The change
        time is set by the system on every write, rename or restored modification time, and
        cannot be set back: a file put back with an old modification time is noticed too. Plain
        text paths from os.scandir, as this runs on every poll: Path objects take ten times as long."""
        found: dict[str, tuple[int, ...]] = {}
        for folder in (self.content, pipeline.ROOT / "templates", pipeline.ROOT / "assets"):
            _signatures(str(folder.resolve()), found)
        return found


def _signatures(folder: str, found: dict[str, tuple[int, ...]]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # removed meanwhile: the next look sees it
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                _signatures(entry.path, found)
                continue
            info = entry.stat()
        except OSError:  # a dangling link, or removed meanwhile
            continue
        found[entry.path] = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


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
            return
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
    """Every error as the editor needs it: what to do first, then the file and line, then the
    line itself. Long lines and paths wrap, so the page reads on a phone as on a desktop."""
    items = "\n".join(_error_item(d) for d in report.sorted() if d.level == "error")
    return f"""<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bygget misslyckades – Yrkesvux Dalarna</title>
<style>
  body {{ font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1f; overflow-wrap: anywhere; }}
  h1 {{ color: #a50d24; line-height: 1.2; }}
  ol {{ padding-left: 1.5rem; }}
  li {{ margin: 0 0 1.5rem; }}
  .fix {{ margin: 0 0 .25rem; font-weight: 600; }}
  .where {{ margin: 0; color: #4a4a52; }}
  pre {{ margin: .25rem 0 0; padding: .5rem .75rem; background: #f4f1ea; border-left: 4px solid #a50d24;
         white-space: pre-wrap; overflow-wrap: anywhere; font-size: .95rem; }}
</style></head>
<body>
<main>
<h1>Bygget misslyckades</h1>
<p>Innehållet har fel: {html.escape(report.summary())} Rätta felen och spara, så laddas sidan om av sig själv.</p>
<ol>{items}</ol>
</main>
</body>
</html>
"""


def _error_item(diagnostic) -> str:
    line = f"\n<pre>{html.escape(diagnostic.source.strip())}</pre>" if diagnostic.source and diagnostic.source.strip() else ""
    where = f", rad {diagnostic.line}:" if diagnostic.line else ""
    fix = diagnostic.message[:1].upper() + diagnostic.message[1:]  # a sentence of its own here
    return (f'<li><p class="fix">{html.escape(fix)}</p>\n'
            f'<p class="where">Filen <code>{html.escape(diagnostic.file)}</code>{where}</p>{line}</li>')


SERVE_PREFIX = "yrkesvux-serve-"  # then the server's process id: see write.remove_leftovers


def serve(content: Path, port: int, today: dt.date, editor_proxy: str | None = None) -> int:
    _check_port_free(port)
    remove_leftovers(None, (SERVE_PREFIX,))
    folder = Path(tempfile.mkdtemp(prefix=f"{SERVE_PREFIX}{os.getpid()}-"))
    rebuild = Rebuilder(content, folder / "site", today, f"http://127.0.0.1:{port}", editor_proxy)
    try:
        _serve(rebuild, port)
    finally:
        rebuild.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _check_port_free(port: int) -> None:
    """Raises OSError (EADDRINUSE) now, before the first build, when the port is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado binds it
        probe.bind(("127.0.0.1", port))


def _serve(rebuild: Rebuilder, port: int) -> None:
    rebuild()
    parallel.ENABLED = False  # no forking beside the server's threads (the child builds use every core)
    loop = ioloop.IOLoop.current()
    server = _DevServer(port, rebuild.out)
    task = _Background(rebuild, lambda: loop.add_callback(server.reload, loop.time() + 3))
    parallel.raise_if_stopped()  # a stop during the first build whose exception was lost
    for stop in parallel.STOPS:  # from now on a stop ends the event loop, between two of its tasks
        loop.asyncio_loop.add_signal_handler(stop, _stop_serving, loop, stop)
    listening = server.application.listen(port, address="127.0.0.1")
    ioloop.PeriodicCallback(task, POLL_MS).start()
    print(f"Webbplatsen visas på http://127.0.0.1:{port}/ – avsluta med Ctrl+C", file=sys.stderr)
    try:
        loop.start()
    finally:
        listening.stop()


def _stop_serving(loop: ioloop.IOLoop, signum: int) -> None:
    parallel.note_stop(signum)
    loop.stop()
