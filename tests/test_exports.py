"""Open data and machine-readable metadata: each export parses and describes exactly the courses the pages show."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, unquote, urlsplit

import icalendar
import pytest

from dalawux_site import exports, pipeline

from .conftest import SAMPLE, TODAY

BASE = "https://yrkesvuxdalarna.se"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def page_course_ids(site) -> set[str]:
    """The courses a visitor can reach: every course page that was built."""
    return {p.parent.name for p in site.root.glob("utbildningar/*/index.html")}


def read_csv(site) -> list[dict[str, str]]:
    data = site.path("/utbildningar.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_calendar(site) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(site.path("/sista-ansokningsdag.ics").read_bytes())


def test_every_export_describes_the_same_courses_as_the_pages(site):
    ids = page_course_ids(site)
    assert len(ids) == 5
    assert {r["id"] for r in json.loads(site.text("/utbildningar.json"))} == ids
    assert {r["id"] for r in read_csv(site)} == ids
    assert {str(e["url"]).split("/")[-2] for e in read_calendar(site).walk("VEVENT")} == ids
    sitemap = {loc.text for loc in ET.fromstring(site.path("/sitemap.xml").read_bytes()).iter(f"{SITEMAP}loc")}
    assert {u.split("/")[-2] for u in sitemap if "/utbildningar/" in u} == ids
    jsonld = {json.loads(site.soup(f"/utbildningar/{i}/").find("script", type="application/ld+json").string)["url"] for i in ids}
    assert jsonld == {f"{BASE}/utbildningar/{i}/" for i in ids}


def test_csv_has_one_row_per_course_with_readable_values(site):
    rows = read_csv(site)
    assert list(rows[0]) == list(exports.CSV_FIELDS)
    row = next(r for r in rows if r["id"] == "restaurangbitrade-falun-borlange")
    assert row["title"] == "Restaurangbiträde – Falu kommun (Borlänge)"
    assert row["url"] == BASE + "/utbildningar/restaurangbitrade-falun-borlange/"
    assert (row["next_start"], row["next_apply_by"], row["added"]) == ("2027-03-15", "2026-12-15", "2026-11-10")
    assert row["study_forms"] == "plats" and row["points"] == "800"
    assert next(r for r in rows if r["id"] == "svetsare-falun")["study_forms"] == "plats,flex"
    assert [r["id"] for r in rows] == [r["id"] for r in json.loads(site.text("/utbildningar.json"))]


def test_calendar_has_an_all_day_event_on_each_last_application_day(site):
    calendar = read_calendar(site)
    assert calendar["version"] == "2.0" and calendar["prodid"]
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == sum(len(r["intakes"]) for r in json.loads(site.text("/utbildningar.json")))
    event = events["sista-ansokningsdag-svetsare-falun-2027-02-01@yrkesvuxdalarna.se"]
    assert str(event["summary"]) == "Sista ansökningsdag: Svetsare – Falu kommun (Falun)"
    assert event.decoded("dtstart") == dt.date(2026, 12, 1)  # a date, not a time: all day
    assert event.decoded("dtend") == dt.date(2026, 12, 2)
    assert event.decoded("dtstamp") == dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)  # from --today
    assert str(event["url"]) == BASE + "/utbildningar/svetsare-falun/"


def test_calendar_lines_are_folded_and_crlf(site):
    raw = site.path("/sista-ansokningsdag.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and all(len(line) <= 75 for line in lines)


def test_calendar_uids_stay_the_same_from_one_day_to_the_next(content):
    first = pipeline.render(content, TODAY).files["sista-ansokningsdag.ics"]
    later = pipeline.render(content, TODAY + dt.timedelta(days=1)).files["sista-ansokningsdag.ics"]
    uids = lambda data: {str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}  # noqa: E731
    assert uids(later) < uids(first)  # Barnskötare closed on TODAY: gone, the others keep their UIDs


def test_sitemap_lists_every_public_page_with_absolute_urls(site):
    root = ET.fromstring(site.path("/sitemap.xml").read_bytes())
    locs = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    expected = {BASE + site.url_of(f) for f in site.html_pages()} - {BASE + "/404.html"}
    expected = {u for u in expected if not u.endswith("/epost.html")}
    assert set(locs) == expected and len(locs) == len(expected)
    assert BASE + "/for-kommuner/" in locs and BASE + "/infobrev/" in locs


def test_robots_allows_all_and_points_to_the_sitemap(site):
    assert site.text("/robots.txt") == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n"


def test_course_page_describes_the_course_with_schema_org(site):
    script = site.soup("/utbildningar/restaurangbitrade-falun-borlange/").find("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@type"] == "Course" and data["@context"] == "https://schema.org"
    assert data["name"] == "Restaurangbiträde – Falu kommun (Borlänge)"
    assert data["provider"] == {"@type": "Organization", "name": "Falu kommun", "url": "https://www.falun.se"}
    assert data["offers"]["price"] == 0 and data["offers"]["priceCurrency"] == "SEK"
    [instance] = data["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance"
    assert instance["startDate"] == "2027-03-15" and instance["courseMode"] == ["onsite"]
    assert instance["location"]["name"] == "Borlänge"


def test_json_ld_cannot_be_broken_out_of(content, tmp_path):
    falun = content / "courses" / "falun.yaml"
    falun.write_text(falun.read_text(encoding="utf-8").replace(
        "Du lär dig att svetsa", "Du lär dig att svetsa </script><script>alert(1)</script> & <!-- mer", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert pipeline.build(content, out, TODAY).written is not None
    html = (out / "utbildningar" / "svetsare-falun" / "index.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert "& <!-- mer" in json.loads(block)["description"]  # the text keeps its <, the block does not


def test_script_json_escapes_everything_that_could_end_a_script():
    text = str(exports.script_json({"a": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_report_error_link_fills_in_title_and_address(site):
    link = site.soup("/utbildningar/svetsare-falun/").find("a", string="Rapportera fel på sidan")
    parts = urlsplit(link["href"])
    assert parts.scheme == "mailto" and unquote(parts.path) == "dalawuxkontakt@borlange.se"
    query = parse_qs(parts.query)
    assert "Svetsare – Falu kommun (Falun)" in query["subject"][0]
    assert BASE + "/utbildningar/svetsare-falun/" in query["body"][0]


def test_contact_page_lists_the_counsellors_of_all_15_municipalities(site):
    soup = site.soup("/kontakt/")
    tiles = soup.select(".tile")
    assert len(tiles) == 15
    for tile in tiles:
        assert tile.h3.a["href"].startswith("/kommuner/")
        assert tile.select(".person .person-name"), tile.h3.get_text()
    falun = next(t for t in tiles if t.h3.get_text(strip=True) == "Falu kommun")
    assert falun.find("a", href="mailto:syv@falun.se")


def test_footer_links_open_data(site):
    footer = site.soup("/").find("footer")
    assert footer.find("a", href="/for-kommuner/") and footer.find("a", href="/utbildningar.json")


def test_long_lines_are_folded_without_splitting_characters():
    from dalawux_site.exports import _fold

    line = "SUMMARY:" + "å" * 100
    folded = _fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


# --- hostile values in the open data ----------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://evil.example","Falun")', "+46 70 123", "-2+3", "@SUM(A1)"]


def test_no_csv_cell_can_start_a_formula_and_the_json_keeps_the_text(content, tmp_path):
    falun = content / "courses" / "falun.yaml"
    text = falun.read_text(encoding="utf-8")
    for i, (old, formula) in enumerate(zip(["- name: Svetsare", "  location: Falun", "- name: Undersköterska"], FORMULAS)):
        key, _ = old.split(": ")
        text = text.replace(old, f"{key}: '{formula}'", 1)
    falun.write_text(text.replace("  location: Borlänge", "  location: '@SUM(A1)'", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert pipeline.build(content, out, TODAY).written is not None
    rows = list(csv.reader(io.StringIO((out / "utbildningar.csv").read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'" + FORMULAS[0] in cells and "'@SUM(A1)" in cells and "'+46 70 123" in cells
    records = json.loads((out / "utbildningar.json").read_bytes())
    assert FORMULAS[0] in {r["name"] for r in records} and "@SUM(A1)" in {r["location"] for r in records}


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@x", "\t=1", "\r=1", "\uff1d1", "Falun", "1-2", "", "a=b"])
def test_csv_cell_prefixes_exactly_what_a_spreadsheet_would_run(text):
    from dalawux_site.exports import csv_cell

    assert csv_cell(text) == ("'" + text if text[:1] in "=+-@\t\r\uff1d" and text else text)


def test_calendar_text_escapes_every_line_break_and_drops_control_characters():
    from dalawux_site.exports import _ics_text

    assert _ics_text("Avesta\rkommun\r\nrad\ntre; a, b \\ \x00\x1b") == "Avesta\\nkommun\\nrad\\ntre\\; a\\, b \\\\ "


def test_calendar_stays_readable_with_a_cr_in_a_municipality_name(content):
    """check refuses the CR; the writer is safe without that check too."""
    import dataclasses

    catalogue = pipeline.check(content, TODAY).catalogue
    courses = tuple(dataclasses.replace(c, provider=dataclasses.replace(c.provider, name="Falu\rkommun\x01")) for c in catalogue.courses)
    data = b"".join(exports.export_files(dataclasses.replace(catalogue, courses=courses))["sista-ansokningsdag.ics"]())
    assert b"\r" not in data.replace(b"\r\n", b"") and b"\x01" not in data
    descriptions = [str(e["description"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert descriptions and all("Falu\nkommun" in d for d in descriptions)


def test_feed_stays_well_formed_with_characters_xml_cannot_hold(content):
    import dataclasses

    catalogue = pipeline.check(content, TODAY).catalogue
    issues = tuple(dataclasses.replace(i, title=i.title + "\ufffe\x01", summary="\x1b") for i in catalogue.infobrev)
    feed = exports.infobrev_feed(dataclasses.replace(catalogue, infobrev=issues))
    titles = [t.text for t in ET.fromstring(feed).iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t.startswith("Infobrev november 2026") for t in titles)


def test_folding_never_splits_a_character_and_unfolds_to_the_line():
    from hypothesis import given, settings, strategies as st

    from dalawux_site.exports import _fold

    @settings(max_examples=300, derandomize=True, database=None, deadline=None)
    @given(st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
    def check(text):
        line = "SUMMARY:" + text.replace("\r", "").replace("\n", "")
        folded = _fold(line).encode("utf-8")
        assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
        assert folded.decode("utf-8").replace("\r\n ", "") == line

    check()
