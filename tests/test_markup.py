"""Markdown to safe HTML: nothing from an editor's text can run in a visitor's browser."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from bs4 import BeautifulSoup

from dalawux_site.markup import MarkdownRenderer, lix


@pytest.fixture
def render():
    return MarkdownRenderer(top_heading=3).render


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Text <img src=x onerror=alert(1)> här",
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "[klick]( java\tscript:alert(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<div onclick=\"alert(1)\">x</div>",
        "<iframe src=https://evil.example></iframe>",
        "<svg><script>alert(1)</script></svg>",
        "![x](https://evil.example/x.png)",
        "<style>body{display:none}</style>",
    ],
)
def test_no_markup_from_the_text_survives(render, source):
    soup = BeautifulSoup(render(source).html, "html.parser")
    assert not soup.find_all(["script", "img", "iframe", "svg", "style", "div"])
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")]
        assert not tag.get("href", "").lower().replace(" ", "").startswith(("javascript", "data"))


def test_raw_html_is_removed_and_reported_with_its_line(render):
    result = render("Rad ett.\n\nDu lär dig <b>svetsa</b>.\n\n<script>alert(1)</script>")
    assert result.html == "<p>Rad ett.</p>\n<p>Du lär dig svetsa.</p>\n"
    assert [(p.line_offset, p.message) for p in result.problems] == [
        (2, "HTML-kod togs bort: <b> </b> – skriv texten med Markdown i stället"),
        (4, "HTML-kod togs bort: <script>alert(1)</script> – skriv texten med Markdown i stället"),
    ]


def test_line_is_found_after_non_ascii_text(render):
    result = render("Å ä ö.\n\nSkåne <i>x</i>")
    assert [p.line_offset for p in result.problems] == [2]


def test_unsafe_link_is_dropped_and_reported_but_text_kept(render):
    result = render("Läs [mer](javascript:alert(1)) och [här](https://falun.se) och [mejla](mailto:a@b.se).")
    soup = BeautifulSoup(result.html, "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == ["https://falun.se", "mailto:a@b.se"]
    assert "mer" in soup.get_text()
    assert [p.message for p in result.problems] == [
        'länken "javascript:alert(1)" togs bort – länkar måste börja med https://, http:// eller mailto:'
    ]


@pytest.mark.parametrize(
    "source",
    [
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
        "[klick](//evil.example/x)",
        "[klick]()",
        "Se [här][a].\n\n[a]: javascript:alert(1)",
        "[ok](https://falun.se) och [inte ok](vbscript:x)",
    ],
)
def test_every_link_the_sanitiser_drops_is_reported(render, source):
    result = render(source)
    assert [p.message for p in result.problems if p.message.startswith("länken")], source


def test_texts_with_only_allowed_links_report_nothing(render):
    result = render("[a](https://falun.se), [b](http://x.se), [c](mailto:a@b.se), [d](/kontakt/), [e](#start)\n\n[f]: https://y.se")
    assert result.problems == ()
    assert len(BeautifulSoup(result.html, "html.parser").find_all("a")) == 5


def test_headings_stay_below_the_page_heading(render):
    soup = BeautifulSoup(render("# Stor\n\n## Mellan\n\n#### Liten").html, "html.parser")
    assert [h.name for h in soup.find_all(["h1", "h2", "h3", "h4"])] == ["h3", "h3", "h4"]


def test_plain_text_has_no_tags(render):
    assert render("Du lär dig **svetsa**.\n\n* MIG\n* TIG").text == "Du lär dig svetsa.\nMIG\nTIG"


def test_plain_text_keeps_characters_and_drops_whole_tags(render):
    assert render('Läs [mer](https://x.se/ "A > B") om 5 < 7 & "citat".').text == 'Läs mer om 5 < 7 & "citat".'


def test_plain_text_one_line_per_block_and_runs_of_spaces_as_one():
    from dalawux_site.markup import plain_text

    html = "<p>Svets\tteknik\u00a0 och&nbsp;\x0b  plåt </p>\n\n<ul>\n<li> MIG </li>\n<li>TIG</li>\n</ul><p>  </p>"
    assert plain_text(html) == "Svets teknik och plåt\nMIG\nTIG"


@settings(max_examples=500)
@given(st.text(st.sampled_from("ab å<>&;/p\n \t\r\u00a0\u2028\x1c"), max_size=30))
@example("a \nb")
@example("a\n b")
@example("a  b")
@example(" a")
@example("a ")
@example("<p>a</p> b")
@example("a&nbsp;b")
def test_plain_text_takes_a_line_as_it_is_only_when_collapsing_its_spaces_changes_nothing(fragment):
    import html

    from dalawux_site.markup import _BLOCK_END, _TAG, plain_text

    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment)))
    assert plain_text(fragment) == "\n".join(filter(None, (" ".join(part.split()) for part in text.split("\n"))))


def test_every_space_str_split_knows_but_the_plain_one_is_not_printable():
    import sys

    assert [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c.isprintable()] == [" "]


def test_lix_of_easy_and_hard_text():
    assert lix("Du lär dig att laga mat. Du jobbar i ett kök.") == pytest.approx(11 / 2)
    hard = ("Utbildningen förbereder deltagarna för kvalificerade arbetsuppgifter inom "
            "livsmedelsindustrins produktionsanläggningar och storhushållsverksamheter.")
    assert lix(hard) > 60
    assert lix("") is None


def test_lix_counts_words_between_punctuation_digits_and_hyphens():
    # Du, lär, dig, e-post, D-skrivare (long), och, svets, Bra: 8 words in 2 sentences.
    assert lix("Du lär dig e-post, 3D-skrivare och svets. Bra!") == pytest.approx(8 / 2 + 100 * 1 / 8)


@given(st.text(st.sampled_from("aöZ3_-.,:;!?()\"'«»“”’ \n\t\u00a0²ǅ"), max_size=40))
def test_words_are_counted_as_the_word_pattern_finds_them_in_the_whole_text(text):
    """LIX's word lengths, found token by token with string methods where they can be, are the
    lengths of the word pattern's matches in the whole text."""
    from dalawux_site.markup import _WORD, _word_lengths

    assert _word_lengths(text) == [len(word) for word in _WORD.findall(text)]


