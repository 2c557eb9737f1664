"""The built sample site: what a visitor and a machine reading it get."""
from __future__ import annotations

import json

import pytest

from dalawux_site import pipeline

from .conftest import TODAY

MUNICIPALITY_NAMES = [
    "Avesta kommun", "Borlänge kommun", "Falu kommun", "Gagnefs kommun", "Hedemora kommun", "Leksands kommun",
    "Ludvika kommun", "Malung-Sälens kommun", "Mora kommun", "Orsa kommun", "Rättviks kommun",
    "Smedjebackens kommun", "Säters kommun", "Vansbro kommun", "Älvdalens kommun",
]


def test_course_is_published_under_its_canonical_name_with_provider_and_place(site):
    soup = site.soup("/utbildningar/restaurangbitrade-falun-borlange/")
    assert soup.h1.get_text(strip=True) == "Restaurangbiträde – Falu kommun (Borlänge)"
    assert soup.title.get_text() == "Restaurangbiträde – Falu kommun (Borlänge) – Yrkesvux Dalarna"
    assert soup.select_one(".local-name").get_text(strip=True) == "Lokal benämning: Restaurangbiträde, storkök"


def test_regional_course_says_dalarna(site):
    soup = site.soup("/utbildningar/barnskotare-hedemora-dalarna/")
    assert soup.h1.get_text(strip=True) == "Barnskötare – Hedemora kommun (Dalarna)"


def test_start_page_shows_the_soonest_courses_and_the_areas_with_counts(site):
    soup = site.soup("/")
    links = {a["href"]: a.get_text(strip=True) for a in soup.select(".course-card-title a")}
    assert links == {  # the sample has fewer courses than the start page shows
        "/utbildningar/restaurangbitrade-falun-borlange/": "Restaurangbiträde – Falu kommun (Borlänge)",
        "/utbildningar/svetsare-falun/": "Svetsare – Falu kommun (Falun)",
        "/utbildningar/restaurangbitrade-hedemora/": "Restaurangbiträde – Hedemora kommun (Hedemora)",
        "/utbildningar/barnskotare-hedemora-dalarna/": "Barnskötare – Hedemora kommun (Dalarna)",
        "/utbildningar/timmerhusbyggare-mora/": "Timmerhusbyggare – Mora kommun (Mora)",
    }
    areas = [li.get_text(" ", strip=True) for li in soup.select("[data-browse] nav[aria-labelledby=valj-omrade] li")]
    assert areas == ["Barn och fritid (1)", "Bygg och anläggning (1)", "Industri (1)", "Restaurang och livsmedel (2)"]


def test_card_shows_next_start_last_day_forms_and_pace(site):
    card = site.soup("/").find("a", href="/utbildningar/svetsare-falun/").find_parent("li")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in card.find_all("dt")}
    assert facts == {
        "Start": "1 februari 2027",
        "Sista ansökningsdag": "1 december 2026",
        "Studieform": "På plats, Flex",
        "Studietakt": "75 %",
    }


def test_closed_course_is_mentioned_nowhere(site):
    assert not site.path("/utbildningar/underskoterska-falun/").exists()
    for file in site.root.rglob("*"):
        if file.is_file() and file.suffix in {".html", ".json", ".xml", ".csv", ".ics", ".txt"}:
            text = file.read_text(encoding="utf-8")
            assert "Undersköterska" not in text and "underskoterska-falun" not in text, file


def test_closed_intake_is_hidden_but_open_one_shown(site):
    rows = site.soup("/utbildningar/restaurangbitrade-falun-borlange/").select("table.intakes tbody tr")
    assert [r.get_text(" ", strip=True) for r in rows] == ["15 mars 2027 15 december 2026"]


def test_course_open_on_its_last_day(site):
    """An intake is open while today <= apply_by: the sample's Barnskötare closes on TODAY."""
    assert site.path("/utbildningar/barnskotare-hedemora-dalarna/").exists()
    result = pipeline.check(pipeline.ROOT / "tests" / "sample" / "content", TODAY.replace(day=23))
    assert "barnskotare-hedemora-dalarna" not in [c.id for c in result.catalogue.courses]


