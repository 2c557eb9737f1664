"""The day no course is open: the start page says so, and the search loads and finds nothing."""
from __future__ import annotations

import json
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from dalawux_site.static_server import netlify_headers, serve_folder

from ..conftest import BuiltSite
from .conftest import ROOT


@pytest.fixture(scope="module")
def empty_url(bundled_nothing_open: BuiltSite) -> Iterator[str]:
    assert not json.loads(bundled_nothing_open.path("/utbildningar.json").read_bytes())
    server, url = serve_folder(bundled_nothing_open.root, netlify_headers(ROOT / "netlify.toml"))  # the production CSP too
    yield url
    server.shutdown()


def test_search_loads_and_finds_nothing_saying_why(page: Page, empty_url: str):
    loaded: list[tuple[str, int]] = []
    page.on("response", lambda r: loaded.append((r.url.removeprefix(empty_url), r.status)) if "/sok/" in r.url else None)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(empty_url + "/")
    expect(page.locator("[data-empty-catalogue]")).to_contain_text("Just nu går ingen utbildning att söka")
    expect(page.locator("[data-result-count]")).to_have_text("Ingen utbildning att söka just nu")
    page.fill("#sok-q", "svetsare")
    expect(page.locator("[data-no-results]")).to_be_visible()
    expect(page.locator("[data-no-results]")).to_contain_text("ingen utbildning går att söka just nu")
    expect(page.locator("[data-result-count]")).to_have_text("Ingen utbildning passar")
    # The finder's word list was fetched and knows no word.
    fetched = {url.rsplit("/", 1)[-1] for url, status in loaded if status == 200}
    assert "ord.json" in fetched
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert errors == []
