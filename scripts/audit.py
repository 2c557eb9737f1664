"""`make audit`: Lighthouse on the start page and a course page, in Debian's Chromium.

Builds the bundled content with its base URL set to the local server (so canonical links point to
the page being audited), serves it like the host does, and prints the four category scores.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dalawux_site import pipeline  # noqa: E402
from dalawux_site.static_server import serve_folder  # noqa: E402

LIGHTHOUSE = ROOT / "audit" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"


def main() -> int:
    today = dt.date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "_site"
        server, url = _serve_after_build(out, today)
        course = json.loads((out / "utbildningar.json").read_text(encoding="utf-8"))[0]["url"]
        worst = 100
        for path in ("/", course):
            scores = _lighthouse(url + path, Path(tmp))
            worst = min(worst, *scores.values())
            print(f"{path:60} " + "  ".join(f"{name} {score:3d}" for name, score in scores.items()))
        server.shutdown()
    return 0 if worst == 100 else 1


def _serve_after_build(out: Path, today: dt.date):
    server, url = serve_folder(out)  # serve first: the port goes into the base URL
    result = pipeline.build(ROOT / "content", out, today, base_url=url)
    if result.written is None:
        raise SystemExit("\n".join(d.format() for d in result.report.errors))
    return server, url


def _lighthouse(url: str, tmp: Path) -> dict[str, int]:
    report = tmp / "lighthouse.json"
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        check=True, env=env, timeout=300,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    for category in data["categories"].values():
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                print(f"  {category['id']}: {audit['id']} – {audit['title']} ({audit.get('displayValue', '')})", file=sys.stderr)
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


if __name__ == "__main__":
    sys.exit(main())
