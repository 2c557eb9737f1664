"""Nära: courses near a municipality's main town, and on a phone the first result in view."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dalawux_site import pipeline
from dalawux_site.geo import about_km, km

from ..conftest import TODAY
from .conftest import ROOT, axe_violations
from .test_search import RESULTS, every_result, search, shown

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def catalogue():
    return pipeline.check(ROOT / "content", TODAY).catalogue


@pytest.fixture(scope="module")
def courses(built_catalogue: Path) -> list[dict]:
    return json.loads((built_catalogue / "utbildningar.json").read_text(encoding="utf-8"))


def near(catalogue, courses, municipality: str, within: int) -> dict[str, float]:
    """The courses Nära should show: path -> km from the main town (-1: across Dalarna)."""
    town = next(p for p in catalogue.providers if p.id == municipality).main_town
    found = {}
    for c in courses:
        if c["location"] == "Dalarna":
            found[c["url"]] = -1
        elif (distance := km(town, catalogue.place(c["location"]))) <= within:
            found[c["url"]] = distance
    return found


def notes(page: Page) -> list[str]:
    return page.eval_on_selector_all(RESULTS, "els => els.map(e => e.querySelector('.distance').textContent)")


def test_a_shared_address_shows_courses_near_the_main_town_nearest_first(page: Page, catalogue, courses):
    page.goto("/?nara=ludvika&km=50")
    expected = near(catalogue, courses, "ludvika", 50)
    found = every_result(page)
    assert set(found) == set(expected)
    smedjebacken = [c["url"] for c in courses if c["location"] == "Smedjebacken"]
    assert smedjebacken and set(smedjebacken) <= set(found)  # 13 km away, in another municipality
    order = [about_km(expected[p]) if expected[p] >= 0 else 10_000 for p in found]
    assert order == sorted(order)  # nearest first, those across Dalarna last
    by_path = dict(zip(found, notes(page)))
    assert by_path[smedjebacken[0]] == "ca 15 km från Ludvika"
    assert {by_path[p] for p, d in expected.items() if d == -1} == {"i hela Dalarna"}
    assert {by_path[c["url"]] for c in courses if c["location"] == "Ludvika"} == {"i Ludvika"}
    expect(page.get_by_label("Nära", exact=True)).to_have_value("ludvika")
    expect(page.get_by_label("Avstånd", exact=True)).to_have_value("50")
    count = f"{len(found)} utbildningar passar, högst 50 km från Ludvika eller i hela Dalarna, närmast först"
    expect(page.locator("[data-result-count]")).to_have_text(count)
    expect(page.locator("[aria-live=polite]")).to_have_text(count + ".")
    expect(page.get_by_label("Sortera", exact=True).locator("option").first).to_have_text("Närmast först")


def test_choosing_near_and_a_distance_is_kept_in_the_address_and_combines(page: Page, catalogue, courses):
    page.goto("/")
    page.get_by_label("Nära", exact=True).select_option(label="Ludvika kommun")
    assert "nara=ludvika&km=50" in page.url
    page.get_by_label("Avstånd", exact=True).select_option("25")
    assert "nara=ludvika&km=25" in page.url
    within_25 = near(catalogue, courses, "ludvika", 25)
    assert set(every_result(page)) == set(within_25)
    assert len(within_25) < len(near(catalogue, courses, "ludvika", 50))
    page.get_by_label("Område", exact=True).select_option("vard-omsorg")
    by_url = {c["url"]: c for c in courses}
    care = {p for p in within_25 if by_url[p]["area"] == "vard-omsorg"}
    assert care and set(shown(page)) == care
    found = search(page, "undersköterska")
    assert found and set(found) <= care and all(by_url[p]["name"] == "Undersköterska" for p in found)
    page.get_by_label("Avstånd", exact=True).select_option("100")
    page.get_by_label("Nära", exact=True).select_option(label="Älvdalens kommun")
    assert "nara=alvdalen&km=100" in page.url
    expect(page.locator(RESULTS).first.locator(".distance")).to_have_text("i Älvdalen")  # given in the main town itself


def test_reset_takes_the_distances_away(page: Page):
    page.goto("/?nara=mora&km=100")
    expect(page.locator(RESULTS).first.locator(".distance")).to_be_visible()
    page.get_by_role("button", name="Rensa").click()
    expect(page.locator("[data-results]")).to_be_hidden()
    assert page.eval_on_selector_all(".course-card .distance", "els => els.filter(e => !e.hidden).length") == 0
    expect(page.get_by_label("Avstånd", exact=True)).to_have_value("50")
    assert "nara" not in page.url and "km" not in page.url


def test_municipality_page_lists_the_neighbouring_courses_within_50_km(page: Page, catalogue, courses):
    page.goto("/kommuner/ludvika/")
    expected = {p for p, d in near(catalogue, courses, "ludvika", 50).items() if d >= 0}
    others = {c["url"] for c in courses if c["provider"] != "ludvika"}
    section = page.locator("section.nearby")
    links = section.locator(".nearby-list a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    from dalawux_site.render import NEARBY_SHOWN

    assert set(links) <= expected & others and len(links) == min(NEARBY_SHOWN, len(expected & others))  # the nearest
    expect(section.locator("p").first).to_contain_text(f"{len(expected & others)} utbildningar i andra kommuner")
    expect(section.locator(".nearby-list li").first).to_contain_text("från Ludvika")
    section.get_by_role("link", name="Sök bland utbildningarna nära Ludvika").click()
    assert page.url.endswith("/?nara=ludvika&km=50")
    assert shown(page)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("address", ["/?nara=ludvika&km=50&q=svets", "/kommuner/ludvika/", "/omraden/vard-omsorg/"])
def test_axe_finds_nothing_with_near_chosen(page: Page, axe_source, width, address):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(address)
    if "q=" in address:
        page.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') === 'false'")
        assert shown(page)
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# --- phone ----------------------------------------------------------------------------------

def first_result_in_view(page: Page) -> bool:
    return page.evaluate(
        """() => { const first = document.querySelector('[data-result-list] .course-card');
                   if (!first) return false;
                   const box = first.getBoundingClientRect();
                   return box.top >= 0 && box.bottom <= window.innerHeight; }"""
    )


def test_on_a_phone_typing_a_search_brings_the_first_result_into_view(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    search(page, "svets")
    page.wait_for_function("() => document.querySelector('[data-result-list] .course-card') !== null")
    assert first_result_in_view(page)
    box = page.get_by_label("Sök på yrke eller utbildning", exact=True).bounding_box()
    assert box and box["y"] >= 0  # the search box is still in view while typing


def test_on_a_phone_pressing_visa_brings_the_first_result_into_view(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_label("Sök på yrke eller utbildning", exact=True).fill("undersköterska")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') === 'false'")
    assert first_result_in_view(page)


def test_on_a_phone_a_filter_change_brings_the_first_result_into_view(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.locator("[data-filter-panel] summary").click()
    page.get_by_label("Område", exact=True).select_option("vard-omsorg")
    page.wait_for_timeout(100)
    assert first_result_in_view(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_label("Nära", exact=True).select_option("ludvika")
    page.wait_for_timeout(100)
    assert first_result_in_view(page)


@pytest.mark.parametrize("address", ["/?q=undersk%C3%B6terska", "/?q=svets&nara=falun&km=50", "/?omrade=industri"])
def test_on_a_phone_an_address_with_a_search_opens_with_a_result_in_view(page: Page, address):
    page.set_viewport_size(PHONE)
    page.goto(address)
    page.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') === 'false'")
    page.wait_for_function("() => document.querySelector('[data-result-list] .course-card') !== null")
    assert first_result_in_view(page)


def test_on_a_wide_screen_nothing_scrolls_by_itself(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/?q=undersk%C3%B6terska")
    page.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') === 'false'")
    assert page.evaluate("window.scrollY") == 0
