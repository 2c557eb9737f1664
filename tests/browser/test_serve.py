"""The dev server: a saved change reloads the page by itself, and a broken file shows its errors."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from ..conftest import SAMPLE
from .conftest import ROOT

COURSE = "/utbildningar/timmerhusbyggare-mora/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


COURSE_FILE = Path("courses") / "mora" / "timmerhusbyggare-mora.yaml"
NEW_PAGE = Path("pages") / "ny-sida.md"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """One dev server for the module, on a copy of the sample content."""
    root = tmp_path_factory.mktemp("dev-server")
    content = root / "content"
    shutil.copytree(SAMPLE, content)
    pristine = (content / COURSE_FILE).read_text(encoding="utf-8")
    port = _free_port()
    with open(root / "server.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", str(port), "--today", "2026-11-22"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a loaded machine may take long to start Python and build
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            assert process.poll() is None, (root / "server.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the dev server never answered"
            time.sleep(0.1)
    yield content, url, pristine
    process.terminate()
    process.wait(timeout=10)


def _course_page(url: str) -> str:
    try:
        with urllib.request.urlopen(url + COURSE, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


@pytest.fixture
def dev_server(server, page: Page):
    """The shared server, with the sample content put back and rebuilt after each test."""
    content, url, pristine = server
    yield content, url
    page.close()  # no open page reloads while the content is put back (a reload may come during a goto)
    (content / NEW_PAGE).unlink(missing_ok=True)
    if (content / COURSE_FILE).read_text(encoding="utf-8") != pristine:  # else no rebuild to wait for could be seen
        (content / COURSE_FILE).write_text(pristine, encoding="utf-8")
    deadline = time.monotonic() + 60
    while True:  # the next test starts from the sample's own pages
        html = _course_page(url)
        status = 404
        try:
            status = urllib.request.urlopen(url + "/ny-sida/", timeout=5).status
        except OSError:
            pass
        if "gamla och nya verktyg" in html and "Bygget misslyckades" not in html and status != 200:
            break
        assert time.monotonic() < deadline, "the dev server never rebuilt the sample content"
        time.sleep(0.1)


def _open(page: Page, url: str) -> None:
    """Opens url and waits until the page has asked for the reload socket (a reload waits for it to open)."""
    with page.expect_websocket(lambda ws: ws.url.endswith("/livereload")):
        page.goto(url)


def test_saved_change_reloads_the_page(page: Page, dev_server):
    content, url = dev_server
    _open(page, url + COURSE)
    assert "livereload" in page.content()  # injected when serving only, never built into the files
    course_file = content / COURSE_FILE
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("gamla och nya verktyg", "yxa och kniv"), encoding="utf-8")
    expect(page.locator(".prose")).to_contain_text("yxa och kniv", timeout=10000)


def test_build_error_is_shown_in_the_browser_until_fixed(page: Page, dev_server):
    content, url = dev_server
    _open(page, url + COURSE)
    course_file = content / COURSE_FILE
    good = course_file.read_text(encoding="utf-8")
    course_file.write_text(good.replace("pace: 100", "pace: hundra"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Bygget misslyckades", timeout=10000)
    expect(page.locator("main")).to_contain_text('Fältet "pace" måste vara ett heltal')
    expect(page.locator("main")).to_contain_text("Filen content/courses/mora/timmerhusbyggare-mora.yaml, rad 6:")
    course_file.write_text(good, encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Timmerhusbyggare – Mora kommun (Mora)", timeout=10000)


def test_error_page_wraps_at_320_and_1280_px_with_the_fix_first(page: Page, dev_server):
    content, url = dev_server
    _open(page, url + COURSE)
    course_file = content / COURSE_FILE
    long_line = "beskrivning_av_utbildningen_utan_ett_enda_mellanslag: " + "ord" * 150  # an unknown field, one long line
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("pace: 100", f"pace: hundra\n{long_line}"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Bygget misslyckades", timeout=10000)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
    items = page.locator("main ol > li")
    assert items.count() == 2
    for i in range(2):  # what to do first, then where, then the line itself
        assert items.nth(i).evaluate("li => [...li.children].map(c => c.className || c.tagName)") in (["fix", "where", "PRE"], ["fix", "where"])
    expect(items.nth(1).locator(".fix")).to_contain_text("Okänt fält")
    expect(items.nth(1).locator("pre")).to_contain_text(long_line[:40])


def test_a_file_moved_back_with_its_old_time_shows_again(page: Page, dev_server):
    content, url = dev_server
    _open(page, url + COURSE)
    course_file = content / COURSE_FILE
    backup = content.parent / "timmerhusbyggare-mora.yaml.bak"  # outside content/: a stray file there is an error now
    shutil.copy2(course_file, backup)  # keeps the old modification time
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("gamla och nya verktyg", "yxa och kniv"), encoding="utf-8")
    expect(page.locator(".prose")).to_contain_text("yxa och kniv", timeout=10000)
    backup.replace(course_file)  # mv back: older than what the server last built
    expect(page.locator(".prose")).to_contain_text("gamla och nya verktyg", timeout=10000)


def test_a_file_moved_in_with_an_old_time_is_published(page: Page, dev_server, tmp_path):
    content, url = dev_server
    written = tmp_path / "ny-sida.md"
    written.write_text("---\ntitle: En ny sida\n---\nSkriven för länge sedan.\n", encoding="utf-8")
    os.utime(written, (0, 0))  # dated 1970: older than the server itself
    shutil.move(written, content / NEW_PAGE)
    for _ in range(100):
        if page.goto(url + "/ny-sida/").status == 200:
            break
        page.wait_for_timeout(100)
    expect(page.locator("h1")).to_have_text("En ny sida")
