"""Finding a course in the browser: search, filters, the address, the keyboard and axe-core."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from dalawux_site.static_server import netlify_headers, serve_folder

from .conftest import ROOT, axe_violations
from .test_features import RECORD_SPEECH

RESULTS = "[data-result-list] .course-card"


@pytest.fixture(scope="session")
def courses(built_catalogue: Path) -> list[dict]:
    return json.loads((built_catalogue / "utbildningar.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def strict_url(built_catalogue: Path) -> Iterator[str]:
    """The same site served with the headers of netlify.toml, strict Content-Security-Policy included."""
    server, url = serve_folder(built_catalogue, netlify_headers(ROOT / "netlify.toml"))
    yield url
    server.shutdown()


def eventually(read, expected, seconds: float = 5.0):
    """Waits for a value that the page computes asynchronously (the finder loads its files first)."""
    deadline = time.monotonic() + seconds
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert value == expected


def settled(page: Page) -> None:
    """Waits for the finder's answer to the last change (what it needs loads on first use)."""
    page.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') !== 'true'")


def shown(page: Page) -> list[str]:
    """Paths of the course cards the visitor sees now, in order (once the finder has answered)."""
    settled(page)
    return page.eval_on_selector_all(
        ".course-card", "els => els.filter(e => e.offsetParent !== null).map(e => e.querySelector('a').getAttribute('href'))"
    )


def every_result(page: Page) -> list[str]:
    """Paths of all the results, in order, "Visa fler" pressed until none is left."""
    more = page.locator("button.show-more")
    settled(page)
    while more.is_visible():
        made = page.locator(RESULTS).count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length > {made}")
    return shown(page)


def soonest(courses: list[dict]) -> list[str]:
    """The start page's courses when nothing is chosen: the 12 whose last application day is nearest."""
    from dalawux_site.finder import SOONEST
    from dalawux_site.swedish import sv_key

    def key(c: dict) -> tuple:
        return (c["intakes"][0]["apply_by"], sv_key(c["title"]), c["id"])
    return [c["url"] for c in sorted(courses, key=key)[:SOONEST]]


def search(page: Page, words: str) -> list[str]:
    page.get_by_label("Sök på yrke eller utbildning", exact=True).fill(words)
    expect(page.locator("[data-results]")).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') === 'false'")
    return shown(page)


def paths(courses: list[dict], keep) -> set[str]:
    return {c["url"] for c in courses if keep(c)}


def test_an_alias_finds_the_course_under_its_canonical_name(page: Page, courses):
    page.goto("/")
    found = search(page, "köksbiträde")
    assert "/utbildningar/restaurangbitrade-hedemora/" in found
    assert set(found) == paths(courses, lambda c: c["name"] == "Restaurangbiträde")


def test_every_course_with_the_canonical_name_is_found_by_any_alias(page: Page, courses):
    page.goto("/")
    assert set(search(page, "måltidsbiträde")) == paths(courses, lambda c: c["name"] == "Restaurangbiträde")


def test_a_word_of_local_names_finds_those_courses(page: Page, courses):
    page.goto("/")
    found = set(search(page, "storkök"))
    local = paths(courses, lambda c: "storkök" in c["local_name"].lower())
    assert len(local) >= 4 and local <= found
    assert {c["name"] for c in courses if c["url"] in found} <= {"Restaurangbiträde", "Kock"}


def test_a_specific_word_finds_nothing_unrelated(page: Page, courses):
    page.goto("/")
    assert set(search(page, "svets")) == paths(courses, lambda c: c["name"] == "Svetsare")


def test_while_searching_only_results_show_with_a_polite_count(page: Page, courses):
    page.goto("/")
    found = search(page, "undersköterska")
    expect(page.locator("[data-catalogue]")).to_be_hidden()
    assert paths(courses, lambda c: c["name"] == "Undersköterska") <= set(found)
    assert set(found) <= paths(courses, lambda c: c["name"] == "Undersköterska" or "undersköterska" in c["description"].lower())
    live = page.locator("[aria-live=polite]")
    expect(live).to_have_text(f"{len(found)} utbildningar passar.")
    expect(page.locator("[data-result-count]")).to_have_text(f"{len(found)} utbildningar passar")


