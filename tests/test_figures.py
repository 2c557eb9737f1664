"""/utbudet/ ("Utbudet i siffror"): every figure checked against the catalogue it was made from.

The sample site gets one more municipality file here, so that a course starts in the same month
in two municipalities near each other. Each figure is counted again from the catalogue in the
plainest way, then read back from the page (BeautifulSoup), the charts (ElementTree) and the CSV.
"""
from __future__ import annotations

import csv
import io
import math
import multiprocessing
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from bs4 import BeautifulSoup

from dalawux_site import charts, figures, pipeline, render
from dalawux_site.assets import collect_assets
from dalawux_site.geo import km
from dalawux_site.markup import lix
from dalawux_site.model import STUDY_FORM_LABELS
from dalawux_site.render import date_sv
from dalawux_site.swedish import MONTHS
from dalawux_site.vocabulary import name_key

from .conftest import SAMPLE, TODAY, BuiltSite

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
# Borlänge's course starts in February 2027 like Falun's Svetsare, 17 km away; Ludvika's a month later.
BORLANGE = """\
- name: MIG/MAG-svetsare
  location: Borlänge
  area: industri
  study_forms: [plats]
  pace: 100
  weeks: 20
  intakes:
    - start: 2027-02-08
      apply_by: 2026-12-15
  apply_url: https://www.borlange.se/svets
  description: Du lär dig att svetsa.
"""
LUDVIKA = """\
- name: Svetsare
  location: Ludvika
  area: industri
  study_forms: [plats, distans]
  pace: 50
  weeks: 20
  intakes:
    - start: 2027-03-15
      apply_by: 2026-12-15
    - start: 2028-02-14
      apply_by: 2027-12-15
  apply_url: https://www.ludvika.se/svets
  description: Du lär dig att svetsa.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The sample content with two more course files, built; and its catalogue."""
    content = tmp_path_factory.mktemp("figures") / "content"
    shutil.copytree(SAMPLE, content)
    (content / "courses" / "borlange.yaml").write_text(BORLANGE, encoding="utf-8")
    (content / "courses" / "ludvika.yaml").write_text(LUDVIKA, encoding="utf-8")
    out = content.parent / "_site"
    result = pipeline.build(content, out, TODAY)
    assert result.written is not None, [d.format() for d in result.report.errors]
    return BuiltSite(out, result.report), result.catalogue


@pytest.fixture(scope="module")
def page(built):
    return built[0].soup("/utbudet/")


