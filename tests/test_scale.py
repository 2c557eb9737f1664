"""A large catalogue stays light for visitors: a short start page, list pages split into numbered
pages, and every course reachable without JavaScript (issue 19). Built from bench/generate.py with
a small page size, so that pagination happens on a catalogue that builds quickly."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bench import generate
from dalawux_site import finder, pipeline, render

from .test_search import card_rows

TODAY = dt.date(2026, 11, 22)
COURSES = 300
PAGE_SIZE = 10


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("scale")
    generate.generate(root / "content", COURSES, TODAY)
    patch = pytest.MonkeyPatch()
    patch.setattr(render, "PAGE_SIZE", PAGE_SIZE)
    try:
        result = pipeline.build(root / "content", root / "site", TODAY)
    finally:
        patch.undo()
    assert result.written is not None
    return root / "site", result.catalogue


def soup_of(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_start_page_shows_a_bounded_number_of_courses_and_links_every_list(big):
    site, catalogue = big
    soup = soup_of(site, "/")
    cards = soup.select(".course-card")
    assert len(cards) == 12
    assert [c.a["href"] for c in cards] == [c.path for c in finder.default_order(catalogue.courses)[:12]]
    areas = {a["href"]: a.select_one(".n").get_text() for a in soup.select("[data-browse] nav[aria-labelledby=valj-omrade] a")}
    assert areas == {a.path: f"({len(catalogue.courses_in_area(a))})" for a in catalogue.areas if catalogue.courses_in_area(a)}
    assert len(soup.select("[data-browse] nav[aria-labelledby=valj-kommun] a")) == 15
    form = soup.select_one("form[data-finder]")
    rows = card_rows(site, form)  # in files of finder.CARD_CHUNK cards
    assert len(rows) == COURSES == int(form["data-total"]) and COURSES > finder.CARD_CHUNK
    assert [f"/utbildningar/{row[0]}/" for row in rows] == [c.path for c in finder.default_order(catalogue.courses)]


def test_every_course_is_reachable_from_the_start_page_without_javascript(big):
    site, catalogue = big
    seen, queue, found = {"/"}, ["/"], Counter()
    while queue:
        for a in soup_of(site, queue.pop()).select("main a[href]"):
            href = a["href"]
            if href.startswith("/utbildningar/"):
                found[href] += 1
            elif href.startswith(("/omraden/", "/kommuner/")) and href.endswith("/") and href not in seen:
                seen.add(href)
                queue.append(href)
    assert {c.path for c in catalogue.courses} <= set(found)
    assert any("/sida/" in page for page in seen)


def test_long_lists_are_split_into_numbered_pages_with_prev_and_next(big):
    site, catalogue = big
    for owner, courses in [(a, catalogue.courses_in_area(a)) for a in catalogue.areas] + [
            (p, catalogue.courses_by(p)) for p in catalogue.providers]:
        count = max(1, -(-len(courses) // PAGE_SIZE))
        urls = [owner.path] + [f"{owner.path}sida/{n}/" for n in range(2, count + 1)]
        listed = []
        for n, url in enumerate(urls, start=1):
            soup = soup_of(site, url)
            cards = [a["href"] for a in soup.select(".course-list .course-card-title a")]
            assert 0 < len(cards) <= PAGE_SIZE or not courses
            listed += cards
            prev, nxt = soup.select_one("a[rel=prev]"), soup.select_one("a[rel=next]")
            assert (prev["href"] if prev else None) == (urls[n - 2] if n > 1 else None), url
            assert (nxt["href"] if nxt else None) == (urls[n] if n < count else None), url
            pages = soup.select_one("nav.pager")
            if count > 1:
                assert pages.select_one("[aria-current=page]").get_text() == str(n)
                assert [a["href"] for a in pages.select("a[aria-label]")] == [u for i, u in enumerate(urls, 1) if i != n]
            else:
                assert pages is None
            assert len(gzip.compress((site / url.lstrip("/") / "index.html").read_bytes(), 9)) <= 100_000
        titles = sorted(courses, key=lambda c: (c.title, c.id))
        assert listed == [c.path for c in titles], owner.path
        assert not (site / owner.path.lstrip("/") / "sida" / str(count + 1)).exists()
    assert any((site / a.path.lstrip("/") / "sida" / "2" / "index.html").exists() for a in catalogue.areas)


def test_follow_files_of_a_paged_area_hold_every_course_of_the_area(big):
    site, catalogue = big
    area = max(catalogue.areas, key=lambda a: len(catalogue.courses_in_area(a)))
    folder = site / area.path.lstrip("/")
    assert (folder / "sida" / "2" / "index.html").exists()
    rows = list(csv.reader((folder / "utbildningar.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == 1 + len(catalogue.courses_in_area(area))
    assert (folder / "feed.xml").exists() and (folder / "sista-ansokningsdag.ics").exists()
    page2 = soup_of(site, f"{area.path}sida/2/")
    assert page2.select_one(f"a[href='{area.path}feed.xml']") is not None
    assert page2.title.get_text().startswith(f"{area.name}, sida 2")


def test_a_municipality_names_a_bounded_number_of_courses_near_it(big):
    site, catalogue = big
    sizes = []
    for provider in catalogue.providers:
        soup = soup_of(site, provider.path)
        near = soup.select(".nearby-list li")
        assert len(near) <= render.NEARBY_SHOWN
        sizes.append(len(near))
        if (site / provider.path.lstrip("/") / "sida" / "2").exists():
            assert soup_of(site, f"{provider.path}sida/2/").select_one(".nearby") is None
    assert max(sizes) == render.NEARBY_SHOWN