# --- every reported removal happens, and every removal is reported ---------------------------------

_DESTINATIONS = [
    "https://www.falun.se/p", "http://falun.se", "/kontakt/", "#start", "mailto:syv@falun.se",
    "//evil.example/p", "/\\evil.example", "\\\\evil.example", "mailto:syv@falun.se?bcc=evil@x.se", "mailto:a@b.se,c@d.se",
    "https://www.falun.se@evil.example/", "https://user:pw@falun.se/", "https://127.0.0.1/", "http://localhost:8000/",
    "https://192.168.1.1/", "https://[::1]/", "https://10.0.0.1/", "https://0x7f.1/", "https://intra.local/",
    "javascript:alert(1)", "data:text/html,x", "kontakt/", "?q=1", "", "ftp://falun.se", "https://", "https://[::1/",
]


def _links_kept(html: str) -> list[str]:
    return [a.get("href") for a in BeautifulSoup(html, "html.parser").find_all("a")]


@pytest.mark.parametrize("dest", _DESTINATIONS)
@pytest.mark.parametrize("form", ["[länk](<{}>)", '<a href="{}">länk</a>', "[länk][r]\n\n[r]: <{}>"])
def test_a_link_is_removed_exactly_when_its_removal_is_reported(render, form, dest):
    result = render(form.format(dest))
    reported = [p.message for p in result.problems if p.message.startswith("länken")]
    kept = _links_kept(result.html)
    assert len(reported) + len(kept) == 1, (reported, kept)
    assert "länk" in BeautifulSoup(result.html, "html.parser").get_text()  # the text stays either way