def test_course_page_has_all_facts_and_how_to_apply(site):
    soup = site.soup("/utbildningar/svetsare-falun/")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in soup.select(".course-facts dt")}
    assert facts == {
        "Utbildning": "Svetsare", "Anordnare": "Falu kommun", "Ort": "Falun", "Område": "Industri",
        "Studieform": "På plats, Flex", "Studietakt": "75 %", "Längd": "30 veckor",
        "Nästa start": "1 februari 2027", "Sista ansökningsdag": "1 december 2026", "Språk": "Svenska",
    }
    assert soup.find("a", string="Ansök hos Falu kommun")["href"] == "https://www.falun.se/svets"
    assert soup.find(id="forkunskaper").find_next("p").get_text() == "Du behöver kunna svenska."
    contact = soup.select_one(".contact-block")
    assert "Sven Svetsson" in contact.get_text() and contact.find("a", href="mailto:sven@falun.se")


def test_course_without_contact_lists_the_municipalitys_counsellors(site):
    soup = site.soup("/utbildningar/restaurangbitrade-hedemora/")
    contact = soup.select_one(".contact-block")
    assert contact.find("a", href="mailto:syv@hedemora.se")
    assert soup.find("a", string="Ansök hos Hedemora kommun")["href"] == "https://www.hedemora.se/vuxenutbildning"


def test_script_in_description_never_reaches_the_page(site):
    soup = site.soup("/utbildningar/svetsare-falun/")
    assert not soup.find_all("script", src=False, type=lambda t: t != "application/ld+json")
    assert not soup.select('.prose a[href^="javascript"]')
    assert "alert" not in soup.select_one(".prose").get_text()
    assert "Du lär dig att svetsa." in soup.select_one(".prose").get_text()
    warnings = [d.format().splitlines()[0] for d in site.report.warnings]
    assert 'tests/sample/content/courses/falun.yaml:30: varning: HTML-kod togs bort: <script> </script> – skriv texten med Markdown i stället' in warnings
    assert 'tests/sample/content/courses/falun.yaml:30: varning: länken "javascript:alert(1)" togs bort – länkar måste börja med https://, http:// eller mailto:' in warnings


def test_unmatched_names_are_reported_as_warnings(site):
    warnings = [d.format().splitlines()[0] for d in site.report.warnings if "names.yaml" in d.message]
    assert warnings == [
        'tests/sample/content/courses/mora/timmerhusbyggare-mora.yaml:2: varning: namnet "Timmerhusbyggare" finns inte i names.yaml – '
        "utbildningen visas med det namnet. Lägg till det som alias under rätt gemensamt namn, eller som ett nytt namn"
    ]


def test_every_page_has_swedish_shared_header_and_footer_with_mailbox(site):
    pages = [p for p in site.html_pages() if p.name != "epost.html"]  # e-mail copies stand alone
    assert len(pages) >= 30
    for file in pages:
        soup = site.soup(site.url_of(file))
        assert soup.html.get("lang") in {"sv", "ar"}, file
        header = soup.find("header")
        assert header.find(class_="brand").get_text(strip=True) == "Yrkesvux Dalarna", file
        assert header.get("lang", soup.html["lang"]) == "sv"
        assert not any(name in header.get_text() for name in MUNICIPALITY_NAMES), file
        assert not header.find("img"), file
        footer = soup.find("footer")
        assert footer.find("a", href="mailto:dalawuxkontakt@borlange.se"), file


def test_every_html_file_is_swedish_except_foreign_pages(site):
    langs = {site.url_of(f): site.soup(site.url_of(f)).html["lang"] for f in site.html_pages()}
    assert {url for url, lang in langs.items() if lang != "sv"} == {"/how-to-apply-ar/"}


def test_page_in_another_language_carries_lang_and_dir(site):
    soup = site.soup("/how-to-apply-ar/")
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")
    assert soup.find("header")["lang"] == "sv" and soup.find("footer")["dir"] == "ltr"


