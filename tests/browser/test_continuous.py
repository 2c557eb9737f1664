"""The "Löpande start" choice and "Öppen för ansökan nu" in the browser, on the sample site with
continuous intakes added."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page

from dalawux_site import pipeline
from dalawux_site.static_server import serve_folder

from ..conftest import SAMPLE, TODAY
from ..test_national_fields import CONTINUOUS
from .test_search import shown


@pytest.fixture(scope="module")
def continuous_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("continuous")
    shutil.copytree(SAMPLE, folder / "content")
    (folder / "content" / "courses" / "orsa.yaml").write_text(CONTINUOUS, encoding="utf-8")
    result = pipeline.build(folder / "content", folder / "site", TODAY)
    assert result.written is not None
    server, url = serve_folder(folder / "site")
    yield url
    server.shutdown()


def test_continuous_start_choice_shows_only_courses_that_start_continuously(page: Page, continuous_url: str):
    page.goto(continuous_url + "/")
    everything = shown(page)
    page.get_by_label("Start", exact=True).select_option(label="Löpande start")
    assert sorted(shown(page)) == ["/utbildningar/truckforare-orsa/", "/utbildningar/underskoterska-orsa/"]
    assert "start=lopande" in page.url
    page.get_by_label("Start", exact=True).select_option("")
    page.get_by_label("Öppen för ansökan nu", exact=True).check()
    open_now = shown(page)
    assert {"/utbildningar/truckforare-orsa/", "/utbildningar/underskoterska-orsa/"} <= set(open_now) < set(everything)
