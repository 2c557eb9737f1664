"""Finding a course: the search records, the finder's index and filters' data, and the no-JavaScript fallback."""
from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import re

import pytest
from bs4 import BeautifulSoup

from dalawux_site import pipeline
from dalawux_site.markup import plain_text
from dalawux_site.search_index import index_words, records_words, search_records
from dalawux_site.finder import CODE_CHARS, FACETS, ROW, _facet, card_data, default_order, finder_options
from dalawux_site.swedish import sv_key

from .conftest import SAMPLE, TODAY

COURSE_PATHS = {
    "/utbildningar/restaurangbitrade-falun-borlange/",
    "/utbildningar/svetsare-falun/",
    "/utbildningar/restaurangbitrade-hedemora/",
    "/utbildningar/barnskotare-hedemora-dalarna/",
    "/utbildningar/timmerhusbyggare-mora/",
}


def finder_words(site) -> list[str]:
    """The finder's word list (ord.json) of the built site."""
    form = site.soup("/").select_one("form[data-finder]")
    return json.loads((site.root / form["data-sok"].strip("/") / "ord.json").read_bytes())


def test_only_courses_are_indexed_and_every_one_is(site):
    assert set(finder_rows(site.root, site.text("/"))) == COURSE_PATHS
    assert not (site.root / "pagefind").exists()


def test_word_list_holds_every_indexed_word_as_the_finder_compares_them(site):
    words = finder_words(site)
    assert words == sorted(words)
    assert {"koksbitrade", "maltidsbitrade", "storkok", "svetsare", "timmerhusbyggare", "borlange"} <= set(words)
    assert "lyssna" not in words and "rapportera" not in words  # left out of the index
    assert "verktyg" not in words  # descriptions are not searched: a word there pulls in unrelated courses


def test_index_words_lower_case_without_accents_and_joined_hyphens():
    assert index_words("Köks-biträde, MIG/MAG och à la carte") == {
        "koks", "bitrade", "koksbitrade", "mig", "mag", "och", "a", "la", "carte",
    }


def test_search_record_holds_the_names_and_the_page_shows_the_local_name(site):
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    record = search_records(catalogue)["/utbildningar/restaurangbitrade-hedemora/"].split("\n")
    assert record == [
        "Restaurangbiträde – Hedemora kommun (Hedemora)", "Köksbiträde",
        "Restaurangbiträde, storkök, Måltidsbiträde, Storköksbiträde", "Restaurang och livsmedel. På plats. 100 % (heltid).",
    ]
    assert "Köksbiträde" in site.soup("/utbildningar/restaurangbitrade-hedemora/").select_one(".local-name").get_text()
    words = set(finder_words(site))
    assert {"koksbitrade", "maltidsbitrade", "storkoksbitrade"} <= words
    assert sorted(["Älvdalen", "Vansbro", "Åre", "Avesta", "Öje"], key=sv_key) == ["Avesta", "Vansbro", "Åre", "Älvdalen", "Öje"]


def test_abbreviations_from_names_yaml_reach_the_search_index_only():
    catalogue = pipeline.check(pipeline.ROOT / "content", TODAY).catalogue
    entry = next(e for e in catalogue.vocabulary if e.name == "Undersköterska")
    assert entry.abbreviations == ("usk", "usk-utbildning")
    records = search_records(catalogue)
    nurses = {c.path for c in catalogue.courses if c.name == "Undersköterska"}
    assert nurses and {path for path, record in records.items() if "usk-utbildning" in record} == nurses
    assert records[min(nurses)].split("\n")[-2].endswith(", usk, usk-utbildning")  # the other names
    assert {"usk", "utbildning", "uskutbildning"} <= records_words(records)
    assert pipeline.check(SAMPLE, TODAY).catalogue.vocabulary[3].abbreviations == ("usk", "usk-utbildning")


