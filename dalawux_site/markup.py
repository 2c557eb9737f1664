"""Editors' Markdown to safe HTML, and plain-language figures for their texts.

Raw HTML in Markdown is shown as text, links other than https, http, mailto and site paths are
dropped, images are not shown (they would load from other sites), and nh3 sanitises the result
as a last line of defence: nothing from a YAML or Markdown file can run in a visitor's browser.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("https:", "http:", "mailto:")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set(), "span": {"lang"}}


@dataclass(frozen=True)
class Problem:
    """Something in an editor's text that was changed on the way to the page."""

    line_offset: int  # 0-based line within the text
    message: str


@dataclass
class Rendered:
    html: str
    text: str  # plain text, for search and summaries
    problems: list[Problem] = field(default_factory=list)


class _Collector:
    """What the Markdown extensions noticed while converting one text."""

    def __init__(self) -> None:
        self.raw_html: list[str] = []
        self.bad_links: list[str] = []
        self.images: list[str] = []


class _EscapeRawHtml(Postprocessor):
    """Puts raw HTML back as visible text instead of markup."""

    def __init__(self, md: markdown.Markdown, collector: _Collector) -> None:
        super().__init__(md)
        self.collector = collector

    def run(self, text: str) -> str:
        stash = self.md.htmlStash
        for i in range(stash.html_counter):
            raw = str(stash.rawHtmlBlocks[i])
            self.collector.raw_html.append(raw)
            escaped = html.escape(raw)
            placeholder = stash.get_placeholder(i)
            text = text.replace(f"<p>{placeholder}</p>", f"<p>{escaped}</p>").replace(placeholder, escaped)
        return text


class _SafeLinks(Treeprocessor):
    """Drops unsafe links and all images, and keeps headings below the page's own."""

    def __init__(self, md: markdown.Markdown, collector: _Collector, top_heading: int) -> None:
        super().__init__(md)
        self.collector = collector
        self.top = top_heading

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                href = (element.get("href") or "").strip()
                if not _safe_url(href):
                    self.collector.bad_links.append(href)
                    element.tag = "span"
                    element.attrib.clear()
            elif element.tag == "img":
                self.collector.images.append(element.get("src") or "")
                alt = element.get("alt") or ""
                element.tag, element.text = "span", alt
                element.attrib.clear()
            elif re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(6, max(self.top, int(element.tag[1])))}"


def _safe_url(url: str) -> bool:
    lowered = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    return lowered.startswith(SAFE_SCHEMES) or (lowered.startswith(("/", "#")) and not lowered.startswith("//"))


class _Safety(markdown.Extension):
    def __init__(self, collector: _Collector, top_heading: int) -> None:
        super().__init__()
        self.collector, self.top = collector, top_heading

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.postprocessors.register(_EscapeRawHtml(md, self.collector), "raw_html", 30)
        md.treeprocessors.register(_SafeLinks(md, self.collector, self.top), "safe_links", 0)


class MarkdownRenderer:
    """Converts many texts with one Markdown instance (building one costs more than a text)."""

    def __init__(self, top_heading: int = 2) -> None:
        self.collector = _Collector()
        self.md = markdown.Markdown(extensions=[_Safety(self.collector, top_heading), "sane_lists"], output_format="html")

    def render(self, source: str) -> Rendered:
        self.md.reset()
        self.collector.__init__()
        body = self.md.convert(source)
        clean = nh3.clean(
            body, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https", "http", "mailto"},
            link_rel="noopener", strip_comments=True,
        )
        return Rendered(clean, plain_text(clean), self._problems(source))

    def _problems(self, source: str) -> list[Problem]:
        found = self.collector
        by_line: dict[int, list[str]] = {}
        for raw in found.raw_html:
            by_line.setdefault(_line_offset(source, raw), []).append(_short(raw))
        problems = [
            Problem(offset, f"HTML-kod visas som vanlig text: {_short(' '.join(raws))} – skriv texten med Markdown i stället")
            for offset, raws in by_line.items()
        ]
        problems += [
            Problem(_line_offset(source, href), f'länken "{_short(href)}" togs bort – länkar måste börja med https://, http:// eller mailto:')
            for href in found.bad_links
        ]
        problems += [
            Problem(_line_offset(source, src), f'bilden "{_short(src)}" visas inte – bilder i texter stöds inte, beskriv med ord i stället')
            for src in found.images
        ]
        return problems


def plain_text(fragment: str) -> str:
    text = nh3.clean(re.sub(r"</(p|li|h\d|tr|blockquote)>", r"\n", fragment), tags=set())
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def _line_offset(source: str, needle: str) -> int:
    at = source.find(needle.strip()[:40]) if needle.strip() else -1
    return source.count("\n", 0, at) if at >= 0 else 0


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
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = sum(max(1, len(_SENTENCE_END.findall(block))) for block in text.splitlines() if _WORD.search(block))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100 * long_words / len(words)