def test_nothing_found_says_what_to_do(page: Page):
    page.goto("/")
    assert search(page, "astronaut") == []
    expect(page.locator("[data-no-results]")).to_be_visible()
    expect(page.locator("[data-no-results]")).to_contain_text("Ingen utbildning passar. Prova ett annat ord")
    expect(page.locator("[aria-live=polite]")).to_contain_text("Ingen utbildning passar")


def test_filters_combine_with_each_other_and_with_the_search(page: Page, courses):
    page.goto("/")
    page.get_by_label("Kommun", exact=True).select_option(label="Mora kommun")
    assert set(shown(page)) == paths(courses, lambda c: c["provider"] == "mora")
    page.get_by_label("Studietakt", exact=True).select_option(label="50 % (halvtid)")
    page.get_by_label("Studieform", exact=True).select_option(label="Distans")
    expected = paths(courses, lambda c: c["provider"] == "mora" and c["pace"] == 50 and "distans" in c["study_forms"])
    assert set(shown(page)) == expected and expected
    assert search(page, "svets") == []
    assert set(search(page, "assistent")) == expected


def test_place_area_start_and_open_now(page: Page, courses):
    page.goto("/")
    page.get_by_label("Ort", exact=True).select_option("Dalarna")
    page.get_by_label("Område", exact=True).select_option(label="Vård och omsorg")
    assert set(shown(page)) == paths(courses, lambda c: c["location"] == "Dalarna" and c["area"] == "vard-omsorg")
    page.get_by_label("Ort", exact=True).select_option("")
    page.get_by_label("Start", exact=True).select_option("vt-2027")
    spring = paths(courses, lambda c: c["area"] == "vard-omsorg" and any(i["start"] < "2027-07" and i["start"] >= "2027-01" for i in c["intakes"]))
    assert set(shown(page)) == spring and spring
    page.get_by_label("Start", exact=True).select_option("2027-08")
    assert set(shown(page)) == paths(courses, lambda c: c["area"] == "vard-omsorg" and any(i["start"].startswith("2027-08") for i in c["intakes"]))
    page.get_by_label("Start", exact=True).select_option("")
    page.get_by_label("Öppen för ansökan nu", exact=True).check()
    settled(page)
    open_now = page.eval_on_selector_all(RESULTS, "els => els.map(e => e.dataset.oppen)")
    assert open_now and set(open_now) == {"ja"}


def test_sorting_by_last_application_day_or_by_name(page: Page):
    page.goto("/?omrade=vard-omsorg")
    settled(page)
    days = page.eval_on_selector_all(RESULTS, "els => els.map(e => e.dataset.sista)")
    assert len(days) > 5 and days == sorted(days)
    page.get_by_label("Sortera", exact=True).select_option(label="Namn A–Ö")
    settled(page)
    titles = page.eval_on_selector_all(RESULTS + " h3", "els => els.map(e => e.textContent.trim())")
    assert titles == page.evaluate("t => [...t].sort(new Intl.Collator('sv').compare)", titles)
    assert "sortera=namn" in page.url


def test_a_shared_address_shows_the_same_results(page: Page):
    page.goto("/")
    page.get_by_label("Studieform", exact=True).select_option(label="Lärling")
    found = search(page, "lärling")
    assert found and "q=l%C3%A4rling" in page.url and "studieform=larling" in page.url
    other = page.context.new_page()
    other.goto(page.url)
    other.wait_for_function("() => document.querySelector('[data-finder]').getAttribute('aria-busy') === 'false'")
    expect(other.get_by_label("Sök på yrke eller utbildning", exact=True)).to_have_value("lärling")
    expect(other.get_by_label("Studieform", exact=True)).to_have_value("larling")
    assert shown(other) == found
    other.close()


def test_back_button_returns_to_the_previous_view(page: Page, courses):
    page.goto("/")
    page.get_by_label("Kommun", exact=True).select_option("falun")
    falun = shown(page)
    page.get_by_label("Studietakt", exact=True).select_option("100")
    assert len(shown(page)) < len(falun)
    page.go_back()
    expect(page.get_by_label("Studietakt", exact=True)).to_have_value("")
    assert shown(page) == falun
    page.locator(RESULTS + " a").first.click()
    expect(page.locator("h1")).not_to_have_text("Hitta en yrkesutbildning i Dalarna")
    page.go_back()
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("falun")
    assert shown(page) == falun
    page.go_back()
    expect(page.locator("[data-catalogue]")).to_be_visible()
    assert shown(page) == soonest(courses)
    expect(page.locator("[data-result-count]")).to_have_text(f"Alla {len(courses)} utbildningar")


