"""Editors' Markdown to safe HTML, and plain-language figures for their texts.

Markdown is rendered by pulldown-cmark (through pyromark: CommonMark, many times faster than
Python-Markdown, which matters at tens of thousands of courses). nh3 then
sanitises the result with an allow-list: raw HTML is removed, links lose their target unless
link_problem allows them (https and http to public sites, a plain mailto, site paths), images are
not shown (they would load from other sites). Nothing from a YAML or Markdown file can run in a
visitor's browser. What was removed is reported to the editor with its line, found from the
parser's events, by the same rule that removes it. Every step takes time in proportion to the
text: nesting deeper than MAX_NESTING is flattened first.
"""
from __future__ import annotations

import bisect
import functools
import html
import ipaddress
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import nh3
import pyromark

OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """A link keeps its target only when link_problem finds nothing: the same rule as the warnings."""
    if tag == "a" and attribute == "href" and link_problem(value) is not None:
        return None
    return value


_CLEANER = nh3.Cleaner(  # built once: configuring ammonia costs more than cleaning one text
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https", "http", "mailto"},
    link_rel="noopener", strip_comments=True, attribute_filter=_keep_attribute,
)
# Deeper nesting than this is flattened before sanitising: html5ever's work per element grows with
# the depth, so 20,000 ">" (20,000 nested quotes) took seconds; no real text nests 32 deep.
MAX_NESTING = 32
# A line that opens more than MAX_NESTING quotes or lists (">>>>…", "1. 1. 1. …") keeps the first
# MAX_NESTING: their HTML would be many times the text (a 1.6 MB line of ">" was 43 MB).
_MARKER = r"(?:[ \t]*(?:>|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])))"
_DEEP_MARKERS = re.compile(rf"^({_MARKER}{{{MAX_NESTING}}}){_MARKER}++", re.M)
_ANY_TAG = re.compile(r"(<(/?)([A-Za-z][^\s/>]*)[^>]*>)")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
# These read HTML as pulldown-cmark and nh3 write it, serialised as the HTML standard says (tags in
# lower case, attribute values in double quotes with " and > escaped): neither library can do
# what they do, and tests/test_internals.py fails if their output changes form.
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
        """Each distinct text is rendered once: courses often share one (prerequisites most of all)."""
        if source not in self._done:
            self._done[source] = self._render(source)
        return self._done[source]

    def _render(self, source: str) -> Rendered:
        if sum(map(source.count, (">", "- ", "* ", "+ ", ". ", ") "))) > MAX_NESTING:  # quick: most texts cannot be deep
            source = _DEEP_MARKERS.sub(r"\1", source)
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
    cleaned = _CLEANER.clean(_limit_nesting(fragment))
    return _LINK_WITHOUT_TARGET.sub(r"\1", cleaned) if "<a" in cleaned else cleaned


def _limit_nesting(fragment: str) -> str:
    """The fragment with every tag below MAX_NESTING open elements taken out (its text stays).

    An upper bound of the nesting the HTML parser will build: each opening tag counts until its
    closing tag. The sanitiser still sees the result, so a miscount can only lose a tag, never let
    one through."""
    if fragment.count("<") - fragment.count("</") <= MAX_NESTING:  # fewer opening tags than that
        return fragment
    parts = _ANY_TAG.split(fragment)  # text, whole tag, "/" or "", name, text, …: a plain list is quick
    kept: list[str] = []
    dropped: Counter[str] = Counter()
    for i in range(1, len(parts), 4):
        name = parts[i + 2].lower()
        if name in _VOID:
            continue
        if not parts[i + 1]:
            if len(kept) < MAX_NESTING:
                kept.append(name)
            else:
                dropped[name] += 1
                parts[i] = ""
        elif dropped[name]:
            dropped[name] -= 1
            parts[i] = ""
        elif name in kept:
            while kept.pop() != name:
                pass
    return "".join(parts[j] for j in range(len(parts)) if j % 4 < 2)


