"""The bundled content: complete, valid, and covering what the cooperation asked for."""
from __future__ import annotations

from pathlib import Path

from dalawux_site import pipeline

from .conftest import TODAY

CONTENT = Path(__file__).resolve().parent.parent / "content"
PROVIDERS = "avesta borlange falun gagnef hedemora leksand ludvika malung-salen mora orsa rattvik smedjebacken sater vansbro alvdalen".split()
AREAS = ("barn-fritid bygg-anlaggning el-energi fordon-transport handel-administration hantverk hotell-turism "
         "industri naturbruk restaurang-livsmedel vvs-fastighet vard-omsorg").split()


def test_bundled_content_has_no_errors():
    result = pipeline.check(CONTENT, TODAY)
    assert result.report.errors == []
    catalogue = result.catalogue
    assert [p.id for p in catalogue.providers] == PROVIDERS
    assert [a.id for a in catalogue.areas] == AREAS
    assert len({c.provider.id for c in catalogue.courses}) >= 10
    assert {c.area.id for c in catalogue.courses} == set(AREAS)
    assert catalogue.site.contact_email == "dalawuxkontakt@borlange.se"


def test_restaurant_names_map_to_one_canonical_name():
    catalogue = pipeline.check(CONTENT, TODAY).catalogue
    restaurant = {c.local_name for c in catalogue.courses if c.name == "Restaurangbiträde"}
    assert {"Restaurangbiträde, storkök", "Måltidsbiträde", "Köksbiträde"} <= restaurant


def test_bundled_descriptions_are_plain_swedish():
    result = pipeline.check(CONTENT, TODAY)
    assert [d for d in result.report.warnings if "LIX" in d.message] == []


def test_bundled_infobrev_end_with_the_courses_new_since_the_issue_before():
    catalogue = pipeline.check(CONTENT, TODAY).catalogue
    november, september = catalogue.infobrev
    assert (november.slug, september.slug) == ("2026-11-20-novemberbrev", "2026-09-15-septemberbrev")
    assert september.new_courses and all(c.added <= september.date for c in september.new_courses)
    assert november.new_courses and all(september.date < c.added <= november.date for c in november.new_courses)
