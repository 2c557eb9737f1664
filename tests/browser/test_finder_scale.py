"""The finder on a catalogue of thousands of courses: it loads only the parts a choice needs, and
its counts are exactly the catalogue's."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from bench import generate
from dalawux_site import pipeline
from dalawux_site.finder import CARD_CHUNK, CARDS_SHOWN, default_order
from dalawux_site.geo import km
from dalawux_site.model import ACROSS_COUNTY
from dalawux_site.search_index import index_words, search_records
from dalawux_site.static_server import serve_folder

TODAY = dt.date(2026, 11, 22)
COURSES = 2500


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    root = tmp_path_factory.mktemp("finder-scale")
    generate.generate(root / "content", COURSES, TODAY)
    result = pipeline.build(root / "content", root / "site", TODAY)
    assert result.written is not None
    server, url = serve_folder(root / "site")
    yield url, result.catalogue
    server.shutdown()


def settle(page: Page) -> str:
    page.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') === 'false'")
    return page.text_content("[data-result-count]")


def count(n: int) -> str:
    return f"{n} utbildningar passar"


def test_counts_are_the_catalogues_for_filters_words_and_near(page: Page, large):
    url, catalogue = large
    courses = catalogue.courses
    page.goto(url + "/")
    page.get_by_label("Kommun", exact=True).select_option("falun")
    assert settle(page) == count(sum(c.provider.id == "falun" for c in courses))
    page.get_by_label("Studietakt", exact=True).select_option("100")
    page.get_by_label("Område", exact=True).select_option("vard-omsorg")
    care = [c for c in courses if c.provider.id == "falun" and c.pace == 100 and c.area.id == "vard-omsorg"]
    assert settle(page) == count(len(care)) and care
    page.get_by_role("button", name="Rensa").click()
    settle(page)
    page.get_by_label("Start", exact=True).select_option("vt-2027")
    spring = [c for c in courses if any(i.start and i.start.year == 2027 and i.start.month <= 6 for i in c.intakes)]
    assert settle(page) == count(len(spring))

    page.get_by_role("button", name="Rensa").click()
    settle(page)
    records = search_records(catalogue)
    words = {c.path: index_words(records[c.path]) for c in courses}
    page.get_by_label("Sök på yrke eller utbildning", exact=True).fill("undersköterska")
    nurses = [c for c in courses if any(w.startswith("underskoterska") for w in words[c.path])]
    assert settle(page) == count(len(nurses)) and len(nurses) > CARDS_SHOWN
    assert page.locator("[data-result-list] .course-card").count() == CARDS_SHOWN
    shown = page.eval_on_selector_all("[data-result-list] .course-card h3 a", "els => els.map(e => e.getAttribute('href'))")
    assert shown == [c.path for c in default_order(tuple(nurses))][:CARDS_SHOWN]

    page.get_by_label("Nära", exact=True).select_option("mora")
    page.get_by_label("Avstånd", exact=True).select_option("25")
    mora = next(p for p in catalogue.providers if p.id == "mora").main_town
    near = [c for c in nurses if c.location == ACROSS_COUNTY or (catalogue.place(c.location) and km(mora, catalogue.place(c.location)) <= 25)]
    assert settle(page).startswith(count(len(near)) + ", högst 25 km från Mora") and near


def test_a_choice_loads_only_its_own_file_and_the_cards_shown(page: Page, large):
    url, catalogue = large
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url.rsplit("/", 1)[-1]) if "/sok/" in r.url else None)
    page.goto(url + "/")
    page.get_by_label("Område", exact=True).select_option("vard-omsorg")
    settle(page)
    page.wait_for_load_state("networkidle")
    cards = [name for name in requested if re.fullmatch(r"k\d+\.json", name)]
    assert [name for name in requested if name not in cards] == ["f-omrade.json"]
    care = [n for n, c in enumerate(default_order(catalogue.courses)) if c.area.id == "vard-omsorg"]
    assert sorted(cards) == sorted({f"k{n // CARD_CHUNK}.json" for n in care[:CARDS_SHOWN]})
    assert len(cards) < -(-COURSES // CARD_CHUNK) / 2  # far from every file of cards
    more = page.get_by_role("button", name=re.compile(r"^Visa \d+ till"))
    expect(more).to_have_text(f"Visa {CARDS_SHOWN} till ({len(care) - CARDS_SHOWN} kvar)")