def test_area_and_municipality_pages(site):
    area = site.soup("/omraden/restaurang-livsmedel/")
    assert area.h1.get_text() == "Restaurang och livsmedel"
    assert len(area.select(".course-card")) == 2
    municipality = site.soup("/kommuner/falun/")
    assert municipality.h1.get_text() == "Falu kommun"
    assert [a.get_text() for a in municipality.select(".course-card-title a")] == [
        "Restaurangbiträde – Falu kommun (Borlänge)", "Svetsare – Falu kommun (Falun)",
    ]
    assert municipality.find("a", href="mailto:syv@falun.se")
    assert len(site.soup("/kommuner/").select(".tile")) == 15
    assert site.path("/kommuner/orsa/").exists()  # no courses, still a page with its counsellors


def test_about_contact_and_404_pages(site):
    assert site.soup("/om/").h1.get_text() == "Om Yrkesvux Dalarna"
    contact = site.soup("/kontakt/")
    assert len(contact.select(".tile")) == 15
    assert contact.find("a", href="mailto:dalawuxkontakt@borlange.se")
    assert site.soup("/404.html").h1.get_text() == "Sidan finns inte"


def test_open_data_json(site):
    records = json.loads(site.text("/utbildningar.json"))
    assert [r["id"] for r in records] == [
        "barnskotare-hedemora-dalarna", "svetsare-falun", "restaurangbitrade-falun-borlange",
        "restaurangbitrade-hedemora", "timmerhusbyggare-mora",
    ]  # soonest last application day first
    record = next(r for r in records if r["id"] == "restaurangbitrade-falun-borlange")
    assert {k: record[k] for k in ("url", "name", "local_name", "title", "provider", "provider_name", "location",
                                   "area", "study_forms", "pace", "weeks", "intakes", "apply_url", "added")} == {
        "url": "/utbildningar/restaurangbitrade-falun-borlange/",
        "name": "Restaurangbiträde",
        "local_name": "Restaurangbiträde, storkök",
        "title": "Restaurangbiträde – Falu kommun (Borlänge)",
        "provider": "falun",
        "provider_name": "Falu kommun",
        "location": "Borlänge",
        "area": "restaurang-livsmedel",
        "study_forms": ["plats"],
        "pace": 100,
        "weeks": 20,
        "intakes": [{"start": "2027-03-15", "apply_by": "2026-12-15", "period": "start-mar-2027", "continuous": False}],
        "apply_url": "https://www.falun.se/vuxenutbildning",
        "added": "2026-11-10",
    }
    svets = next(r for r in records if r["id"] == "svetsare-falun")
    assert svets["local_name"] == "Svetsare"  # always given, even when it equals the canonical name


def test_start_page_shows_current_application_period(site):
    notice = site.soup("/").select_one(".period-notice").get_text(" ", strip=True)
    assert notice == "Ansökan är öppen 15 november–15 december 2026 för utbildningar med start i mars 2027."


@pytest.mark.parametrize("url", ["/", "/utbildningar/svetsare-falun/", "/kommuner/falun/", "/om/"])
def test_assets_are_fingerprinted_and_exist(site, url):
    soup = site.soup(url)
    for link in soup.find_all("link", rel="stylesheet") + soup.find_all("script", src=True):
        href = link.get("href") or link.get("src")
        assert href.startswith("/assets/") and site.path(href).is_file(), href
        assert len(href.rsplit(".", 2)[1]) == 10, href


def test_no_live_reload_script_in_built_files(site):
    for file in site.html_pages():
        assert "livereload" not in file.read_text(encoding="utf-8")


def test_css_and_javascript_are_minified(site):
    soup = site.soup("/")
    for href in [l["href"] for l in soup.find_all("link", rel="stylesheet")] + [s["src"] for s in soup.find_all("script", src=True)]:
        text = site.path(href).read_text(encoding="utf-8")
        assert "/*" not in text and "\n  " not in text, href