def test_reset_shows_everything_again(page: Page, courses):
    page.goto("/?q=svets&kommun=borlange&oppen=ja")
    expect(page.locator("[data-results]")).to_be_visible()
    page.get_by_role("button", name="Rensa").click()
    expect(page.locator("[data-catalogue]")).to_be_visible()
    expect(page.get_by_label("Sök på yrke eller utbildning", exact=True)).to_have_value("")
    expect(page.get_by_label("Öppen för ansökan nu", exact=True)).not_to_be_checked()
    assert page.url.endswith("/") and shown(page) == soonest(courses)
    expect(page.locator("[data-result-count]")).to_have_text(f"Alla {len(courses)} utbildningar")


def test_keyboard_only(page: Page, courses):
    page.goto("/")
    box = page.get_by_label("Sök på yrke eller utbildning", exact=True)
    for _ in range(40):
        page.keyboard.press("Tab")
        if box.evaluate("e => e === document.activeElement"):
            break
    page.keyboard.type("svets")
    page.keyboard.press("Enter")  # "Visa": focus moves to the results' heading
    expect(page.get_by_role("heading", name="Utbildningar som passar din sökning")).to_be_focused()
    eventually(lambda: set(shown(page)), paths(courses, lambda c: c["name"] == "Svetsare"))
    page.keyboard.press("Shift+Tab")  # back up into the form: Rensa, Sortera, …, Kommun
    for _ in range(12):
        if page.evaluate("document.activeElement.name") == "kommun":
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowDown")  # the first municipality
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("avesta")
    eventually(lambda: set(shown(page)), paths(courses, lambda c: c["name"] == "Svetsare" and c["provider"] == "avesta"))
    for _ in range(12):  # back to the search box; Enter ("Visa") takes us to the results again
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Utbildningar som passar din sökning")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("href", "/utbildningar/svetsare-avesta/")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/utbildningar/svetsare-avesta/$"))


def test_the_finder_loads_only_the_parts_a_choice_needs(page: Page):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))

    def loaded() -> list[str]:
        page.wait_for_load_state("networkidle")
        names = sorted(u.rsplit("/", 1)[-1] for u in requested if "/sok/" in u or "/pagefind/" in u)
        requested.clear()
        return names
    page.goto("/")
    assert loaded() == []
    page.get_by_label("Sök på yrke eller utbildning", exact=True).focus()
    assert loaded() == ["ord.json"]  # the words, to search as soon as something is typed
    page.get_by_label("Kommun", exact=True).select_option("mora")
    settled(page)
    names = loaded()
    assert names[0] == "f-kommun.json" and names[1:] and all(re.fullmatch(r"k\d+\.json", n) for n in names[1:])
    page.get_by_label("Studietakt", exact=True).select_option("100")
    settled(page)
    assert [n for n in loaded() if not n.startswith("k")] == ["f-takt.json"]  # the municipalities' is loaded already
    search(page, "svetsare")
    assert [n for n in loaded() if not n.startswith("k")] == ["o-sv.json"]  # and nothing from /pagefind/