def _problems(source: str) -> list[Problem]:
    """What the sanitiser will take away, located with the parser's events (byte ranges)."""
    data = source.encode("utf-8")
    newlines = [m.start() for m in re.finditer(b"\n", data)]  # the line of an offset by bisection: linear in all
    raw_html: dict[int, list[str]] = {}
    problems = []
    for event, span in pyromark.events_with_range(source, options=OPTIONS):
        if type(event) is not dict or "Text" in event or "End" in event:  # most events: nothing to look at
            continue
        piece = event.get("InlineHtml") or event.get("Html")
        if piece is not None:
            line = bisect.bisect_left(newlines, span["start"])
            if _removes_html(piece):
                raw_html.setdefault(line, []).append(piece.strip())
            problems += [Problem(line, _link_message(url, reason)) for url, reason in _raw_link_problems(piece)]
            continue
        start = event.get("Start")
        if type(start) is not dict:
            continue
        if "Link" in start:
            url = start["Link"]["dest_url"]
            if start["Link"]["link_type"] == "Email":  # <syv@falun.se>, written as mailto:syv@falun.se
                url = "mailto:" + url
            reason = link_problem(_as_written(url))
            if reason:
                problems.append(Problem(bisect.bisect_left(newlines, span["start"]), _link_message(url, reason)))
        elif "Image" in start:
            url = start["Image"]["dest_url"]
            problems.append(Problem(
                bisect.bisect_left(newlines, span["start"]),
                f'bilden "{_short(url)}" visas inte – bilder i texter stöds inte, beskriv med ord i stället',
            ))
    problems += [
        Problem(line, f"HTML-kod togs bort: {_short(' '.join(parts))} – skriv texten med Markdown i stället")
        for line, parts in raw_html.items()
    ]
    return tuple(sorted(problems, key=lambda p: (p.line_offset, p.message)))


_RAW_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<[!?/]")
_RAW_HREF = re.compile(r"""<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _as_written(url: str) -> str:
    """A link's address as pulldown-cmark writes it into href (what the sanitiser then sees):
    percent-encoded but for these characters, which its escape_href keeps (pinned by
    tests/test_internals.py, so that the warnings and the sanitiser keep following one rule)."""
    return quote(url, safe="!#$%&'()*+,-./:;=?@^_~")


@functools.lru_cache(maxsize=4096)  # the same few tags again and again
def _removes_html(piece: str) -> bool:
    """Whether raw HTML loses a tag in the sanitiser: one that is not allowed, or a comment.
    Allowed tags (<strong>, <a href=…>) are kept, sanitised, and so not reported as removed."""
    return any(m.group(2) is None or m.group(2).lower() not in ALLOWED_TAGS for m in _RAW_TAG.finditer(piece))


def _raw_link_problems(piece: str) -> list[tuple[str, str]]:
    """The targets of <a> tags written as HTML that the sanitiser removes, with the reason."""
    if "<a" not in piece.lower():
        return []
    found = []
    for match in _RAW_HREF.finditer(piece):
        url = html.unescape(next(g for g in match.groups() if g is not None))
        reason = link_problem(url)
        if reason:
            found.append((url, reason))
    return found


def _link_message(url: str, reason: str) -> str:
    return f'länken "{_short(url)}" togs bort – {reason}'


def _may_have_problems(source: str, body: str) -> bool:
    """Whether the sanitiser may take something away: raw HTML, an image or a link in the text.
    Only then are the parser's events read to find the lines."""
    return "<" in source or "![" in source or "<a" in body


# --- which links may stay ----------------------------------------------------------------------

_STRIPPED = re.compile(r"[\t\n\r]")  # browsers ignore these inside an address
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # and these around it
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.I)  # a host ending so is read as an IPv4 address
_LOCAL_NAMES = ("localhost", "local", "internal", "localdomain", "lan", "home.arpa")
NOT_A_LINK = "länkar måste börja med https://, http:// eller mailto:"


@functools.lru_cache(maxsize=4096)  # the same addresses in many texts, asked by the warnings and the sanitiser
def link_problem(url: str) -> str | None:
    """Why a link in an editor's text loses its target (in Swedish), or None when it may stay.

    Allowed: https and http addresses of public web sites, mailto with a plain address, paths
    of this site (/…) and anchors (#…). The sanitiser and the warnings both ask this."""
    text = _STRIPPED.sub("", url).strip(_C0_AND_SPACE)
    lowered = text.lower()
    if lowered.startswith("#"):
        return None
    if lowered.startswith(("//", "/\\", "\\")):
        return "en länk till en annan webbplats måste börja med https://"
    if lowered.startswith("/"):
        return None
    if lowered.startswith(("https:", "http:")):
        return _address_problem(text)
    if lowered.startswith("mailto:"):
        if _PLAIN_EMAIL.fullmatch(text[len("mailto:"):]):
            return None
        return "en e-postlänk får bara ha en adress, t.ex. mailto:syv@falun.se (inget ?, komma eller mellanslag)"
    return NOT_A_LINK