def test_search_record_leaves_out_descriptions_dates_and_boilerplate():
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    records = search_records(catalogue)
    assert set(records) == {course.path for course in catalogue.courses}
    text = records["/utbildningar/svetsare-falun/"]
    assert "Svetsare – Falu kommun (Falun)" in text and "Industri" in text
    for left_out in ("Du lär dig att svetsa", "Lyssna", "Rapportera", "Sista ansökningsdag", "2027"):
        assert left_out not in text


def test_start_page_has_a_labelled_search_box_and_filters(site):
    soup = site.soup("/")
    form = soup.select_one("form[role=search][data-finder]")
    assert form.has_attr("hidden")  # shown by finder.js; without JavaScript the link lists stand in
    labels = {soup.find("label", attrs={"for": c["id"]}).get_text(strip=True): c for c in form.select("input, select")}
    assert list(labels) == [
        "Sök på yrke eller utbildning", "Nära", "Avstånd", "Kommun", "Ort", "Område", "Studieform", "Studietakt", "Start",
        "Öppen för ansökan nu", "Sortera",
    ]
    assert labels["Sök på yrke eller utbildning"]["type"] == "search"
    assert labels["Öppen för ansökan nu"]["type"] == "checkbox"
    assert form.select_one("[aria-live=polite]") is not None
    assert form.find("button", type="reset").get_text(strip=True) == "Rensa"


def test_filter_options_come_from_the_published_courses(site):
    form = site.soup("/").select_one("[data-finder]")

    def options(name: str) -> list[tuple[str, str]]:
        return [(o["value"], o.get_text(strip=True)) for o in form.select(f"select[name={name}] option")]

    assert options("kommun") == [("", "Alla kommuner"), ("falun", "Falu kommun"), ("hedemora", "Hedemora kommun"), ("mora", "Mora kommun")]
    assert options("ort") == [("", "Alla orter"), ("Borlänge", "Borlänge"), ("Dalarna", "Dalarna"), ("Falun", "Falun"), ("Hedemora", "Hedemora"), ("Mora", "Mora")]
    assert options("studieform") == [("", "Alla studieformer"), ("plats", "På plats"), ("flex", "Flex"), ("larling", "Lärling")]
    assert options("takt") == [("", "Alla studietakter"), ("100", "100 % (heltid)"), ("75", "75 %")]
    assert options("sortera") == [("", "Sista ansökningsdag först"), ("namn", "Namn A–Ö")]
    assert options("nara")[:3] == [("", "Var som helst i Dalarna"), ("avesta", "Avesta kommun"), ("borlange", "Borlänge kommun")]
    assert len(options("nara")) == 1 + 15  # every municipality, with or without courses
    assert options("km") == [("25", "Högst 25 km"), ("50", "Högst 50 km"), ("100", "Högst 100 km")]
    assert form.select_one("select[name=km] option[selected]")["value"] == "50"
    ludvika = form.select_one("select[name=nara] option[value=ludvika]")
    assert (ludvika["data-ort"], ludvika["data-lat"], ludvika["data-lon"]) == ("Ludvika", "60.1333", "15.1833")
    places = {o["value"]: o.get("data-lat") for o in form.select("select[name=ort] option")}
    assert places["Dalarna"] is None and places["Borlänge"] == "60.4833"  # "Dalarna" is no place
    assert form.select_one("[data-across]")["data-across"] == "Dalarna"
    terms = [o["value"] for o in form.select("select[name=start] optgroup[label=Termin] option")]
    assert terms and all(re.fullmatch(r"(vt|ht)-20\d\d", t) for t in terms)


