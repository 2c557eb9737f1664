"""A static server for built sites, behaving like the host: /path/ serves index.html, a missing
page gets 404.html with status 404, and optional headers (e.g. the production CSP) are sent.

Used by the browser tests, the audit and the benchmark; `serve` has its own (serve.py).
"""
from __future__ import annotations

import functools
import http.server
import re
import threading
import tomllib
from pathlib import Path
from typing import Callable


HeaderRule = Callable[[str], dict[str, str]]  # request path -> headers to send


class _Handler(http.server.SimpleHTTPRequestHandler):
    headers_for: HeaderRule = staticmethod(lambda path: {})
    folder: Path = Path(".")
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml", ".wasm": "application/wasm"}

    def log_message(self, *args: object) -> None:  # quiet: tests and audits print their own output
        pass

    def end_headers(self) -> None:
        for name, value in self.headers_for(self.path.split("?", 1)[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.folder / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_folder(folder: Path, headers_for: HeaderRule | None = None, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve folder on 127.0.0.1 in a background thread; returns the server and its base URL."""
    handler = type("Handler", (_Handler,), {"headers_for": staticmethod(headers_for or (lambda path: {})), "folder": folder})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def netlify_headers(config: Path) -> HeaderRule:
    """The headers netlify.toml gives each path; a later matching rule overrides an earlier one."""
    rules = []
    for rule in tomllib.loads(config.read_text(encoding="utf-8")).get("headers", []):
        pattern = "^" + re.escape(rule["for"]).replace(r"\*", ".*") + "$"
        rules.append((re.compile(pattern), rule["values"]))

    def headers_for(path: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for pattern, values in rules:
            if pattern.match(path):
                found.update(values)
        return found

    return headers_for