def web_address_problem(url: str) -> str | None:
    """Why a web address written in a field (apply_url, url, base_url) cannot be used, in Swedish,
    or None: spaces or invisible characters, and all that _address_problem finds."""
    if any(unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp") for char in url):
        return "adressen innehåller mellanslag eller osynliga tecken – skriv in den igen, utan mellanslag"
    return _address_problem(url)


def _address_problem(url: str) -> str | None:
    """Why an http(s) address must not be linked to (in Swedish), or None: a name before @
    (https://www.falun.se@evil.example/ goes to evil.example), or a host on a private network.
    (Links in Markdown reach the sanitiser percent-encoded: no spaces to find there.)"""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "adressen går inte att läsa – kontrollera den och skriv den som https://webbplats.se/sida"
    if "@" in parts.netloc or "\\" in parts.netloc:
        return ("adressen har ett @ före webbplatsens namn och leder då någon annanstans än det ser ut "
                "– skriv bara https:// och webbplatsens namn, t.ex. https://www.falun.se/")
    if not host or not parts.scheme or url[len(parts.scheme) + 1:][:2] != "//":
        return "adressen saknar webbplatsens namn – skriv den som https://webbplats.se/sida"
    if _private_host(host):
        return ("adressen går till en dator i ett internt nät (som localhost, 127.0.0.1 eller 192.168.…), "
                "som besökare inte når – använd webbplatsens publika adress")
    if not _plain_host(host):
        return "webbplatsens namn i adressen går inte att läsa – kontrollera det, t.ex. https://www.falun.se/"
    return None


_FORBIDDEN_IN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|%\x7f")  # WHATWG's forbidden domain code points (and C0)


def _plain_host(host: str) -> bool:
    """Whether browsers (and the sanitiser's URL parser) can read the host name: after percent-
    decoding, none of the characters a domain may not hold, and every xn-- label valid Punycode."""
    if ":" in host:
        return True  # an IPv6 address, which urlsplit has already read
    decoded = unquote(host)
    if any(char in _FORBIDDEN_IN_HOST or char < " " for char in decoded):
        return False
    for label in decoded.lower().split("."):
        if label.startswith("xn--"):
            try:
                letters = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                return False
            if letters.isascii() or not all(char.isalnum() or char == "-" for char in letters):
                return False
    return True


def _private_host(host: str) -> bool:
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(tuple("." + name for name in _LOCAL_NAMES)) or host in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        # Browsers read a host whose last part is a number (127.1, 0x7f.1, 2130706433) as IPv4.
        return bool(_NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]))
    return not address.is_global


# A tag of HTML whose attribute values are all in double quotes, as nh3 and the search records
# write them (a ">" in one would not end the tag): a parser would take four times as long.
_TAG = re.compile(r'<(?:[^>"]++|"[^"]*+")*+>')  # possessive: nothing to try again
_BLOCK_END = re.compile(r"</(?:p|li|h\d|tr|blockquote)>")


def plain_text(fragment: str) -> str:
    """The text of HTML we wrote (nh3's output, the search records): one line per block, runs of
    spaces as one space (str.split() for the spaces: quicker than a regular expression)."""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment)))
    if _single_spaced(text):  # the usual case: no line has a space to take away
        return "\n".join(filter(None, text.split("\n")))
    return "\n".join(filter(None, (" ".join(part.split()) for part in text.split("\n"))))


def _single_spaced(text: str) -> bool:
    """Whether every line of text is as str.split() and " ".join() leave it: words apart by one
    space. Every space str.split() knows but " " is one Python does not count as printable."""
    return (
        "  " not in text and " \n" not in text and "\n " not in text and text[:1] != " " and text[-1:] != " "
        and text.replace("\n", "").isprintable()
    )


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
    words = long_words = sentences = 0
    for block in text.splitlines():
        block_words, block_long_words, block_sentences = _block_figures(block)
        words += block_words
        long_words += block_long_words
        sentences += block_sentences
    if not words:
        return None
    return words / sentences + 100 * long_words / words


@functools.lru_cache(maxsize=1 << 16)  # texts share paragraphs (the same wording in many courses): each is counted once
def _block_figures(block: str) -> tuple[int, int, int]:
    """The words, long words and sentences of one line of a text (no sentence without a word)."""
    lengths = _word_lengths(block)
    if not lengths:
        return 0, 0, 0
    return len(lengths), sum(1 for length in lengths if length > 6), max(1, len(_SENTENCE_END.findall(block)))


_AROUND_WORDS = ".,:;!?()\"'«»“”’"  # no letter of a word (_WORD): what often stands around one


def _word_lengths(text: str) -> list[int]:
    """The length of each word (_WORD) of text. Most stand alone between spaces, all letters (or
    letters between punctuation, such as "kök."), and need no regular expression."""
    lengths = []
    for token in text.split():
        if token.isalpha():
            lengths.append(len(token))
            continue
        word = token.strip(_AROUND_WORDS)
        if word.isalpha():
            lengths.append(len(word))
        else:
            lengths.extend(map(len, _WORD.findall(token)))
    return lengths
