"""What the code relies on in libraries beyond their documented API: each test fails when an
upgrade changes the relied-on behaviour (docs/performance.md lists them)."""
from __future__ import annotations

import os
import threading
from html.parser import HTMLParser

import pyromark
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from dalawux_site import exports, markup, parallel
from dalawux_site.render import EMAIL_STYLES, email_html

# --- markup.py's regular expressions over pulldown-cmark's and nh3's HTML -----------------------

_TARGETS = [
    "https://www.falun.se/vuxenutbildning?a=1&b=2", "http://mora.se/", "/kontakt/", "#ansok", "mailto:syv@falun.se",
    "http://localhost/", "https://127.0.0.1/", "javascript:alert(1)", "https://www.falun.se@evil.example/", "ftp://x.se/",
    "mailto:a@b.se?cc=c@d.se", "//evil.example/", "https://xn--zz.se/",
]
_WORDS = st.sampled_from(["Svetsare", "å ä ö", "a&b", "1 < 2", "x > y", '"citat"', "it's", "Ö*", "`kod`", "—", "&amp;"])
_TITLES = st.sampled_from(["", ' "titel"', ' "a>b"', ' "a<b"', " 'a\"b'", ' "x&y"', ' "href=x"'])
_RAW = st.sampled_from([
    '<a title="a>b">x</a>', "<a href='https://ok.se' title='a\"b'>x</a>", '<a href="http://localhost">y</a>',
    "<span>s</span>", "<script>alert(1)</script>", "<!-- c -->", '<h1 class="x">H</h1>', "<h7>n</h7>", "<hr>",
])


@st.composite
def _inline(draw) -> str:
    kind = draw(st.sampled_from(["word", "link", "emph", "raw"]))
    if kind == "link":
        return f"[{draw(_WORDS)}]({draw(st.sampled_from(_TARGETS))}{draw(_TITLES)})"
    if kind == "emph":
        return f"*{draw(_WORDS)}* **{draw(_WORDS)}**"
    return draw(_RAW) if kind == "raw" else draw(_WORDS)