@pytest.fixture(scope="module")
def csv_rows(built) -> list[dict]:
    data = built[0].path("/utbudet/utbudet.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def csv_figure(rows: list[dict], figure: str) -> dict[tuple[str, str], str]:
    found = {(r["row"], r["column"]): r["value"] for r in rows if r["figure"] == figure}
    assert found, figure
    return found


def table_numbers(table) -> dict[tuple[str, str], int]:
    """(row header, column header) -> the number in the cell, for every cell of an HTML table."""
    columns = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")][1:]
    found = {}
    for tr in [*table.tbody.find_all("tr"), *(table.tfoot.find_all("tr") if table.tfoot else [])]:
        label = tr.th.get_text(" ", strip=True)
        for column, td in zip(columns, tr.find_all("td")):
            found[label, column] = int(td.get_text(strip=True))
    return found


def in_period(day) -> bool:
    months = TODAY.year * 12 + TODAY.month - 1
    return TODAY <= day and months <= day.year * 12 + day.month - 1 < months + 12


# --- the page and where it is linked from ----------------------------------------------------

def test_page_states_the_day_and_the_number_of_published_courses(built, page, csv_rows):
    _, catalogue = built
    lead = page.find("p", class_="lead").get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == "Utbudet i siffror"
    assert date_sv(TODAY) in lead and f"{len(catalogue.courses)} utbildningar" in lead
    assert {r["date"] for r in csv_rows} == {TODAY.isoformat()}
    assert csv_figure(csv_rows, "publicerade-utbildningar") == {("", ""): str(len(catalogue.courses))}
    assert page.find("a", href="/utbudet/utbudet.csv")


def test_footer_of_every_page_and_the_about_page_link_to_it(site):
    for file in site.html_pages():
        if file.name == "epost.html":
            continue
        footer = site.soup(site.url_of(file)).find("footer")
        assert footer.find("a", href="/utbudet/", string="Utbudet i siffror"), file
    assert site.soup("/om/").main.find("a", href="/utbudet/")
    bundled = (ROOT / "content" / "pages" / "om.md").read_text(encoding="utf-8")
    assert "](/utbudet/)" in bundled


@pytest.mark.parametrize("content", ["sample", "bundled"])
def test_page_is_plain_swedish(built, content):
    if content == "sample":
        main = built[0].soup("/utbudet/").main  # its own copy: the hidden captions are taken out
    else:
        main = BeautifulSoup(render_page(pipeline.check(ROOT / "content", TODAY).catalogue), "html.parser").main
    for hidden in main.select(".visually-hidden"):
        hidden.decompose()
    prose = "\n".join(p.get_text(" ", strip=True) for p in main.find_all(["p", "h1", "h2", "h3", "figcaption"]))
    assert lix(prose) < 40, lix(prose)
    assert lix(main.get_text("\n")) < 40, lix(main.get_text("\n"))  # the tables' names included


# --- courses per area and municipality -------------------------------------------------------

def test_heat_map_counts_each_areas_courses_in_each_municipality(built, page, csv_rows):
    _, catalogue = built
    table = page.find(id="omrade-kommun").find_parent("section").find("table")
    cells = table_numbers(table)
    expected = Counter((c.area.name, c.provider.name) for c in catalogue.courses)
    for area in catalogue.areas:
        for provider in catalogue.providers:
            assert cells[area.name, provider.name] == expected[area.name, provider.name]
        assert cells[area.name, "Summa"] == len(catalogue.courses_in_area(area))
    for provider in catalogue.providers:
        assert cells["Summa", provider.name] == len(catalogue.courses_by(provider))
    assert cells["Summa", "Summa"] == len(catalogue.courses)
    assert csv_figure(csv_rows, "utbildningar-per-omrade-och-kommun") == {k: str(v) for k, v in cells.items()}


def test_heat_map_never_gives_colour_alone_and_darker_means_more(page):
    table = page.find(id="omrade-kommun").find_parent("section").find("table")
    level_of = {}
    for td in table.tbody.find_all("td", class_=re.compile(r"^heat-\d$")):
        level = int(next(c for c in td["class"] if c.startswith("heat-"))[5:])
        number = td.get_text(strip=True)
        assert number.isdigit()  # every coloured cell carries its number
        level_of.setdefault(level, set()).add(int(number))
    assert level_of[0] == {0} and len(level_of) >= 2
    levels = sorted(level_of)
    for lower, higher in zip(levels, levels[1:]):
        assert max(level_of[lower]) < min(level_of[higher])
    legend = page.find(id="omrade-kommun").find_parent("section").find(class_="heat-legend")
    assert {int(k["class"][1][5:]) for k in legend.find_all(class_="heat-key")} >= set(levels)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_heat_map_colours_keep_their_numbers_readable_aa():
    css = (ROOT / "assets" / "css" / "site.css").read_text(encoding="utf-8")
    rules = re.findall(r"\.heat-(\d) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6});", css)
    assert [level for level, _, _ in rules] == ["0", "1", "2", "3", "4"]
    for _, background, text in rules:
        light, dark = sorted((_luminance(background), _luminance(text)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (background, text)


def test_a_table_of_places_only_when_courses_give_places(built, page, csv_rows):
    _, catalogue = built
    given = any(figures.places(c) is not None for c in catalogue.courses)  # none yet in the sample
    assert (page.find(id="places-caption") is not None) == given
    assert bool([r for r in csv_rows if r["figure"] == "platser-per-omrade-och-kommun"]) == given


def test_places_per_area_and_municipality_once_courses_give_places(built, monkeypatch):
    _, catalogue = built
    monkeypatch.setattr(figures, "places", lambda course: course.pace // 10)  # stands in for Course.places
    table = figures.figures(catalogue).places
    expected = Counter()
    for c in catalogue.courses:
        expected[c.area.name, c.provider.name] += c.pace // 10
    assert {(r, col): v for r, row in zip(table.rows, table.cells) for col, v in zip(table.columns, row)} == {
        (a.name, p.name): expected[a.name, p.name] for a in catalogue.areas for p in catalogue.providers
    }
    page = BeautifulSoup(render_page(catalogue), "html.parser")
    assert table_numbers(page.find(id="places-caption").find_parent("table"))["Summa", "Summa"] == sum(expected.values())
    rows = {r[1] for r in figures.csv_rows(figures.figures(catalogue))}
    assert "platser-per-omrade-och-kommun" in rows


def render_page(catalogue) -> str:
    """/utbudet/ made again from the catalogue, as the build makes it."""
    env = render.make_environment(pipeline.DEFAULT_OUTPUT.templates, catalogue, collect_assets(pipeline.DEFAULT_OUTPUT.assets))
    return charts.site_files(catalogue, env)["utbudet/index.html"].decode("utf-8")


# --- starts per month ------------------------------------------------------------------------

def test_starts_per_month_and_area_are_the_catalogues_starts_of_the_next_12_months(built, page, csv_rows):
    _, catalogue = built
    table = page.find(id="starts-caption").find_parent("table")
    cells = table_numbers(table)
    expected = Counter(
        (c.area.name, f"{MONTHS[i.start.month - 1][:3]} {i.start.year}")
        for c in catalogue.courses for i in c.intakes if in_period(i.start)
    )
    areas = {area for area, _ in expected}
    assert {row for row, _ in cells} == areas | {"Summa"}
    for (area, month), value in cells.items():
        if area != "Summa" and month != "Summa":
            assert value == expected[area, month], (area, month)
    assert cells["Summa", "Summa"] == sum(expected.values())
    figure = csv_figure(csv_rows, "starter-per-manad-och-omrade")
    assert sum(int(v) for (row, column), v in figure.items() if "Summa" not in (row, column)) == sum(expected.values())
    # The 2028 start of Ludvika's course lies beyond the twelve months.
    assert cells["Industri", "Summa"] == 3


def test_each_area_with_starts_has_a_chart_with_its_numbers(built, page):
    site, _ = built
    table = page.find(id="starts-caption").find_parent("table")
    cells = table_numbers(table)
    figure = page.find(id="starter").find_parent("section").find("figure")
    assert "Alla diagram har samma skala" in figure.figcaption.get_text()
    images = figure.find_all("img")
    areas = sorted({row for row, _ in cells} - {"Summa"})
    assert sorted(img.find_previous("h3").get_text(strip=True) for img in images) == areas
    for img in images:
        area = img.find_previous("h3").get_text(strip=True)
        root = chart(site, img)
        numbers = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.isdigit() and len(t.text) < 4]
        expected = [str(v) for (row, column), v in sorted(cells.items()) if row == area and column != "Summa" and v]
        assert sorted(numbers) == sorted(expected), area


def chart(site, img) -> ET.Element:
    """The chart file an <img> shows, parsed; checked to be self-contained and titled like its alt."""
    root = ET.fromstring(site.path(img["src"]).read_bytes())
    assert root.tag == f"{SVG}svg"
    for element in root.iter():
        assert element.tag not in {f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject"}
        for name, value in element.attrib.items():
            assert not name.endswith("href") or value.startswith("#"), value  # no request leaves the file
            assert "url(" not in value or "url(#" in value, value
    assert root.findtext(f"{SVG}title") == img["alt"]
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    return root


# --- study forms and pace --------------------------------------------------------------------

def test_study_forms_and_paces_match_the_catalogue_in_table_chart_and_csv(built, page, csv_rows):
    site, catalogue = built
    forms = Counter(STUDY_FORM_LABELS[f] for c in catalogue.courses for f in c.study_forms)
    paces = Counter(c.pace for c in catalogue.courses)
    form_cells = table_numbers(page.find(id="forms-caption").find_parent("table"))
    pace_cells = table_numbers(page.find(id="paces-caption").find_parent("table"))
    assert {row: v for (row, _), v in form_cells.items()} == dict(forms)
    assert {int(row.split(" %")[0]): v for (row, _), v in pace_cells.items()} == dict(paces)
    assert csv_figure(csv_rows, "utbildningar-per-studieform") == {(k, "Utbildningar"): str(v) for k, v in forms.items()}
    section = page.find(id="studieform").find_parent("section")
    for img, counted in zip(section.figure.find_all("img"), (forms, paces)):
        texts = [t.text for t in chart(site, img).iter(f"{SVG}text") if t.text]
        assert sorted(t for t in texts if t.isdigit()) == sorted(str(v) for v in counted.values())
    assert section.figure.figcaption.get_text(strip=True)


# --- near each other: joint planning and what is missing ------------------------------------

def test_same_course_same_month_within_50_km_lists_each_start_with_the_nearest_other_municipality(built, page, csv_rows):
    _, catalogue = built
    starts = {}  # (name, month) -> {(municipality, place)}
    for c in catalogue.courses:
        place = catalogue.place(c.location) or c.provider.main_town
        for i in c.intakes:
            if in_period(i.start):
                starts.setdefault((c.name, f"{MONTHS[i.start.month - 1]} {i.start.year}"), set()).add((c.provider.name, place))
    expected = set()
    for (name, month), members in starts.items():
        for municipality, place in members:
            others = [(km(place, other), other.name) for m, other in members if m != municipality]
            if others and min(others)[0] <= 50:
                expected.add((name, month, place.name, min(others)[1], round(min(others)[0])))
    assert ("Svetsare", "februari 2027", "Falun", "Borlänge", 17) in expected
    assert ("Svetsare", "februari 2027", "Borlänge", "Falun", 17) in expected
    assert not any(start[2] == "Ludvika" for start in expected)  # its start is in March
    shown = set()
    for card in page.find(id="samplanera").find_parent("section").select(".figure-card"):
        month = card.find_previous("h3").get_text(strip=True).removeprefix("Start i ")
        name = card.find(class_="figure-card-title").get_text(strip=True)
        for li in card.find_all("li"):
            place, nearest_km, nearest = re.fullmatch(r"(.+) \(.+\): (\d+) km till (.+)", li.get_text().strip()).groups()
            shown.add((name, month, place, nearest, int(nearest_km)))
    assert shown == expected
    figure = csv_figure(csv_rows, "samma-utbildning-samma-manad-inom-50-km")
    assert {(*row.rsplit(", ", 1), *col.split(" – "), int(v)) for (row, col), v in figure.items()} == expected


def test_areas_missing_within_50_km_of_each_main_town(built, page, csv_rows):
    _, catalogue = built
    cards = page.find(id="saknas").find_parent("section").select(".figure-card")
    shown = {
        card.find(class_="figure-card-title").get_text(" ", strip=True).replace(" från ", " (") + ")":
        {s.get_text(strip=True) for s in card.find_all(class_="gap-area")}
        for card in cards
    }
    figure = csv_figure(csv_rows, "omraden-utan-utbildning-inom-50-km")
    for provider in catalogue.providers:
        town = provider.main_town
        missing = {
            area.name for area in catalogue.areas
            if not any(
                catalogue.place(c.location) and km(town, catalogue.place(c.location)) <= 50
                for c in catalogue.courses_in_area(area)
            )
        }
        label = f"{provider.name} ({town.name})"
        assert shown[label] == missing, label
        assert {area for row, area in figure if row == label} == missing
    # Vård och omsorg has only a course given across the county: missing everywhere, said so.
    assert all("Vård och omsorg" in areas for areas in shown.values())


# --- the vocabulary --------------------------------------------------------------------------

def test_names_missing_from_names_yaml_and_local_names_per_agreed_name(built, page, csv_rows):
    _, catalogue = built
    known = {name_key(t) for e in catalogue.vocabulary for t in (e.name, *e.aliases)}
    unknown = Counter(" ".join(c.local_name.split()) for c in catalogue.courses if name_key(c.local_name) not in known)
    table = page.find(id="unknown-caption").find_parent("table")
    shown = {tr.th.get_text(strip=True): int(tr.td.get_text(strip=True)) for tr in table.tbody.find_all("tr")}
    assert shown == dict(unknown) == {"Timmerhusbyggare": 1}
    local = {
        e.name: {name_key(c.local_name) for c in catalogue.courses if c.name == e.name and name_key(c.local_name) != name_key(e.name)}
        for e in catalogue.vocabulary if any(c.name == e.name for c in catalogue.courses)
    }
    table = page.find(id="local-caption").find_parent("table")
    shown = {tr.th.get_text(strip=True): int(tr.find_all("td")[1].get_text(strip=True)) for tr in table.tbody.find_all("tr")}
    assert shown == {name: len(keys) for name, keys in local.items()}
    assert shown["Svetsare"] == 1  # Borlänge's "MIG/MAG-svetsare"
    figure = csv_figure(csv_rows, "lokala-namn-per-namn")
    assert {row: int(v) for (row, _), v in figure.items()} == shown


def test_charts_are_drawn_in_a_child_forked_before_the_content_is_checked(tmp_path, monkeypatch):
    """The child imports matplotlib while the content is checked; the charts it sends back are
    the ones the site gets."""
    seen = []
    draw, check = charts.chart_files, pipeline.check

    def noted_draw(drawn):
        (tmp_path / "drawn-by").write_text(str(os.getpid()))
        return draw(drawn)

    def noted_check(*args, **kwargs):
        seen.append(len(set(multiprocessing.active_children()) - earlier))  # not a child an earlier test left ending
        return check(*args, **kwargs)

    monkeypatch.setattr(charts, "chart_files", noted_draw)
    monkeypatch.setattr(pipeline, "check", noted_check)
    monkeypatch.setattr(charts, "_forked", False)  # as in the command line's one build
    earlier = set(multiprocessing.active_children())
    result = pipeline.build(SAMPLE, tmp_path / "out", TODAY)
    assert int((tmp_path / "drawn-by").read_text()) != os.getpid() and seen == [1]
    svg = ET.parse(tmp_path / "out" / "utbudet" / "studieform.svg").getroot()
    assert svg.find(f"{SVG}title").text == "Utbildningar per studieform"
    assert "utbudet/studieform.svg" in result.written


@pytest.mark.parametrize("forked", [False, True])
def test_a_chart_failing_fails_the_build_and_publishes_nothing(tmp_path, monkeypatch, forked):
    def broken(drawn):
        raise ValueError("ingen penna")

    monkeypatch.setattr(charts, "chart_files", broken)
    monkeypatch.setattr(charts, "_forked", forked)
    with pytest.raises(ValueError, match="ingen penna"):
        pipeline.build(SAMPLE, tmp_path / "out", TODAY)
    assert not (tmp_path / "out").exists()
