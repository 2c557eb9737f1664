"""`make editor`: the dev server and the form editor on this computer, saving into the working copy.

decap-server (pinned in package.json, installed by `npm ci`) is the form editor's local backend:
it reads and writes the files under the repository folder and listens on 127.0.0.1 only. The dev
server builds and shows the site on 127.0.0.1 and rebuilds it after every save, so a course saved
in the form is on the site a moment later. No GitHub or Netlify account is needed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dalawux_site.serve import serve  # noqa: E402

PROXY = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make editor", description="Redigeraren och webbplatsen på din dator.")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="mappen med innehållet (standard: content)")
    parser.add_argument("--port", type=int, default=8000, help="webbplatsens port (standard: 8000)")
    parser.add_argument("--proxy-port", type=int, default=8081, help="redigerarens port för att spara (standard: 8081)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="dagens datum ÅÅÅÅ-MM-DD (standard: i dag)")
    args = parser.parse_args(argv)
    content = args.content.resolve()
    if content.name != "content" or not content.is_dir():
        print(f"make editor: {args.content} ska vara en mapp som heter content", file=sys.stderr)
        return 2
    if not PROXY.is_file():
        print("make editor: decap-server saknas – kör `npm ci` (make editor gör det själv)", file=sys.stderr)
        return 2
    env = {
        **os.environ, "PORT": str(args.proxy_port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(content.parent), "LOG_LEVEL": "warn",
    }
    proxy = subprocess.Popen(["node", str(PROXY)], env=env, cwd=content.parent)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by its parent: stop decap-server too
    try:
        if not _listening(args.proxy_port, proxy):
            print(f"make editor: decap-server startade inte på port {args.proxy_port}", file=sys.stderr)
            return 3
        print(f"Redigeraren visas på http://127.0.0.1:{args.port}/admin/ – det du sparar hamnar i {content}", file=sys.stderr)
        return serve(content, args.port, args.today or dt.date.today(), f"http://127.0.0.1:{args.proxy_port}/api/v1")
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


def _listening(port: int, process: subprocess.Popen, wait: float = 15.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


if __name__ == "__main__":
    sys.exit(main())
