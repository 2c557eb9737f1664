"""Every built page is valid HTML according to the Nu HTML Checker (vnu.jar from the npm registry),
run once in one JVM over every shared built site."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The quick compiler only: one run is too short for the optimising one to pay for itself. Its larger
# frames need a deeper stack for the checker's schema (it says so when the stack is too small).
JVM = ("-XX:TieredStopAtLevel=1", "-Xss4m")
SITES = {"bundled": "bundled", "sample": "site", "nothing-open": "bundled_nothing_open"}  # name: fixture


@pytest.fixture(scope="module")
def checked(request, tmp_path_factory) -> dict[str, list[str]]:
    """The checker's errors by site, and by "bad": a page it must find fault with."""
    roots = {name: request.getfixturevalue(fixture).root.resolve() for name, fixture in SITES.items()}
    roots["bad"] = tmp_path_factory.mktemp("invalid").resolve()
    (roots["bad"] / "bad.html").write_text("<!doctype html><html lang=sv><title>x</title><p><div></p>", encoding="utf-8")
    done = subprocess.run(
        ["java", *JVM, "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-css", "--skip-non-html", *map(str, roots.values())],
        capture_output=True, text=True, timeout=600,
    )
    found: dict[str, list[str]] = {name: [] for name in roots}
    for m in json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]:
        file = Path(unquote(urlsplit(m.get("url", "")).path))
        name = next((n for n, root in roots.items() if file.is_relative_to(root)), None)
        assert name is not None, m  # a message about no page of ours: the checker itself failed
        found[name].append(f"{file.relative_to(roots[name]).as_posix()}:{m.get('lastLine')}: {m['message']}")
    return found


@pytest.mark.parametrize("name", sorted(SITES))
def test_every_page_is_valid_html(request, checked, name):
    assert len(list(request.getfixturevalue(SITES[name]).root.rglob("*.html"))) > 10
    assert checked[name] == []


def test_checker_really_reports_errors(checked):
    assert checked["bad"] != [] and all(m.startswith("bad.html:") for m in checked["bad"])
