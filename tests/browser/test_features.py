"""What a visitor does in the browser: listen, print, and trust that nothing is stored."""
from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from .conftest import axe_violations

# A stubbed speech synthesis: one Swedish voice, and every utterance recorded instead of spoken.
RECORD_SPEECH = """
window.__spoken = [];
window.__cancelled = 0;
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
window.speechSynthesis.getVoices = () => [{lang: "en-US", name: "English"}, {lang: "sv-SE", name: "Alva"}];
window.speechSynthesis.speak = (u) => { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}); };
window.speechSynthesis.cancel = () => { window.__cancelled++; };
"""
NO_SWEDISH_VOICE = RECORD_SPEECH.replace('{lang: "sv-SE", name: "Alva"}', '{lang: "de-DE", name: "Deutsch"}')


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
    expect(page.get_by_role("button", name="Sluta läsa")).to_have_attribute("aria-pressed", "true")
    spoken = page.evaluate("window.__spoken")
    assert {(s["lang"], s["voice"]) for s in spoken} == {("sv-SE", "Alva")}
    assert spoken[0]["text"] == course["title"]
    assert "Så ansöker du" in [s["text"] for s in spoken]


def spoken_blocks(page: Page, url: str) -> list[str]:
    page.add_init_script(RECORD_SPEECH)
    page.goto(url)
    page.get_by_role("button", name="Lyssna").click()
    expect(page.get_by_role("button", name="Sluta läsa")).to_be_visible()
    return [s["text"] for s in page.evaluate("window.__spoken")]


def test_listen_reads_the_content_in_order_in_blocks_with_tables_as_sentences(page: Page, built_catalogue):
    courses = json.loads((built_catalogue / "utbildningar.json").read_text(encoding="utf-8"))
    course = next(c for c in courses if len(c["intakes"]) >= 2 and c["provider"] == "ludvika")
    blocks = spoken_blocks(page, course["url"])
    # The table of starts, one sentence a row, as the page shows the dates
    rows = page.eval_on_selector_all("table.intakes tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent.trim()))")
    assert len(rows) == len(course["intakes"]) >= 2
    for start, last in rows:
        assert f"Start {start}, sista ansökningsdag {last}" in blocks
    assert re.fullmatch(r"Start \d+ \w+ 20\d\d, sista ansökningsdag \d+ \w+ 20\d\d.*", next(b for b in blocks if b.startswith("Start ")))
    headings = ["Fakta", "Om utbildningen", "Starter och sista ansökningsdag", "Så ansöker du", "Frågor om utbildningen?"]
    assert [blocks.index(h) for h in headings] == sorted(blocks.index(h) for h in headings)  # in the page's order
    assert f"Ort: {course['location']}" in blocks  # facts as "term: value"
    # No block runs two pieces together, and none is furniture
    assert not [b for b in blocks if "ludvika.se" in b and "Telefon" in b]
    assert any(b.startswith("E-post:") for b in blocks) and any(b.startswith("Telefon:") for b in blocks)
    furniture = ["Rapportera fel på sidan", "Lyssna", "Sluta läsa", "Läser upp sidan", "Ansök här:", "Start / Utbildningar"]
    assert not [b for b in blocks for f in furniture if f in b]


def test_listen_stops_when_pressed_again(page: Page, built_catalogue):
    spoken_blocks(page, _first_course(built_catalogue)["url"])
    page.get_by_role("button", name="Sluta läsa").click()
    expect(page.get_by_role("button", name="Lyssna")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__cancelled") >= 1


def test_listen_without_a_swedish_voice_says_so_and_reads_nothing(page: Page, built_catalogue, axe_source):
    page.add_init_script(NO_SWEDISH_VOICE)
    page.goto(_first_course(built_catalogue)["url"])
    page.get_by_role("button", name="Lyssna").click()
    status = page.get_by_role("status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Din webbläsare har ingen svensk röst")
    assert page.evaluate("window.__spoken") == []
    expect(page.get_by_role("button", name="Lyssna")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("h1")).to_be_visible()  # the page still works
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert axe_violations(page, axe_source) == []


def test_listen_in_a_browser_that_lists_no_voices_at_all_says_so(page: Page, built_catalogue):
    """Debian's headless Chromium has speech synthesis but no voice: the real API, not a stub."""
    page.goto(_first_course(built_catalogue)["url"])
    assert page.evaluate("speechSynthesis.getVoices().length") == 0
    page.get_by_role("button", name="Lyssna").click()
    expect(page.get_by_role("status")).to_contain_text("ingen svensk röst", timeout=4000)


def test_listen_waits_for_voices_the_browser_lists_late(page: Page, built_catalogue):
    page.add_init_script(RECORD_SPEECH.replace(
        'window.speechSynthesis.getVoices = () =>', 'window.__voices = () =>'
    ) + "window.speechSynthesis.getVoices = () => [];")
    page.goto(_first_course(built_catalogue)["url"])
    page.get_by_role("button", name="Lyssna").click()
    page.evaluate("""() => { speechSynthesis.getVoices = window.__voices;
                             speechSynthesis.dispatchEvent(new Event('voiceschanged')); }""")
    expect(page.get_by_role("button", name="Sluta läsa")).to_be_visible()
    assert page.evaluate("window.__spoken.length") > 5


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
