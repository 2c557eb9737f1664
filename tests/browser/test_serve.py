"""The dev server: a saved change reloads the page by itself, and a broken file shows its errors."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ..conftest import SAMPLE
from .conftest import ROOT

COURSE = "/utbildningar/timmerhusbyggare-mora/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dev_server(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", str(port), "--today", "2026-11-22"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield content, url
    process.terminate()
    process.wait(timeout=10)


def test_saved_change_reloads_the_page(page: Page, dev_server):
    content, url = dev_server
    page.goto(url + COURSE)
    assert "livereload" in page.content()  # injected when serving only, never built into the files
    page.wait_for_timeout(300)  # let the page connect to the reload socket
    course_file = content / "courses" / "mora" / "timmerhusbyggare-mora.yaml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("gamla och nya verktyg", "yxa och kniv"), encoding="utf-8")
    expect(page.locator(".prose")).to_contain_text("yxa och kniv", timeout=10000)


def test_build_error_is_shown_in_the_browser_until_fixed(page: Page, dev_server):
    content, url = dev_server
    page.goto(url + COURSE)
    page.wait_for_timeout(300)
    course_file = content / "courses" / "mora" / "timmerhusbyggare-mora.yaml"
    good = course_file.read_text(encoding="utf-8")
    course_file.write_text(good.replace("pace: 100", "pace: hundra"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Bygget misslyckades", timeout=10000)
    expect(page.locator("main, body").first).to_contain_text('timmerhusbyggare-mora.yaml:6: fältet "pace" måste vara ett heltal')
    course_file.write_text(good, encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Timmerhusbyggare – Mora kommun (Mora)", timeout=10000)
