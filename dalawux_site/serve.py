"""The dev server: builds into a private folder, serves it on 127.0.0.1 and reloads the browser.

The live-reload script is injected by the livereload server into the pages it serves; the built
files never contain it. When a rebuild fails, every page shows the errors (in Swedish, with file
and line) until the next save fixes them, so the browser never looks stuck on an old version.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import sys
import tempfile
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from . import pipeline
from .diagnostics import Report
from .write import write_site

log = logging.getLogger(__name__)

POLL_MS = 100  # livereload polls every 800 ms; a saved change should show within a second


class _QuickWatcher(Watcher):
    """livereload's file watcher, polled often enough for changes to show at once."""

    def start(self, callback) -> bool:
        ioloop.PeriodicCallback(callback, POLL_MS).start()
        return True


class Rebuilder:
    """Rebuilds the site into out; on errors, shows them on every page instead."""

    def __init__(self, content: Path, out: Path, today: dt.date, base_url: str) -> None:
        self.content, self.out, self.today, self.base_url = content, out, today, base_url
        self.last_good: dict[str, bytes] = {}

    def __call__(self) -> bool:
        result = pipeline.render(self.content, self.today, self.base_url)
        for diagnostic in result.report.sorted():
            print(diagnostic.format(), file=sys.stderr)
        if result.files is None:
            write_site(error_site(self.last_good, result.report), self.out)
            print(f"Bygget misslyckades: {result.report.summary()} Felen visas i webbläsaren.", file=sys.stderr)
            return False
        self.last_good = result.files
        write_site(result.files, self.out)
        print(f"Byggt: {len(result.catalogue.courses)} utbildningar. {result.report.summary()}", file=sys.stderr)
        return True


def error_site(last_good: dict[str, bytes], report: Report) -> dict[str, bytes]:
    """The last good site with every page replaced by the list of errors."""
    page = error_page(report).encode("utf-8")
    pages = [name for name in last_good if name.endswith(".html")] or ["index.html"]
    files = {name: data for name, data in last_good.items() if not name.endswith(".html")}
    files.update({name: page for name in pages + ["index.html", "404.html"]})
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


def serve(content: Path, port: int, today: dt.date) -> int:
    out = Path(tempfile.mkdtemp(prefix="yrkesvux-serve-")) / "site"
    rebuild = Rebuilder(content, out, today, f"http://127.0.0.1:{port}")
    rebuild()
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every save, however quick
    server = Server(watcher=_QuickWatcher())
    for folder in (content, pipeline.ROOT / "templates", pipeline.ROOT / "assets"):
        server.watch(str(folder), rebuild)
    print(f"Webbplatsen visas på http://127.0.0.1:{port}/ – avsluta med Ctrl+C", file=sys.stderr)
    server.serve(root=str(out), host="127.0.0.1", port=port, open_url_delay=None, restart_delay=0)
    return 0
