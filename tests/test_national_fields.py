"""Continuous intakes, places, student aid and teaching language: from the YAML to every page and export."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil

import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup

from dalawux_site import pipeline
from dalawux_site.cms_config import cms_config

from .conftest import SAMPLE, TODAY, problems

CONTINUOUS = """\
- name: Truckförare
  location: Orsa
  area: fordon-transport
  study_forms: [plats]
  pace: 100
  weeks: 6
  points: 100
  places: 12
  student_aid: true
  language: en
  intakes:
    - continuous: true
      apply_by: 2027-06-30
  description: Du lär dig att köra truck på ett lager.
- name: Undersköterska
  location: Orsa
  area: vard-omsorg
  study_forms: [distans]
  pace: 50
  points: 1500
  student_aid: false
  intakes:
    - start: 2027-01-18
      apply_by: 2026-12-10
    - continuous: true
      apply_by: 2027-05-31
  description: Du lär dig att arbeta i vården.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample with Orsa's continuous course, built once: the tests only read it."""
    folder = tmp_path_factory.mktemp("national")
    content = folder / "content"
    shutil.copytree(SAMPLE, content)
    (content / "courses" / "orsa.yaml").write_text(CONTINUOUS, encoding="utf-8")
    result = pipeline.build(content, folder / "site", TODAY)
    assert result.written is not None, [d.format() for d in result.report.errors]
    return folder / "site", result


def _soup(root, url):
    return BeautifulSoup((root / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def _facts(soup) -> dict[str, str]:
    return {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True) for div in soup.select(".course-facts .facts > div")}


def _course_id(result, name):
    return next(c.id for c in result.catalogue.courses if c.name == name)


def test_course_page_shows_continuous_start_places_aid_and_language(built):
    root, result = built
    soup = _soup(root, f"/utbildningar/{_course_id(result, 'Truckförare')}/")
    facts = _facts(soup)
    assert facts["Nästa start"] == "Löpande start"
    assert facts["Sista ansökningsdag"] == "30 juni 2027"
    assert facts["Antal platser"] == "12"
    assert facts["Studiemedel från CSN"] == "Ja"
    assert facts["Språk"] == "Engelska"
    row = soup.select_one("table.intakes tbody tr")
    assert row.td.get_text(" ", strip=True) == "Löpande start (du kan söka och börja när som helst)"


def test_a_course_without_the_new_fields_states_swedish_and_nothing_about_places_or_aid(built):
    root, result = built
    facts = _facts(_soup(root, f"/utbildningar/{_course_id(result, 'Timmerhusbyggare')}/"))
    assert facts["Språk"] == "Svenska"
    assert "Antal platser" not in facts and "Studiemedel från CSN" not in facts
    assert facts["Nästa start"] == "16 augusti 2027"


def test_continuous_intake_comes_first_and_the_dated_one_is_kept(built):
    _, result = built
    course = next(c for c in result.catalogue.courses if c.name == "Undersköterska" and c.location == "Orsa")
    assert [(i.continuous, i.start) for i in course.intakes] == [(True, None), (False, dt.date(2027, 1, 18))]
    assert course.student_aid is False and course.language == "sv"


def test_cards_filters_and_open_now_know_continuous_admission(built):
    root, result = built
    soup = _soup(root, "/")
    start = soup.find("select", attrs={"name": "start"})
    assert start.find("option", value="lopande").get_text() == "Löpande start"
    from dalawux_site.finder import ROW

    from .test_search import card_rows

    rows = {f"/utbildningar/{row[0]}/": dict(zip(ROW, row)) for row in card_rows(root, soup.select_one("form[data-finder]"))}
    truck_path = f"/utbildningar/{_course_id(result, 'Truckförare')}/"
    truck = rows[truck_path]
    assert truck["start"] == "lopande" and truck["oppen"] == 1  # the finder's data
    assert (truck["borjar"], truck["csn"], truck["sprak"]) == ("", 1, "Engelska")  # its card, as finder.js makes it
    cards = {li.h3.a["href"]: li for li in _soup(root, "/kommuner/orsa/").select("li.course-card")}
    facts = {d.dt.get_text(): d.dd.get_text() for d in cards[truck_path].select("dl.facts > div")}
    assert facts["Start"] == "Löpande start" and facts["CSN"] == "Ja" and facts["Språk"] == "Engelska"
    nurse = next(href for href in cards if "underskoterska-orsa" in href)
    assert rows[nurse]["start"].split() == ["lopande", "2027-01"] and rows[nurse]["csn"] == 0
    assert {d.dt.get_text(): d.dd.get_text() for d in cards[nurse].select("dl.facts > div")}["CSN"] == "Nej"


def test_sample_site_has_no_continuous_choice_when_no_course_starts_continuously(site):
    assert site.soup("/").find("select", attrs={"name": "start"}).find("option", value="lopande") is None


def test_json_and_csv_carry_the_new_fields(built):
    root, result = built
    records = {r["id"]: r for r in json.loads((root / "utbildningar.json").read_text(encoding="utf-8"))}
    truck = records[_course_id(result, "Truckförare")]
    assert truck["intakes"] == [{"start": None, "apply_by": "2027-06-30", "period": None, "continuous": True}]
    assert (truck["places"], truck["student_aid"], truck["language"], truck["susa_id"]) == (12, True, "en", None)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((root / "utbildningar.csv").read_text(encoding="utf-8-sig")), delimiter=";")}
    row = rows[_course_id(result, "Truckförare")]
    assert (row["next_start"], row["intakes"], row["places"], row["student_aid"], row["language"]) == (
        "löpande", "löpande/2027-06-30", "12", "ja", "en")
    plain = rows[_course_id(result, "Timmerhusbyggare")]
    assert (plain["places"], plain["student_aid"], plain["language"]) == ("", "", "sv")


