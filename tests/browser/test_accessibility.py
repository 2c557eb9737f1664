"""WCAG 2.1 AA in a real browser: axe-core, keyboard, reflow, zoom and no JavaScript."""
from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from .conftest import axe_violations

# One page of every kind. The 404 page is reached through an address that does not exist.
PAGES = [
    "/", "/omraden/", "/omraden/vard-omsorg/", "/kommuner/", "/kommuner/falun/", "COURSE", "/om/", "/kontakt/",
    "/tillganglighet/", "/how-to-apply-en/", "/infobrev/", "/infobrev/2026-11-20-novemberbrev/", "/for-kommuner/", "/utbudet/",
    "/finns-inte/",
]


def _url(page_path: str, built_catalogue) -> str:
    if page_path != "COURSE":
        return page_path
    return json.loads((built_catalogue / "utbildningar.json").read_text(encoding="utf-8"))[0]["url"]


@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_nothing_at_1280_and_320_px_and_at_320_px_nothing_scrolls_sideways(page: Page, built_catalogue, axe_source, page_path):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(_url(page_path, built_catalogue))
    assert axe_violations(page, axe_source) == [], "at 1280 px"
    # The same page narrowed: only the finder (start page) sets itself up by the width it loads at.
    page.set_viewport_size({"width": 320, "height": 640})
    if page.locator("[data-finder]").count():
        page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 320, "height": 800})  # taller only: no width's rules change
    assert axe_violations(page, axe_source) == [], "at 320 px"


@pytest.mark.parametrize("page_path", ["/", "COURSE", "/kontakt/"])
def test_text_zoomed_to_200_percent_still_fits(page: Page, built_catalogue, page_path):
    page.set_viewport_size({"width": 640, "height": 800})
    page.goto(_url(page_path, built_catalogue))
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 640


def test_first_tab_reaches_visible_skip_link_that_moves_focus_to_main(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Till huvudinnehållet")
    box = focused.bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 20
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_control_is_reachable_with_visible_focus_and_no_trap(page: Page):
    page.goto("/")
    tabbable = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
              .filter(e => e.offsetParent !== null || e.classList.contains('skip-link')).length"""
    )
    seen = []
    for _ in range(tabbable + 5):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; if (!e || e === document.body) return null;
                 const s = getComputedStyle(e);
                 return {key: e.outerHTML.slice(0, 80), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                         shadow: s.boxShadow !== 'none'}; }"""
        )
        if info is None:
            break  # focus left the page: no trap
        assert info["outline"] or info["shadow"], f"no visible focus on {info['key']}"
        seen.append(info["key"])
    assert len(set(seen)) >= tabbable - 1  # every control was reached once


def test_site_works_without_javascript(browser, base_url, built_catalogue):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/")
    courses = json.loads((built_catalogue / "utbildningar.json").read_text(encoding="utf-8"))
    def hrefs(prefix: str) -> set[str]:
        return set(page.eval_on_selector_all(f"main a[href^='{prefix}']", "els => els.map(e => e.getAttribute('href'))"))
    links, lists = hrefs("/utbildningar/"), hrefs("/omraden/") | hrefs("/kommuner/")

    def file_hrefs(url: str, prefix: str) -> set[str]:
        """Without JavaScript a page is its HTML: its links, read from the built file."""
        soup = BeautifulSoup((built_catalogue / url.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")
        return {a["href"] for a in soup.select(f"main a[href^='{prefix}']")}

    seen = set()
    while lists - seen:  # every course through the area and municipality pages (and their numbered pages)
        url = sorted(lists - seen)[0]
        seen.add(url)
        links |= file_hrefs(url, "/utbildningar/")
        lists |= {u for u in file_hrefs(url, "/omraden/") | file_hrefs(url, "/kommuner/") if u.endswith("/")}
    assert len(seen) >= 12 + 15 and {c["url"] for c in courses} <= links
    page.goto(courses[0]["url"])
    expect(page.locator("h1")).to_have_text(courses[0]["title"])
    context.close()


def test_reduced_motion_is_respected(browser, base_url):
    context = browser.new_context(reduced_motion="reduce", base_url=base_url)
    page = context.new_page()
    page.goto("/")
    durations = page.eval_on_selector_all("a, button", "els => els.map(e => getComputedStyle(e).transitionDuration)")
    assert set(durations) <= {"0s"}
    context.close()
