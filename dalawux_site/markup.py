"""Editors' Markdown to safe HTML, and plain-language figures for their texts.

Markdown is rendered by pulldown-cmark (through pyromark: CommonMark, about 80 times faster than
Python-Markdown on our descriptions, which matters at tens of thousands of courses). nh3 then
sanitises the result with an allow-list: raw HTML is removed, links other than https, http, mailto
and site paths lose their target, images are not shown (they would load from other sites).
Nothing from a YAML or Markdown file can run in a visitor's browser. What was removed is reported
to the editor with its line, found from the parser's own events.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import nh3
import pyromark

SAFE_SCHEMES = ("https:", "http:", "mailto:")
OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
_CLEANER = nh3.Cleaner(  # built once: configuring ammonia costs more than cleaning one text
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https", "http", "mailto"},
    link_rel="noopener", strip_comments=True,
)
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_LINK_WITHOUT_TARGET = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)


@dataclass(frozen=True)
class Problem:
    """Something in an editor's text that was changed on the way to the page."""

    line_offset: int  # 0-based line within the text
    message: str


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str  # plain text, for search and summaries
    problems: tuple[Problem, ...] = ()


class MarkdownRenderer:
    """Renders editors' Markdown; headings start at top_heading, below the page's own."""

    def __init__(self, top_heading: int = 2) -> None:
        self.top = top_heading
        self._done: dict[str, Rendered] = {}

    def render(self, source: str) -> Rendered:
        """Each distinct text is rendered once: courses often share one (at 10,000 synthetic
        courses, 7,000 prerequisites are 156 different texts)."""
        if source not in self._done:
            self._done[source] = self._render(source)
        return self._done[source]

    def _render(self, source: str) -> Rendered:
        body = pyromark.html(source, options=OPTIONS)
        if "<h" in body:
            body = _HEADING.sub(self._shift_heading, body)
        clean = sanitise(body)
        found = _problems(source) if _may_have_problems(source, body) else ()
        return Rendered(clean, plain_text(clean), found)

    def _shift_heading(self, match: re.Match[str]) -> str:
        return f"<{match.group(1)}h{min(6, max(self.top, int(match.group(2))))}"


def sanitise(fragment: str) -> str:
    """Allow-listed HTML only; a link whose target was removed becomes its plain text."""
    cleaned = _CLEANER.clean(fragment)
    return _LINK_WITHOUT_TARGET.sub(r"\1", cleaned) if "<a" in cleaned else cleaned


def _problems(source: str) -> list[Problem]:
    """What the sanitiser will take away, located with the parser's events (byte ranges)."""
    data = source.encode("utf-8")
    raw_html: dict[int, list[str]] = {}
    problems = []
    for event, span in pyromark.events_with_range(source, options=OPTIONS):
        line = data.count(b"\n", 0, span["start"])
        if "InlineHtml" in event or "Html" in event:
            raw_html.setdefault(line, []).append((event.get("InlineHtml") or event.get("Html")).strip())
            continue
        start = event.get("Start") if isinstance(event, dict) else None
        if isinstance(start, dict) and "Link" in start and not _safe_url(start["Link"]["dest_url"]):
            url = start["Link"]["dest_url"]
            problems.append(Problem(line, f'länken "{_short(url)}" togs bort – länkar måste börja med https://, http:// eller mailto:'))
        elif isinstance(start, dict) and "Image" in start:
            url = start["Image"]["dest_url"]
            problems.append(Problem(line, f'bilden "{_short(url)}" visas inte – bilder i texter stöds inte, beskriv med ord i stället'))
    problems += [
        Problem(line, f"HTML-kod togs bort: {_short(' '.join(parts))} – skriv texten med Markdown i stället")
        for line, parts in raw_html.items()
    ]
    return tuple(sorted(problems, key=lambda p: (p.line_offset, p.message)))


def _may_have_problems(source: str, body: str) -> bool:
    """Whether the sanitiser may take something away: raw HTML or an image in the text, or a link
    whose address (as pulldown-cmark wrote it into body, percent- and HTML-escaped, which keeps
    its beginning) is not allowed. Only then are the parser's events read to find the lines: most
    texts with links link to https addresses (10,000 descriptions, 3,000 with links: 0.1 s)."""
    if "<" in source or "![" in source:
        return True
    return "<a" in body and not all(_safe_url(html.unescape(url)) for url in _HREF.findall(body))


_HREF = re.compile(r'<a href="([^"]*)"')


def _safe_url(url: str) -> bool:
    lowered = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    return lowered.startswith(SAFE_SCHEMES) or (lowered.startswith(("/", "#")) and not lowered.startswith("//"))


# A tag of HTML whose attribute values are all in double quotes, as nh3 and the search records
# write them (a ">" in one would not end the tag).
_TAG = re.compile(r'<(?:[^>"]++|"[^"]*+")*+>')  # possessive: nothing to try again, 15 % faster
_BLOCK_END = re.compile(r"</(?:p|li|h\d|tr|blockquote)>")


def plain_text(fragment: str) -> str:
    """The text of HTML we wrote (nh3's output, the search records): one line per block, runs of
    spaces as one space. (str.split() rather than a regular expression for the spaces: a third of
    the time, for 10,000 descriptions 0.26 → 0.14 s.)"""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment)))
    return "\n".join(filter(None, (" ".join(part.split()) for part in text.split("\n"))))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "…"


# --- plain language --------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")


def lix(text: str) -> float | None:
    """The LIX readability index: words per sentence + percentage of words over six letters.

    Each paragraph, list item or heading counts as at least one sentence. None for empty text.
    """
    lengths = _word_lengths(text)
    if not lengths:
        return None
    sentences = sum(max(1, len(_SENTENCE_END.findall(block))) for block in text.splitlines() if _WORD.search(block))
    long_words = sum(1 for length in lengths if length > 6)
    return len(lengths) / sentences + 100 * long_words / len(lengths)


def _word_lengths(text: str) -> list[int]:
    """The length of each word (_WORD) of text. Most stand alone between spaces, all letters, and
    need no regular expression (10,000 descriptions: 0.31 → 0.22 s)."""
    lengths = []
    for token in text.split():
        if token.isalpha():
            lengths.append(len(token))
        else:
            lengths.extend(map(len, _WORD.findall(token)))
    return lengths