def test_calendar_has_no_deadline_event_for_a_continuous_intake(built):
    root, result = built
    calendar = icalendar.Calendar.from_ical((root / "sista-ansokningsdag.ics").read_bytes())
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert not [u for u in uids if _course_id(result, "Truckförare") in u]
    nurse = next(c.id for c in result.catalogue.courses if c.name == "Undersköterska" and c.location == "Orsa")
    assert [u for u in uids if nurse in u] == [f"sista-ansokningsdag-{nurse}-2027-01-18@yrkesvuxdalarna.se"]
    truck = _course_id(result, "Truckförare")
    for path in root.glob("*/*/sista-ansokningsdag.ics"):  # the calendars of each area and municipality too
        assert not [e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT") if truck in str(e["UID"])], path
    assert (root / "omraden" / "fordon-transport" / "sista-ansokningsdag.ics").exists()


def test_jsonld_course_carries_language_aid_credits_and_places(built):
    root, result = built
    soup = _soup(root, f"/utbildningar/{_course_id(result, 'Truckförare')}/")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Course"
    assert data["inLanguage"] == "en" and data["financialAidEligible"] == "Studiemedel från CSN"
    assert data["numberOfCredits"]["value"] == 100
    [instance] = data["hasCourseInstance"]
    assert "startDate" not in instance and instance["maximumAttendeeCapacity"] == 12
    assert instance["description"] == "Löpande start, ansök senast 2027-06-30"


def test_form_editor_offers_the_new_fields(content):
    result = pipeline.check(content, TODAY)
    config = yaml.safe_load(cms_config(result.catalogue, "dalawux/yrkesvuxdalarna"))
    fields = {f["name"]: f for f in config["collections"][0]["fields"]}
    assert fields["student_aid"]["widget"] == "boolean" and not fields["student_aid"]["required"]
    assert fields["places"]["widget"] == "number" and fields["places"]["max"] == 1000
    assert {"label": "Engelska", "value": "en"} in fields["language"]["options"]
    kinds = {kind["name"]: {f["name"]: f for f in kind["fields"]} for kind in fields["intakes"]["types"]}
    assert set(kinds["continuous"]) == {"continuous", "apply_by"}  # a continuous start has no start day
    assert kinds["continuous"]["continuous"]["default"] is True and kinds["continuous"]["apply_by"]["required"]


COURSE = """\
- name: Truckförare
  location: Orsa
  area: fordon-transport
  study_forms: [plats]
  pace: 100
  weeks: 6
  intakes:
    - continuous: true
      apply_by: 2027-06-30
  description: Du lär dig att köra truck.
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("      apply_by: 2027-06-30", "      apply_by: 2027-11-23",
         "content/courses/orsa.yaml:9: en löpande start får vara öppen högst 12 månader fram, till och med 2027-11-22 "
         "– ändra apply_by (2027-11-23) och förläng den igen när det närmar sig"),
        ("    - continuous: true", "    - continuous: false",
         'content/courses/orsa.yaml:8: fältet "continuous" måste vara true (löpande start) – ta bort fältet för en start med ett bestämt datum, fick false'),
        ("    - continuous: true\n", "    - continuous: true\n      start: 2027-01-18\n",
         "content/courses/orsa.yaml:8: varje start ska ha start: och antingen apply_by: (sista ansökningsdag) eller period: "
         "(en gemensam ansökningsperiod), inte båda – eller vara löpande: continuous: true och apply_by: (sista dagen att söka), utan start:"),
        ("  weeks: 6", "  weeks: 6\n  places: 0",
         'content/courses/orsa.yaml:7: fältet "places" måste vara ett heltal mellan 1 och 1000 (antal platser) – ta bort fältet om antalet inte är bestämt, fick 0'),
        ("  weeks: 6", "  weeks: 6\n  student_aid: ja",
         'content/courses/orsa.yaml:7: fältet "student_aid" måste vara true (ja, ger rätt till studiemedel från CSN) eller false (nej), fick "ja"'),
        ("  weeks: 6", "  weeks: 6\n  language: svenska",
         'content/courses/orsa.yaml:7: fältet "language" måste vara en språkkod: sv (svenska), en (engelska), fi (finska), ar (arabiska), '
         "so (somaliska), ti (tigrinja), fa (persiska), prs (dari), uk (ukrainska), es (spanska), de (tyska), fr (franska) eller se (nordsamiska), "
         'fick "svenska"'),
    ],
)
def test_rules_of_the_new_fields_in_swedish(content, old, new, expected):
    assert old in COURSE
    (content / "courses" / "orsa.yaml").write_text(COURSE.replace(old, new), encoding="utf-8")
    found = [p for p in problems(content) if p.startswith("content/courses/orsa.yaml")]
    assert expected in found, found


def test_continuous_intake_twelve_months_ahead_is_allowed(content):
    (content / "courses" / "orsa.yaml").write_text(COURSE.replace("2027-06-30", "2027-11-22"), encoding="utf-8")
    assert [p for p in problems(content) if p.startswith("content/courses/orsa.yaml") and "varning" not in p] == []


def test_municipality_code_must_be_four_digits(content):
    path = content / "municipalities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: mora\n", "- id: mora\n  code: 2062\n"), encoding="utf-8")
    assert any('fältet "code" måste vara kommunens fyrsiffriga kommunkod inom citattecken' in p for p in problems(content))


def test_default_order_puts_a_continuous_course_by_its_last_day(built):
    root, result = built
    from dalawux_site.finder import ROW

    from .test_search import card_rows

    rows = [dict(zip(ROW, row)) for row in card_rows(root, _soup(root, "/").select_one("form[data-finder]"))]
    days = [row["sista"] for row in rows]  # the finder's data: soonest last application day first
    assert days == sorted(days) and rows
    truck = next(row for row in rows if row["slug"].startswith("truckforare-orsa"))
    assert truck["sista"] == "2027-06-30"
