"""Following an area or a municipality: a calendar, an Atom feed and a CSV beside each page."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import icalendar
import pytest

from dalawux_site import exports

from .test_exports import BASE, read_calendar, read_csv

ATOM = "{http://www.w3.org/2005/Atom}"
AREAS = ["vard-omsorg", "restaurang-livsmedel", "industri", "bygg-anlaggning"]
PROVIDERS = ["falun", "hedemora", "mora", "avesta"]  # avesta has no course


def _courses(site) -> list[dict]:
    return json.loads(site.text("/utbildningar.json"))


def _csv(site, url: str) -> tuple[list[str], list[dict[str, str]]]:
    data = site.path(url).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _owned(site, kind: str, ident: str) -> set[str]:
    key = "area" if kind == "omraden" else "provider"
    return {c["id"] for c in _courses(site) if c[key] == ident}


@pytest.mark.parametrize("kind,ident", [("omraden", a) for a in AREAS] + [("kommuner", p) for p in PROVIDERS])
def test_each_calendar_holds_only_its_intakes_with_the_county_uids(site, kind, ident):
    county = {str(e["uid"]): e for e in read_calendar(site).walk("VEVENT")}
    calendar = icalendar.Calendar.from_ical(site.path(f"/{kind}/{ident}/sista-ansokningsdag.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    owned = _owned(site, kind, ident)
    expected = {uid for uid, e in county.items() if str(e["url"]).split("/")[-2] in owned}
    assert {str(e["uid"]) for e in events} == expected
    for event in events:
        assert event.to_ical() == county[str(event["uid"])].to_ical()  # the same event as in the county's calendar
    scope = "inom " if kind == "omraden" else "hos "
    assert str(calendar["x-wr-calname"]).startswith("Yrkesvux Dalarna – sista ansökningsdagar " + scope)


def test_a_municipality_without_courses_has_an_empty_calendar(site):
    avesta = icalendar.Calendar.from_ical(site.path("/kommuner/avesta/sista-ansokningsdag.ics").read_bytes())
    assert list(avesta.walk("VEVENT")) == [] and str(avesta["x-wr-calname"]) == "Yrkesvux Dalarna – sista ansökningsdagar hos Avesta kommun"


@pytest.mark.parametrize("kind,ident", [("omraden", a) for a in AREAS] + [("kommuner", p) for p in PROVIDERS])
def test_each_feed_lists_its_courses_newest_added_first(site, kind, ident):
    root = ET.fromstring(site.path(f"/{kind}/{ident}/feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    by_url = {BASE + c["url"]: c for c in _courses(site)}
    found = [by_url[e.find(f"{ATOM}link").get("href")] for e in entries]
    assert {c["id"] for c in found} == _owned(site, kind, ident)
    assert [e.findtext(f"{ATOM}title") for e in entries] == [c["title"] for c in found]
    dated = [c["added"] for c in found if c["added"]]
    assert dated == sorted(dated, reverse=True) and found[: len(dated)] == [c for c in found if c["added"]]
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/{kind}/{ident}/feed.xml"


def test_feed_entries_are_dated_by_added(site):
    root = ET.fromstring(site.path("/omraden/restaurang-livsmedel/feed.xml").read_bytes())
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Restaurangbiträde – Falu kommun (Borlänge)"
    assert entry.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}published") == "2026-11-10T00:00:00Z"
    assert entry.findtext(f"{ATOM}id") == f"{BASE}/utbildningar/restaurangbitrade-falun-borlange/"


@pytest.mark.parametrize("kind,ident", [("omraden", a) for a in AREAS] + [("kommuner", p) for p in PROVIDERS])
def test_each_csv_has_the_county_columns_and_only_its_courses(site, kind, ident):
    fields, rows = _csv(site, f"/{kind}/{ident}/utbildningar.csv")
    assert fields == list(exports.CSV_FIELDS)
    county = {r["id"]: r for r in read_csv(site)}
    assert {r["id"] for r in rows} == _owned(site, kind, ident)
    assert all(r == county[r["id"]] for r in rows)


def test_csv_says_when_applications_open_and_names_the_study_forms(site):
    rows = {r["id"]: r for r in read_csv(site)}
    assert list(rows[next(iter(rows))])[-2:] == ["next_opens", "study_form_names"]
    hedemora = next(r for r in rows.values() if r["provider"] == "hedemora" and r["location"] == "Hedemora")
    assert hedemora["next_opens"] == "2027-03-01"  # its period opens in March; today is 22 November 2026
    assert rows["svetsare-falun"]["next_opens"] == ""  # open now
    assert rows["svetsare-falun"]["study_forms"] == "plats,flex"  # the ids stay as they were
    assert rows["svetsare-falun"]["study_form_names"] == "På plats, Flex"


def _follow_links(soup) -> dict[str, str]:
    section = soup.select_one("section.follow")
    return {a.get_text(strip=True): a["href"] for a in section.find_all("a")}


@pytest.mark.parametrize("url", ["/omraden/vard-omsorg/", "/kommuner/falun/", "/kommuner/avesta/"])
def test_pages_link_their_three_files_and_announce_the_feed(site, url):
    soup = site.soup(url)
    links = _follow_links(soup)
    assert links == {
        "Prenumerera i din kalender": f"{url}sista-ansokningsdag.ics",
        "Följ nya utbildningar": f"{url}feed.xml",
        "Öppna i Excel": f"{url}utbildningar.csv",
    }
    assert all(site.path(href).is_file() for href in links.values())
    feeds = {link["href"]: link["title"] for link in soup.head.find_all("link", rel="alternate", type="application/atom+xml")}
    assert feeds[f"{url}feed.xml"].startswith("Nya utbildningar ")
    assert all(p.get_text(strip=True) for p in soup.select("section.follow li p"))  # each link explained


def test_start_page_links_the_county_files(site):
    soup = site.soup("/")
    assert _follow_links(soup) == {
        "Prenumerera i din kalender": "/sista-ansokningsdag.ics",
        "Följ nya utbildningar": "/feed.xml",
        "Öppna i Excel": "/utbildningar.csv",
    }
    feeds = {link["href"] for link in soup.head.find_all("link", rel="alternate", type="application/atom+xml")}
    assert "/feed.xml" in feeds
    root = ET.fromstring(site.path("/feed.xml").read_bytes())
    assert len(root.findall(f"{ATOM}entry")) == len(_courses(site))


def test_a_feed_holds_the_newest_hundred_courses(tmp_path):
    from bench import generate
    from dalawux_site import pipeline

    from .conftest import TODAY

    generate.generate(tmp_path / "content", 240, TODAY)
    result = pipeline.render(tmp_path / "content", TODAY)
    courses = {BASE + c["url"]: c for c in json.loads(result.files["utbildningar.json"])}
    entries = ET.fromstring(result.files["feed.xml"]).findall(f"{ATOM}entry")
    assert len(courses) == 240 and len(entries) == exports.FEED_ENTRIES == 100
    shown = [courses[e.find(f"{ATOM}link").get("href")]["added"] for e in entries]
    assert shown == sorted(shown, reverse=True)
    assert min(shown) >= max(c["added"] or "" for url, c in courses.items() if url not in
                             {e.find(f"{ATOM}link").get("href") for e in entries})


def test_the_county_each_area_and_each_municipality_have_their_three_follow_files(site):
    names = [p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.name in exports.FOLLOW_FILES]
    names = [n for n in names if not n.startswith("infobrev/")]
    assert len(names) == 3 * (1 + 12 + 15)  # the county's, each area's and each municipality's


def test_the_grouped_writers_make_the_same_bytes_as_the_files_one_by_one():
    """The build makes each kind in one task (export_groups), each course's pieces once;
    export_files makes the same files one by one with the county writers."""
    from dalawux_site import pipeline

    from .conftest import SAMPLE, TODAY

    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    one_by_one = exports.export_files(catalogue)
    grouped = {name: b"".join(chunks) for group in exports.export_groups(catalogue).values() for name, chunks in group.make()}
    assert len(grouped) == 3 * 28 and set(grouped) <= set(one_by_one)
    assert {name for name, data in grouped.items() if b"".join(one_by_one[name]()) != data} == set()


def test_course_feeds_stay_well_formed_with_characters_xml_cannot_hold():
    """check refuses such characters; the feed writer is safe without that check too."""
    import dataclasses

    from dalawux_site import pipeline

    from .conftest import SAMPLE, TODAY

    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    odd = tuple(dataclasses.replace(c, description_text="a\x0bb & <c>", name=c.name + "\x01") for c in catalogue.courses)
    feed = exports.course_feed(dataclasses.replace(catalogue, courses=odd), odd, "i Dalarna", "/")
    summaries = [e.findtext(f"{ATOM}summary") for e in ET.fromstring(feed).findall(f"{ATOM}entry")]
    assert summaries and all(s.endswith("ab & <c>") for s in summaries)