@pytest.mark.parametrize("source", ["Mejla <syv@falun.se>.", "Se <https://www.falun.se/>.", "Se <https://127.0.0.1/>."])
def test_autolinks_too_are_removed_exactly_when_reported(render, source):
    result = render(source)
    assert len(result.problems) + len(_links_kept(result.html)) == 1, (result.problems, result.html)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[x](//evil.example/p)", 'länken "//evil.example/p" togs bort – en länk till en annan webbplats måste börja med https://'),
        ("[x](mailto:syv@falun.se?bcc=evil@x.se)",
         'länken "mailto:syv@falun.se?bcc=evil@x.se" togs bort – en e-postlänk får bara ha en adress, t.ex. '
         "mailto:syv@falun.se (inget ?, komma eller mellanslag)"),
        ("[x](https://www.falun.se@evil.example/)",
         'länken "https://www.falun.se@evil.example/" togs bort – adressen har ett @ före webbplatsens namn och leder då '
         "någon annanstans än det ser ut – skriv bara https:// och webbplatsens namn, t.ex. https://www.falun.se/"),
        ("[x](https://127.0.0.1/)",
         'länken "https://127.0.0.1/" togs bort – adressen går till en dator i ett internt nät (som localhost, 127.0.0.1 '
         "eller 192.168.…), som besökare inte når – använd webbplatsens publika adress"),
    ],
)
def test_removed_links_say_why(render, source, message):
    assert [p.message for p in render(source).problems] == [message]


def test_raw_html_the_sanitiser_keeps_is_not_reported_as_removed(render):
    result = render("Du lär dig <strong>svetsa</strong> och <em>löda</em>.")
    assert result.problems == ()
    assert "<strong>svetsa</strong>" in result.html and "<em>löda</em>" in result.html


# --- linear time --------------------------------------------------------------------------------

def _seconds(source: str) -> float:
    """Processor time of the best of two renderings of source, each by a new renderer (which keeps
    what it rendered): on a shared machine the wall clock counts others' work too."""
    import time

    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        MarkdownRenderer().render(source)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", [">", "> ", "1. ", "<div>", "<ul><li>", "<em>", "x <b>y</b>\n", "<"])
def test_hostile_texts_take_linear_time(unit):
    """Four times the text may take about four times as long, not sixteen (quadratic)."""
    small = unit * (10000 // len(unit))
    assert _seconds(small * 4) < 8 * _seconds(small) + 0.05


@pytest.mark.parametrize("source", [">" * 20000, "> " * 10000, "1. " * 7000, "<div>" * 20000, "<ul><li>" * 10000])
def test_deep_nesting_is_flattened_and_keeps_the_text(source):
    soup = BeautifulSoup(MarkdownRenderer().render(source + "slut").html, "html.parser")
    assert "slut" in soup.get_text()
    assert max((len(list(tag.parents)) for tag in soup.find_all(True)), default=0) <= 2 * 32 + 2


def test_lines_of_many_problems_are_right():
    result = MarkdownRenderer().render("x <b>y</b>\n" * 3000)
    assert [p.line_offset for p in result.problems] == list(range(3000))


def test_removed_links_and_reported_links_are_the_same_for_generated_addresses():
    """Generated addresses, in inline and reference links: a link the parser sees is either kept
    or reported as removed, never both and never neither."""
    import pyromark
    from hypothesis import given, settings, strategies as st

    from dalawux_site.markup import OPTIONS

    schemes = ["https://", "http://", "HTTPS://", "//", "/", "\\\\", "/\\", "mailto:", "javascript:", "java\tscript:",
               " ", "#", "", "ftp://", "data:", "%2F%2F"]
    hosts = ["www.falun.se", "127.0.0.1", "a@b.se", "localhost", "[::1]", "0x7f.1", "falun.se:80", "falun.se:x",
             "xn--a.se", "xn--5ca.se", "å.se", "%C3%A5.se", "a_b.se", "a%2540.se", "%40", "syv@falun.se", "10.0.0.1",
             "intra.local", ""]
    tails = ["", "/p", "?bcc=x@y.se", "#a", "\\@evil", ")", "&amp;", ",c@d.se", "%0A", "/\u200e"]
    render = MarkdownRenderer().render

    @settings(max_examples=400, derandomize=True, database=None, deadline=None)
    @given(st.sampled_from(schemes), st.sampled_from(hosts), st.sampled_from(tails),
           st.sampled_from(["[länk](<{}>)", "[länk][r]\n\n[r]: <{}>"]))
    def check(scheme, host, tail, form):
        source = form.format(scheme + host + tail)
        links = sum(1 for e, _ in pyromark.events_with_range(source, options=OPTIONS)
                    if isinstance(e, dict) and isinstance(e.get("Start"), dict) and "Link" in e["Start"])
        result = render(source)
        reported = [p for p in result.problems if p.message.startswith("länken")]
        assert len(reported) + len(_links_kept(result.html)) == links, (source, reported, result.html)

    check()
