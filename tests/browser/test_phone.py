"""On a phone (375 × 667 CSS px): the first screen holds the heading and the search box, the menu is tidy."""
from __future__ import annotations

from playwright.sync_api import Page, expect

PHONE = {"width": 375, "height": 667}


def test_first_screen_shows_heading_search_box_and_period_notice(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    search_box = page.get_by_label("Sök på yrke eller utbildning", exact=True)
    expect(search_box).to_be_visible()
    for element in (page.locator("h1"), page.locator(".period-notice"), search_box):
        box = element.bounding_box()
        assert box and box["y"] + box["height"] <= PHONE["height"]


def test_menu_is_two_rows_of_44_px_touch_targets(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    boxes = [link.bounding_box() for link in page.locator(".site-nav a").all()]
    assert all(b and b["height"] >= 44 and b["width"] >= 44 for b in boxes)
    assert len({round(b["y"]) for b in boxes}) <= 2
