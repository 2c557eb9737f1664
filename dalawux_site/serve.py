"""The dev server: builds into a private folder, serves it on 127.0.0.1 and reloads the browser.

The live-reload script is injected by the livereload server into the pages it serves; the built
files never contain it. A failed rebuild keeps the last good site and shows the errors.
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
import tempfile
from pathlib import Path

from livereload import Server

from . import pipeline

log = logging.getLogger(__name__)


class _Rebuilder:
    def __init__(self, content: Path, out: Path, today: dt.date, base_url: str) -> None:
        self.content, self.out, self.today, self.base_url = content, out, today, base_url

    def __call__(self) -> None:
        result = pipeline.build(self.content, self.out, self.today, self.base_url)
        for diagnostic in result.report.sorted():
            print(diagnostic.format(), file=sys.stderr)
        if result.files is None:
            print(f"Bygget misslyckades: {result.report.summary()} Sidan visar den senaste fungerande versionen.", file=sys.stderr)
        else:
            print(f"Byggt: {len(result.catalogue.courses)} utbildningar. {result.report.summary()}", file=sys.stderr)


def serve(content: Path, port: int, today: dt.date) -> int:
    out = Path(tempfile.mkdtemp(prefix="yrkesvux-serve-")) / "site"
    rebuild = _Rebuilder(content, out, today, f"http://127.0.0.1:{port}")
    rebuild()
    if not out.exists():
        print("Rätta felen ovan och starta igen.", file=sys.stderr)
        return 1
    server = Server()
    for folder in (content, pipeline.ROOT / "templates", pipeline.ROOT / "assets"):
        server.watch(str(folder), rebuild, delay=0.1)
    print(f"Webbplatsen visas på http://127.0.0.1:{port}/ – avsluta med Ctrl+C", file=sys.stderr)
    server.serve(root=str(out), host="127.0.0.1", port=port, open_url_delay=None, restart_delay=0)
    return 0