def card_rows(root, form) -> list[list]:
    """Every course's row in the finder's files of cards (k0.json, k1.json, …), in order."""
    folder = root / form["data-sok"].strip("/")
    chunk, total = int(form["data-chunk"]), int(form["data-total"])
    return [row for n in range(-(-total // chunk)) for row in json.loads((folder / f"k{n}.json").read_bytes())]


def finder_rows(root, start: str) -> dict[str, dict]:
    """Every course in the finder's files of cards named by the start page's form, by path (ROW's names)."""
    form = BeautifulSoup(start, "html.parser").select_one("form[data-finder]")
    rows = {}
    for row in card_rows(root, form):
        facts = dict(zip(ROW, row))
        path = f"/utbildningar/{facts['slug']}/"
        assert path not in rows, path
        rows[path] = facts
    assert int(form["data-total"]) == len(rows)
    return rows


def decoded(facet: dict) -> list[str]:
    """Each course's value of a filter's file (finder.py, _facet), read back."""
    base, width, codes = len(CODE_CHARS), facet["width"], facet["codes"]
    numbers = [sum(CODE_CHARS.index(ch) * base ** (width - 1 - k) for k, ch in enumerate(codes[i:i + width]))
               for i in range(0, len(codes), width)]
    return [facet["values"][n] for n in numbers]


def test_each_filter_has_a_file_of_every_courses_value_in_default_order(site):
    form = site.soup("/").select_one("form[data-finder]")
    folder = site.root / form["data-sok"].strip("/")
    order = default_order(pipeline.check(SAMPLE, TODAY).catalogue.courses)
    data = [card_data(c, TODAY) for c in order]
    for name in FACETS:
        facet = json.loads((folder / f"f-{name}.json").read_bytes())
        expected = [c.name for c in order] if name == "namn" else [d.get(name, "") for d in data]
        assert decoded(facet) == expected, name
        assert facet["values"] == sorted(set(expected))
    assert len(facet["codes"]) == len(order) * facet["width"]


def test_a_filter_with_more_values_than_code_characters_takes_two_a_course():
    facet = json.loads(_facet(f"ort {n}" for n in range(200)))
    assert facet["width"] == 2 and len(facet["codes"]) == 400
    assert decoded(facet) == [f"ort {n}" for n in range(200)]
    assert '"' not in CODE_CHARS and "\\" not in CODE_CHARS and len(CODE_CHARS) == 91


def test_word_index_holds_the_positions_of_every_word_of_the_search_records(site):
    form = site.soup("/").select_one("form[data-finder]")
    folder = site.root / form["data-sok"].strip("/")
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    order = default_order(catalogue.courses)
    records = search_records(catalogue)
    words = json.loads((folder / "ord.json").read_bytes())
    assert words == sorted(records_words(records))
    has = [index_words(records[c.path]) for c in order]
    files = {}
    for word in words:
        files.setdefault(word[:2], json.loads((folder / f"o-{word[:2]}.json").read_bytes()))
        steps = files[word[:2]][word]
        assert [sum(steps[:i + 1]) for i in range(len(steps))] == [n for n, words_of in enumerate(has) if word in words_of], word
    assert sorted(p.name for p in folder.glob("o-*.json")) == sorted(f"o-{key}.json" for key in files)
    assert {"svetsare", "falu", "plats"} <= set(words)


def test_finder_data_holds_every_course_with_what_the_filters_need(site):
    rows = finder_rows(site.root, site.text("/"))
    assert set(rows) == COURSE_PATHS
    assert rows["/utbildningar/svetsare-falun/"] == {
        "slug": "svetsare-falun", "title": "Svetsare – Falu kommun (Falun)", "local": "", "kommun": "falun",
        "ort": "Falun", "omrade": "industri", "studieform": "plats flex", "takt": "75", "start": "2027-02",
        "sista": "2026-12-01", "oppen": 1, "borjar": "2027-02-01", "csn": "", "sprak": "",
    }
    assert rows["/utbildningar/restaurangbitrade-falun-borlange/"]["local"] == "Restaurangbiträde, storkök"
    assert list(rows) == [c.path for c in default_order(pipeline.check(SAMPLE, TODAY).catalogue.courses)]


def test_a_place_with_markup_stays_text_in_the_finder_data(content, tmp_path):
    falun = content / "courses" / "falun.yaml"
    text = falun.read_text(encoding="utf-8")
    falun.write_text(text.replace("  location: Falun\n", '  location: \'Falun "<b>x</b>\'\n', 1), encoding="utf-8")
    out = tmp_path / "out"
    assert pipeline.build(content, out, TODAY).written is not None
    rows = finder_rows(out, (out / "index.html").read_text(encoding="utf-8"))
    assert 'Falun "<b>x</b>' in {r["ort"] for r in rows.values()}  # JSON text; finder.js writes it as text


def test_open_now_means_the_application_has_opened():
    course = pipeline.check(SAMPLE, TODAY).catalogue.courses[0]
    intake = course.intakes[0]
    not_yet = dataclasses.replace(intake, opens=TODAY + dt.timedelta(days=1))
    opened = dataclasses.replace(intake, opens=TODAY)
    assert "oppen" not in card_data(dataclasses.replace(course, intakes=(not_yet,)), TODAY)
    assert card_data(dataclasses.replace(course, intakes=(opened,)), TODAY)["oppen"] == "ja"


def test_without_javascript_the_start_page_links_areas_and_municipalities(site):
    browse = site.soup("/").select_one("[data-browse]")
    assert not browse.has_attr("hidden")
    assert [h.get_text() for h in browse.find_all("h3")] == ["Välj område", "Välj kommun"]
    links = [a["href"] for a in browse.find_all("a")]
    assert "/omraden/industri/" in links and "/kommuner/mora/" in links
    assert all(site.path(href).exists() for href in links)


def test_start_page_lists_the_soonest_last_application_days_first(site):
    shown = [a["href"] for a in site.soup("/").select("[data-catalogue] .course-card-title a")]
    assert shown == [c.path for c in default_order(pipeline.check(SAMPLE, TODAY).catalogue.courses)]


def test_start_page_loads_no_search_code_until_used(site):
    html = site.text("/")
    assert "ord.json" not in html and "/sok/" not in re.sub(r'data-sok="[^"]*"', "", html)  # finder.js loads its files on first use
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script (CSP)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_start_page_weighs_at_most_60_kb_compressed(site):
    soup = site.soup("/")
    urls = ["/"] + [el["src"] for el in soup.select("script[src]")] + [el["href"] for el in soup.select("link[rel~=stylesheet][href], link[rel=icon]")]
    total = sum(len(gzip.compress(site.path(u).read_bytes(), 9)) for u in urls)
    assert total <= 60_000, total


def test_bundled_start_page_weighs_at_most_60_kb_compressed(bundled):
    start = bundled.path("/").read_bytes()
    refs = re.findall(rb'(?:src|href)="/(assets/[^"]+)"', start)
    total = len(gzip.compress(start, 9)) + sum(len(gzip.compress(bundled.path("/" + r.decode()).read_bytes(), 9)) for r in set(refs))
    assert total <= 60_000, total


def test_start_choices_are_terms_and_months_in_swedish():
    options = finder_options(pipeline.check(SAMPLE, TODAY).catalogue)
    assert [(t.value, t.label) for t in options.terms] == [
        ("vt-2027", "Våren 2027 (januari–juni)"), ("ht-2027", "Hösten 2027 (juli–december)"),
    ]
    assert [(m.value, m.label) for m in options.months] == [
        ("2027-01", "januari 2027"), ("2027-02", "februari 2027"), ("2027-03", "mars 2027"), ("2027-08", "augusti 2027"),
    ]


def test_swedish_dictionary_order():
    assert sorted(["Älvdalen", "Vansbro", "Åre", "Avesta", "Öje"], key=sv_key) == ["Avesta", "Vansbro", "Åre", "Älvdalen", "Öje"]


def test_default_order_is_soonest_last_day_then_title():
    courses = pipeline.check(SAMPLE, TODAY).catalogue.courses
    ordered = default_order(courses)
    assert [(c.next_intake.apply_by, sv_key(c.title)) for c in ordered] == sorted((c.next_intake.apply_by, sv_key(c.title)) for c in courses)


def test_facts_are_indexed_as_separate_words(site):
    """Area, study forms and pace are searchable words; the facts' labels are not (every course has them)."""
    words = set(finder_words(site))
    assert {"larling", "dalarna", "heltid", "industri"} <= words
    assert not words & {"studieform", "studietakt", "sista", "anordnare"}
    assert not {w for w in words if w.startswith(("larlingdistans", "heltidhalvtid"))}