def test_search_works_under_the_strict_content_security_policy(browser, strict_url, courses):
    context = browser.new_context(base_url=strict_url)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/")
    assert set(search(page, "svets")) == paths(courses, lambda c: c["name"] == "Svetsare")
    assert problems == []
    context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_with_search_and_filters_active(page: Page, axe_source, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/?kommun=borlange&oppen=ja")
    search(page, "svets")
    assert len(shown(page)) >= 1
    assert axe_violations(page, axe_source) == []
    page.get_by_label("Sök på yrke eller utbildning", exact=True).fill("astronaut")
    expect(page.locator("[data-no-results]")).to_be_visible()
    assert axe_violations(page, axe_source) == []


def test_no_sideways_scrolling_at_320_px_with_filters_open(page: Page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/?q=undersk%C3%B6terska&takt=100&start=vt-2027")
    expect(page.locator("[data-filter-panel]")).to_have_attribute("open", "")
    search(page, "undersköterska")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_without_javascript_filters_become_links(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Välj område")).to_be_visible()
    page.get_by_role("navigation", name="Välj kommun").get_by_role("link", name=re.compile(r"^Mora kommun \(\d+\)$")).click()
    expect(page.locator("h1")).to_contain_text("Mora")
    context.close()


def test_listen_does_not_read_the_other_names_kept_for_search(page: Page):
    page.add_init_script(RECORD_SPEECH)
    page.goto("/utbildningar/restaurangbitrade-hedemora/")
    page.get_by_role("button", name="Lyssna").click()
    expect(page.get_by_role("button", name="Sluta läsa")).to_be_visible()
    spoken = " ".join(s["text"] for s in page.evaluate("window.__spoken"))
    assert "Lokal benämning" in spoken and "Kallas också" not in spoken


@pytest.mark.parametrize("words", ["usk", "USK", "usk-utbildning", "usk utbildning"])
def test_the_abbreviations_in_names_yaml_find_the_courses(page: Page, courses, words):
    page.goto("/")
    assert set(search(page, words)) == paths(courses, lambda c: c["name"] == "Undersköterska")


@pytest.mark.parametrize(("words", "name"), [
    ("underskötersak", "Undersköterska"),   # two letters swapped at the end
    ("undreskoterska", "Undersköterska"),   # swapped inside the word
    ("nderskoterska", "Undersköterska"),    # the first letter missing
    ("lastbilsfrare", "Lastbilsförare"),    # a letter missing, not Lastbilsmekaniker
    ("elktriker", "Elektriker"),
    ("svetsrae", "Svetsare"),
])
def test_a_misspelling_of_one_letter_in_a_long_word_still_finds_the_course(page: Page, courses, words, name):
    page.goto("/")
    assert set(search(page, words)) == paths(courses, lambda c: c["name"] == name)


def test_a_short_word_is_not_corrected(page: Page):
    page.goto("/")
    assert search(page, "svtes") == []  # five letters: too short to guess what was meant


def test_a_long_result_shows_its_first_cards_and_more_on_request(page: Page, courses):
    """Only the first SHOWN results become cards (their files of cards load), the count is exact."""
    from dalawux_site.finder import CARDS_SHOWN as shown_at_once
    page.goto("/?sortera=namn")
    expect(page.locator("[data-result-count]")).to_have_text(f"Alla {len(courses)} utbildningar")
    first = shown(page)
    assert len(first) == shown_at_once and len(courses) > 2 * shown_at_once
    more = page.get_by_role("button", name=re.compile(r"^Visa \d+ till"))
    expect(more).to_have_text(f"Visa {shown_at_once} till ({len(courses) - shown_at_once} kvar)")
    more.click()
    expect(more).to_have_text(f"Visa {len(courses) - 2 * shown_at_once} till ({len(courses) - 2 * shown_at_once} kvar)")
    more.click()
    expect(more).to_be_hidden()
    everything = shown(page)
    assert everything[:shown_at_once] == first and set(everything) == {c["url"] for c in courses}
    titles = page.eval_on_selector_all(RESULTS + " h3", "els => els.map(e => e.textContent.trim())")
    assert titles == page.evaluate("t => [...t].sort(new Intl.Collator('sv').compare)", titles)
    page.get_by_label("Område", exact=True).select_option("vard-omsorg")
    care = paths(courses, lambda c: c["area"] == "vard-omsorg")
    assert set(shown(page)) == care
    expect(page.locator("[data-result-count]")).to_have_text(f"{len(care)} utbildningar passar")


def test_the_start_page_without_javascript_shows_the_soonest_and_every_list(browser, base_url, courses):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/")
    expect(page.locator("[data-finder]")).to_be_hidden()
    assert page.eval_on_selector_all("[data-catalogue] .course-card a", "els => els.map(e => e.getAttribute('href'))") == soonest(courses)
    assert page.locator("[data-browse] a").count() == len({c["area"] for c in courses}) + len({c["provider"] for c in courses})
    context.close()
