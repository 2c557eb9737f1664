"""Shared fixtures: a small sample site that covers each feature once, built once per session."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

from dalawux_site import pipeline
from dalawux_site.diagnostics import Report

# Property tests find their examples the same way on every run and never fail on a slow moment of
# a shared machine: a time limit would make the suite's verdict depend on the load.
settings.register_profile("project", deadline=None, derandomize=True, database=None)
settings.load_profile("project")

SAMPLE = Path(__file__).parent / "sample" / "content"
BUNDLED = Path(__file__).resolve().parent.parent / "content"
TODAY = dt.date(2026, 11, 22)
NOTHING_OPEN = dt.date(2030, 1, 1)  # after every bundled intake has closed


# One good course as a list file's item: tests change a line of it to make the mistake they check.
SVETSARE = """\
- name: Svetsare
  location: Falun
  area: industri
  study_forms: [plats]
  pace: 100
  weeks: 20
  intakes:
    - start: 2027-02-01
      apply_by: 2026-12-01
  description: Du lär dig att svetsa.
"""


class BuiltSite:
    """A built site on disk, with helpers to read its pages."""

    def __init__(self, root: Path, report: Report) -> None:
        self.root, self.report = root, report

    def path(self, url: str) -> Path:
        rel = url.lstrip("/")
        return self.root / (rel + "index.html" if url.endswith("/") else rel)

    def text(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.text(url), "html.parser")

    def html_pages(self) -> list[Path]:
        """The public site's pages: the form editor under /admin/ is a tool, not part of it."""
        return sorted(p for p in self.root.rglob("*.html") if not p.relative_to(self.root).as_posix().startswith("admin/"))

    def url_of(self, file: Path) -> str:
        rel = file.relative_to(self.root).as_posix()
        return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the sample content that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE, target)
    return target


def _built(factory: pytest.TempPathFactory, content: Path, today: dt.date) -> BuiltSite:
    out = factory.mktemp("built") / "_site"
    result = pipeline.build(content, out, today)
    assert result.written is not None, [d.format() for d in result.report.errors]
    return BuiltSite(out, result.report)


# Built once per session and shared: a test that needs to change content or output makes its own copy.
@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The sample site, for the many assertions on its pages."""
    return _built(tmp_path_factory, SAMPLE, TODAY)


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled content, built as the live site would be on TODAY."""
    return _built(tmp_path_factory, BUNDLED, TODAY)


@pytest.fixture(scope="session")
def bundled_nothing_open(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled content on a day no course is open: the pages that say so."""
    return _built(tmp_path_factory, BUNDLED, NOTHING_OPEN)


def problems(content: Path, today: dt.date = TODAY) -> list[str]:
    """Every diagnostic of checking content, formatted as editors see it (first line only)."""
    result = pipeline.check(content, today)
    return [d.format().splitlines()[0] for d in result.report.sorted()]
