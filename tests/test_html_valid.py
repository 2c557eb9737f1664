"""Every built page is valid HTML according to the Nu HTML Checker (vnu.jar from the npm registry)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from dalawux_site import pipeline

from .conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _check(folder: Path) -> list[str]:
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-css", "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').split('/_site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]


@pytest.mark.parametrize("content, today", [
    (ROOT / "content", TODAY), (ROOT / "tests" / "sample" / "content", TODAY),
    (ROOT / "content", dt.date(2030, 1, 1)),  # no course open: the pages that say so
], ids=["bundled", "sample", "nothing-open"])
def test_every_page_is_valid_html(tmp_path, content, today):
    out = tmp_path / "_site"
    assert pipeline.build(content, out, today).written is not None
    assert len(list(out.rglob("*.html"))) > 10
    assert _check(out) == []


def test_checker_really_reports_errors(tmp_path):
    folder = tmp_path / "_site"
    folder.mkdir()
    (folder / "bad.html").write_text("<!doctype html><html lang=sv><title>x</title><p><div></p>", encoding="utf-8")
    assert _check(folder) != []
