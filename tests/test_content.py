"""The bundled content: complete, valid, and covering what the cooperation asked for."""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, SoupStrainer

from dalawux_site import pipeline
from dalawux_site.markup import lix

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


def test_accessibility_statement_says_what_digg_requires(bundled):
    soup = bundled.soup("/tillganglighet/")
    assert soup.h1.get_text() == "Tillgänglighetsredogörelse"
    text = soup.main.get_text(" ", strip=True)
    for required in ["Dalarnas 15 kommuner", "yrkesvuxdalarna.se", "helt förenlig", "Kända brister",
                     "Senaste bedömningen gjordes den", "uppdaterades senast den", "inga kakor",
                     "sparar ingenting i din webbläsare", "på ett annat sätt"]:
        assert required in text, required
    assert soup.main.find("a", href="https://www.digg.se/tdosanmalan")
    assert soup.main.find("a", href="mailto:dalawuxkontakt@borlange.se")


def test_every_page_links_the_statement_from_its_footer(bundled):
    pages = [file for file in bundled.html_pages() if file.name != "epost.html"]
    assert len(pages) > 100
    for file in pages:
        footer = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser", parse_only=SoupStrainer("footer")).find("footer")
        assert footer.find("a", href="/tillganglighet/", string="Tillgänglighetsredogörelse"), file


def test_the_sites_own_texts_are_plain_swedish():
    """LIX of the words the templates themselves write (headings, buttons, help), not the content's."""
    words = []
    for template in sorted((CONTENT.parent / "templates").glob("*.html")):
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", template.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        words.append(BeautifulSoup(text, "html.parser").get_text("\n"))
    figure = lix("\n".join(words))
    assert figure < 40, figure


def test_bundled_infobrev_end_with_the_courses_new_since_the_issue_before():
    catalogue = pipeline.check(CONTENT, TODAY).catalogue
    november, september = catalogue.infobrev
    assert (november.slug, september.slug) == ("2026-11-20-novemberbrev", "2026-09-15-septemberbrev")
    assert september.new_courses and all(c.added <= september.date for c in september.new_courses)
    assert november.new_courses and all(september.date < c.added <= november.date for c in november.new_courses)


def test_each_municipality_owns_its_list_file_and_its_folder_of_course_files():
    """GitHub's CODEOWNERS: the last matching line wins, so each pattern must name the municipality's team."""
    rules = [line.split() for line in (CONTENT.parent / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    owners = {pattern: team for pattern, team in rules}
    for provider in PROVIDERS:
        assert owners[f"/content/courses/{provider}.yaml"] == f"@dalawux/kommun-{provider}"
        assert owners[f"/content/courses/{provider}/"] == f"@dalawux/kommun-{provider}"
        assert (CONTENT / "courses" / provider).is_dir()
    assert rules[0] == ["*", "@dalawux/kommunikationsgruppen"]