@st.composite
def _markdown(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        line = " ".join(draw(st.lists(_inline(), min_size=1, max_size=5)))
        prefix = draw(st.sampled_from(["", "# ", "### ", "###### ", "- ", "1. ", "> ", "| a | b |\n|---|---|\n| "]))
        blocks.append(prefix + line)
    return "\n\n".join(blocks)


def _tree(fragment: str) -> BeautifulSoup:
    soup = BeautifulSoup(fragment, "html.parser")
    soup.smooth()
    return soup


def _spaced(tree: BeautifulSoup) -> str:
    return " ".join(str(tree).split())


class _Text(HTMLParser):
    """The text of HTML, one line per block, by the standard library's parser."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")


def _text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return "\n".join(filter(None, (" ".join(part.split()) for part in "".join(parser.parts).split("\n"))))


@settings(max_examples=150)
@given(_markdown(), st.integers(1, 4))
def test_the_regular_expressions_read_pulldown_cmarks_and_nh3s_html_as_a_parser_does(source, top):
    """Headings shifted, links without a target unwrapped and the plain text taken by regular
    expressions give what doing the same with an HTML parser gives."""
    renderer = markup.MarkdownRenderer(top)
    body = pyromark.html(source, options=markup.OPTIONS)
    shifted = markup._HEADING.sub(renderer._shift_heading, body)
    expected = _tree(body)
    for heading in expected.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        heading.name = f"h{min(6, max(top, int(heading.name[1])))}"
    assert _tree(shifted) == expected

    expected = _tree(markup._CLEANER.clean(shifted))
    for link in expected.find_all("a"):
        if not link.has_attr("href"):
            link.unwrap()
    ours = renderer._render(source)
    assert _spaced(_tree(ours.html)) == _spaced(expected)  # Beautiful Soup shortens a text of spaces alone
    assert ours.text == _text(ours.html)


_URL_CHARS = st.characters(codec="utf-8", exclude_characters=" \t\n\r\f\v<>()[]\\`", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"))


@settings(max_examples=250)
@given(st.text(_URL_CHARS, min_size=1, max_size=20))
def test_as_written_is_the_href_pulldown_cmark_writes(url):
    """markup._as_written(address) is what pulldown-cmark writes into href, as the sanitiser then
    reads it: the warnings and the sanitiser judge the same text."""
    source = f"[x]({url})"
    links = [event["Start"]["Link"]["dest_url"] for event in pyromark.events(source, options=markup.OPTIONS)
             if type(event) is dict and type(event.get("Start")) is dict and "Link" in event["Start"]]
    if not links:
        return  # not a link in Markdown (e.g. "[x](&)" is one, "[x](*" is not)
    written = BeautifulSoup(pyromark.html(source, options=markup.OPTIONS), "html.parser").a["href"]
    assert markup._as_written(links[0]) == written


def test_nh3_escapes_what_the_regular_expressions_need_escaped():
    """A > or " inside an attribute value is escaped (else a tag would seem to end there)."""
    clean = markup._CLEANER.clean('<a href="https://ok.se/" title="a&gt;b &quot;c&quot;">x</a>')
    assert clean == '<a href="https://ok.se/" title="a&gt;b &quot;c&quot;" rel="noopener">x</a>'


@settings(max_examples=100)
@given(_markdown())
def test_email_html_styles_every_tag_nh3_writes(source):
    """render.email_html finds nh3's tags by a regular expression: each tag it styles gets its
    style, as an HTML parser would give it, and nothing else changes."""
    html = markup.MarkdownRenderer()._render(source).html
    ours = _tree(str(email_html(html, "https://yrkesvuxdalarna.se")))
    expected = _tree(exports.absolute_links(html, "https://yrkesvuxdalarna.se"))
    for tag in expected.find_all(list(EMAIL_STYLES)):
        tag["style"] = EMAIL_STYLES[tag.name]
    assert ours == expected


# --- parallel.py: what forked workers run -------------------------------------------------------

def test_forked_workers_inherit_their_function_through_the_initializer():
    """The function is handed to each worker as an argument of its initializer, which a forked
    process inherits without pickling it: one that cannot be pickled runs in every worker."""
    lock = threading.Lock()  # cannot be pickled
    pool, futures = parallel.submit_forked(lambda task: (task * 2, os.getpid(), lock is not None), list(range(8)), 2)
    with pool:
        results = [future.result() for future in futures]
    assert [doubled for doubled, _, _ in results] == [task * 2 for task in range(8)]
    assert all(held for _, _, held in results) and os.getpid() not in {pid for _, pid, _ in results}
    assert parallel._RUN is None  # set in the workers only


# --- yaml_errors.py: PyYAML's messages, translated ----------------------------------------------

# A text that makes PyYAML give each message yaml_errors.HINTS translates: libyaml's (the C loader,
# used where PyYAML has it) or, for the messages only the pure-Python loader words so, that one's.
_YAML_MISTAKES = {
    "found character '\\t'": ("a:\n\tb: 1\n", "SafeLoader"),
    "tab character": ("a: |\n\tb\n", "CSafeLoader"),
    "mapping values are not allowed": ("a: b: c\n", "CSafeLoader"),
    "could not find expected ':'": ("a: 1\nb\nc: 2\n", "CSafeLoader"),
    "while scanning a quoted scalar": ('a: "abc\n', "CSafeLoader"),
    "found unexpected end of stream": ('a: "abc\n', "CSafeLoader"),
    "found undefined alias": ("a: *x\n", "CSafeLoader"),
    "expected a single document": ("a: 1\n---\nb: 2\n", "CSafeLoader"),
    "did not find expected key": ("a:\n  b: 1\n c: 2\n", "CSafeLoader"),
    "expected <block end>": ("- a\nb: 1\n", "SafeLoader"),
    "did not find expected ',' or ']'": ("a: [1, 2\nb: 3\n", "CSafeLoader"),
    "did not find expected ',' or '}'": ("a: {x: 1\nb: 3\n", "CSafeLoader"),
    "did not find expected '-' indicator": ("- a\nb: 1\n", "CSafeLoader"),
    "found character that cannot start any token": ("a: @x\n", "CSafeLoader"),
    "did not find expected node content": ("a: ]\n", "CSafeLoader"),
    "found duplicate anchor": ("a: &x 1\nb: &x 2\n", "CSafeLoader"),
}


def test_pyyaml_still_words_each_mistake_as_yaml_errors_expects():
    """yaml_errors picks its Swedish hint by a phrase of PyYAML's message, and load.py tells an
    unclosed quote or bracket by its context ("quoted scalar", "flow"): a reworded message fails here."""
    import yaml

    from dalawux_site import yaml_errors

    assert set(_YAML_MISTAKES) == {needle for needle, _ in yaml_errors.HINTS}
    for needle, (text, loader) in _YAML_MISTAKES.items():
        try:
            yaml.compose(text, Loader=getattr(yaml, loader))
        except yaml.YAMLError as problem:
            assert needle in str(problem), (needle, str(problem))
        else:
            raise AssertionError(f"{text!r} is read without a complaint")
    for text, context in (('a: "abc\n', "quoted scalar"), ("a: [1, 2\nb: 3\n", "flow"), ("a: {x: 1\nb: 3\n", "flow")):
        try:
            yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.MarkedYAMLError as problem:
            assert context in problem.context and problem.context_mark.line == 0
        else:
            raise AssertionError(f"{text!r} is read without a complaint")
