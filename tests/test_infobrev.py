"""The infobrev: list, issue pages, the closing list of new courses, the Atom feed and the e-mail copy."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from dalawux_site import pipeline
from dalawux_site.normalise import added_between

from .conftest import TODAY, problems

ATOM = "{http://www.w3.org/2005/Atom}"
OCT, NOV = "/infobrev/2026-10-15-oktoberbrev/", "/infobrev/2026-11-20-novemberbrev/"


def new_course_links(soup) -> dict[str, str]:
    return {a["href"]: a.get_text(strip=True) for a in soup.select(".new-courses li a")}


def test_list_shows_issues_newest_first_linking_their_pages(site):
    soup = site.soup("/infobrev/")
    assert soup.h1.get_text() == "Infobrev"
    links = [(a["href"], a.get_text(strip=True)) for a in soup.select(".issue h2 a")]
    assert links == [(NOV, "Infobrev november 2026"), (OCT, "Infobrev oktober 2026")]
    assert "Ansökan till vårens utbildningar öppnar snart." in soup.select(".issue")[1].get_text()


def test_issue_page_renders_its_markdown(site):
    soup = site.soup(NOV)
    assert soup.h1.get_text() == "Infobrev november 2026"
    assert soup.select_one(".issue-date time")["datetime"] == "2026-11-20"
    body = soup.select_one(".prose")
    assert body.h2.get_text() == "Nu är ansökan öppen"  # a Markdown # heading sits below the page's h1
    assert body.find("a", href="mailto:dalawuxkontakt@borlange.se").get_text() == "DalaWux"


def test_issue_ends_with_courses_added_since_the_previous_issue(site):
    # Restaurangbiträde (Borlänge) was added 2026-11-10: after October's issue, up to November's.
    section = site.soup(NOV).select_one(".new-courses")
    assert section.h2.get_text() == "Nya utbildningar sedan förra infobrevet"
    assert new_course_links(section) == {
        "/utbildningar/restaurangbitrade-falun-borlange/": "Restaurangbiträde – Falu kommun (Borlänge)",
    }
    assert section.find_previous_sibling(class_="prose")  # after the editor's text
    assert section.find_next_sibling()["class"] == ["email-copy"]  # and the last part of the issue


def test_first_issue_lists_every_published_course_added_up_to_its_date(site):
    # No issue before October's: Köksbiträde in Hedemora (added 2026-10-01) counts, courses without
    # `added` never do, and Restaurangbiträde (Borlänge, added 2026-11-10) is later.
    assert new_course_links(site.soup(OCT)) == {
        "/utbildningar/restaurangbitrade-hedemora/": "Restaurangbiträde – Hedemora kommun (Hedemora)",
    }


def test_issue_without_new_courses_says_so(content, tmp_path):
    (content / "infobrev" / "2026-11-21-extra.md").write_text(
        "---\ntitle: Extrabrev\ndate: 2026-11-21\n---\nEn kort påminnelse.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert pipeline.build(content, out, TODAY).written is not None
    html = (out / "infobrev" / "2026-11-21-extra" / "index.html").read_text(encoding="utf-8")
    assert "Inga nya utbildningar har lagts till sedan förra infobrevet." in html


def test_added_between_includes_the_issue_date_and_excludes_the_previous_one():
    result = pipeline.check(pipeline.ROOT / "tests" / "sample" / "content", TODAY)
    courses = result.catalogue.courses
    ids = lambda found: [c.id for c in found]  # noqa: E731
    assert ids(added_between(courses, dt.date(2026, 10, 1), dt.date(2026, 11, 10))) == ["restaurangbitrade-falun-borlange"]
    assert ids(added_between(courses, None, dt.date(2026, 10, 1))) == ["restaurangbitrade-hedemora"]
    assert ids(added_between(courses, dt.date(2026, 11, 10), dt.date(2026, 12, 31))) == []


def test_raw_html_in_an_issue_is_removed_and_reported(content, tmp_path):
    (content / "infobrev" / "2026-11-21-extra.md").write_text(
        '---\ntitle: Extrabrev\ndate: 2026-11-21\n---\nHej!\n\n<script>alert("x")</script>\n\n[Klicka](javascript:alert(1))\n',
        encoding="utf-8")
    out = tmp_path / "out"
    pipeline.build(content, out, TODAY)
    html = (out / "infobrev" / "2026-11-21-extra" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "alert(" not in html
    assert "javascript:" not in html
    reported = [p for p in problems(content) if "2026-11-21-extra.md" in p]
    assert any(p.endswith("2026-11-21-extra.md:7: varning: HTML-kod togs bort: <script>alert(\"x\")</script> – skriv texten med Markdown i stället") for p in reported), reported
    assert any(':9: varning: länken "javascript:alert(1)" togs bort' in p for p in reported), reported


def test_issue_missing_its_date_is_an_error_with_file_and_line(content):
    (content / "infobrev" / "2026-11-21-extra.md").write_text("---\ntitle: Extrabrev\n---\nHej\n", encoding="utf-8")
    found = [p for p in problems(content) if "2026-11-21-extra.md" in p]
    assert len(found) == 1 and found[0].endswith('content/infobrev/2026-11-21-extra.md:2: fältet "date" saknas'), found


# --- Atom feed ---------------------------------------------------------------------------------

def test_feed_is_valid_atom_with_one_entry_per_issue(site):
    root = ET.fromstring(site.path("/infobrev/feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}updated") == "2026-11-20T00:00:00+00:00"  # the newest issue, not the clock
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://yrkesvuxdalarna.se/infobrev/feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Infobrev november 2026", "Infobrev oktober 2026"]
    november = entries[0]
    assert november.findtext(f"{ATOM}id") == "https://yrkesvuxdalarna.se" + NOV
    content = november.findtext(f"{ATOM}content")
    assert "Nya utbildningar sedan förra infobrevet" in content
    assert 'href="https://yrkesvuxdalarna.se/utbildningar/restaurangbitrade-falun-borlange/"' in content


def test_feed_is_announced_on_every_page(site):
    for url in ("/", "/infobrev/", NOV, "/utbildningar/svetsare-falun/"):
        link = site.soup(url).find("link", rel="alternate", type="application/atom+xml")
        assert link["href"] == "/infobrev/feed.xml", url


def test_feed_without_issues_is_still_stable(content, tmp_path):
    for issue in (content / "infobrev").iterdir():
        issue.unlink()
    first = pipeline.render(content, TODAY).files["infobrev/feed.xml"]
    assert first == pipeline.render(content, TODAY).files["infobrev/feed.xml"]
    assert ET.fromstring(first).findtext(f"{ATOM}updated") == "2026-11-22T00:00:00+00:00"


# --- the e-mail copy -----------------------------------------------------------------------------

class _Checker(HTMLParser):
    """Collects what an e-mail program would have to fetch or run, and checks tags are balanced."""

    VOID = {"meta", "br", "img", "hr", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k in ("href", "src")]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")


def test_email_copy_is_self_contained_html_with_absolute_links(site):
    url = NOV + "epost.html"
    text = site.text(url)
    assert text.lstrip().lower().startswith("<!doctype html>")
    soup = site.soup(url)
    assert soup.html["lang"] == "sv"
    assert soup.find("meta", charset="utf-8")
    checker = _Checker()
    checker.feed(text.split(">", 1)[1])
    assert checker.errors == [] and checker.stack == []
    assert not {"script", "link", "style", "iframe", "img"} & set(checker.tags)
    assert checker.hrefs and all(h.startswith(("https://yrkesvuxdalarna.se/", "mailto:")) for h in checker.hrefs), checker.hrefs
    assert soup.find("a", href="https://yrkesvuxdalarna.se/utbildningar/restaurangbitrade-falun-borlange/")
    assert soup.find("a", href="https://yrkesvuxdalarna.se" + NOV).get_text() == "Läs infobrevet på webben"
    assert "Nya utbildningar sedan förra infobrevet" in soup.get_text()
    for tag in soup.find_all(["h1", "h2", "p", "a", "ul", "li"]):
        assert tag.get("style"), tag  # e-mail programs drop style sheets


def test_email_copy_makes_markdown_links_absolute(site):
    soup = site.soup(OCT + "epost.html")
    assert soup.find("a", href="https://yrkesvuxdalarna.se/om/").get_text() == "om yrkesvux"


def test_issue_page_links_its_email_copy(site):
    assert site.soup(NOV).find("a", href=NOV + "epost.html")


def test_infobrev_is_in_the_footer(site):
    assert site.soup("/").find("footer").find("a", href="/infobrev/").get_text() == "Infobrev"


def test_hard_text_in_an_issue_is_warned_about(content):
    hard = "Administrationsförfarandet beträffande kompetensförsörjningsinsatserna implementeras regionalt " * 3
    (content / "infobrev" / "2026-11-21-extra.md").write_text(f"---\ntitle: Extrabrev\ndate: 2026-11-21\n---\n{hard}\n", encoding="utf-8")
    assert any("2026-11-21-extra.md:5: varning: texten är svår att läsa" in p for p in problems(content))


def test_issue_file_name_must_make_a_plain_address(content):
    (content / "infobrev" / "Brev i december.md").write_text("---\ntitle: Brev\ndate: 2026-12-01\n---\nHej\n", encoding="utf-8")
    found = [p for p in problems(content) if "Brev i december" in p]
    assert len(found) == 1 and found[0].endswith(
        'content/infobrev/Brev i december.md:1: filnamnet "Brev i december" blir brevets adress och får bara ha '
        "små bokstäver a–z, siffror och bindestreck – byt namn på filen, till exempel till brev-i-december.md"), found
