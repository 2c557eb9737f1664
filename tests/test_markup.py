"""Markdown to safe HTML: nothing from an editor's text can run in a visitor's browser."""
from __future__ import annotations

import pytest
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


def test_lix_of_easy_and_hard_text():
    assert lix("Du lär dig att laga mat. Du jobbar i ett kök.") == pytest.approx(11 / 2)
    hard = ("Utbildningen förbereder deltagarna för kvalificerade arbetsuppgifter inom "
            "livsmedelsindustrins produktionsanläggningar och storhushållsverksamheter.")
    assert lix(hard) > 60
    assert lix("") is None


def test_lix_counts_words_between_punctuation_digits_and_hyphens():
    # Du, lär, dig, e-post, D-skrivare (long), och, svets, Bra: 8 words in 2 sentences.
    assert lix("Du lär dig e-post, 3D-skrivare och svets. Bra!") == pytest.approx(8 / 2 + 100 * 1 / 8)
