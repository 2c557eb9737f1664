"""What a visitor does in the browser: listen, print, and trust that nothing is stored."""
from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from .conftest import axe_violations

RECORD_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = (u) => { window.__spoken.push({text: u.text, lang: u.lang}); };
"""


def _first_course(built_catalogue) -> dict:
    return json.loads((built_catalogue / "utbildningar.json").read_text(encoding="utf-8"))[0]


def test_axe_is_really_checking(page: Page, axe_source):
    """Guards the axe tests against passing vacuously: a real violation is found."""
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert "label" in [v["id"] for v in axe_violations(page, axe_source)]


def test_listen_reads_the_course_in_swedish(page: Page, built_catalogue):
    course = _first_course(built_catalogue)
    page.add_init_script(RECORD_SPEECH)
    page.goto(course["url"])
    button = page.get_by_role("button", name="Lyssna")
    expect(button).to_be_visible()
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "sv-SE"
    assert spoken[0]["text"].startswith(course["title"])
    assert "Så ansöker du" in spoken[0]["text"]
    expect(page.get_by_role("button", name="Sluta läsa")).to_have_attribute("aria-pressed", "true")


def test_listen_is_hidden_where_the_browser_cannot_speak(page: Page, built_catalogue):
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    page.goto(_first_course(built_catalogue)["url"])
    expect(page.get_by_role("button", name="Lyssna")).to_have_count(0)


def test_course_prints_with_facts_and_apply_link_written_out(page: Page, built_catalogue):
    course = _first_course(built_catalogue)
    page.goto(course["url"])
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".course-facts")).to_be_visible()
    expect(page.get_by_text(f"Ansök här: {course['apply_url']}")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_nothing_is_stored_in_the_browser(page: Page, built_catalogue):
    course = _first_course(built_catalogue)
    for url in ["/", course["url"], "/kontakt/", "/tillganglighet/"]:
        page.goto(url)
    page.get_by_role("button", name="Lyssna").count()
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.evaluate("indexedDB.databases ? indexedDB.databases().then(d => d.length) : 0") == 0
