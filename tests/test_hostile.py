"""Hostile content, generated: whatever `check` accepts, `build` builds, and nothing ever ends in a traceback.

Each example writes many hostile texts (control, bidi and noncharacter code points, very long and
non-Latin names, cells that start a formula, CR/LF, Markdown edge cases) into one catalogue: course
names, places, descriptions, a municipality, an area, pages (with hostile file names) and an
infobrev whose window takes in the new courses, so they reach the feed. The command line runs in
this process; every file the build writes for machines is read back with a real parser.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dalawux_site import cli

from .conftest import SAMPLE

TODAY = "2026-11-22"
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "8"))  # more for a longer hunt: HOSTILE_EXAMPLES=300

FRAGMENTS = [
    '=HYPERLINK("https://evil.example","Falun")', "+46 70", "-1", "@SUM(A1)", "\t=1", "\r", "\n", "\r\n",
    "\x00", "\x01", "\x1b[31m", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u200e", "\u200f", "\u061c",
    "\ufffe", "\uffff", "\ufdd0", "\ud800", "\U0001fffe", "\U0010ffff", "\ufeff", "\u2028", "\u2029", "\u00ad", "\u200b",
    "中" * 120, "ن" * 60, "👩‍👩‍👧" * 10, "e\u0301" * 30, "Å" * 200,
    "<b>x</b>", "<script>alert(1)</script>", "</script>", "]]>", "<!--", "&amp;", "&#0;", "&#x202e;",
    "[x](//evil.example/p)", "[x](/\\evil.example)", "[x](mailto:a@b.se?bcc=c@d.se)", "[x](https://www.falun.se@evil.example/)",
    "[x](https://127.0.0.1/)", "[x](javascript:alert(1))", "![i](https://evil.example/i.png)", "<https://localhost/>",
    "> " * 50, ">" * 300, "1. " * 40, "- " * 40, "*" * 50, "`" * 7, "\\", "|a|b|\n|-|-|\n|c|d|", "~~~", "---", "#",
    "{{ x }}", "{% raw %}", "%", ":", ",", "::warning file=x::y", "'", '"', "%0A", " ", "",
]
_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), min_size=1, max_size=5).map("".join)
# Invisible characters that text may hold (marks of direction in Arabic text, soft hyphens, joiners).
ALLOWED_INVISIBLE = ["\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\u00ad", "\ufeff", "\u2028", "\u2029", "\t"]
_printable = st.lists(
    st.one_of(st.sampled_from([f for f in FRAGMENTS if f.isprintable() and f.strip()]),
              st.sampled_from(ALLOWED_INVISIBLE).map(lambda char: f"a{char}b"),
              st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zl", "Zp")), min_size=1, max_size=12)),
    min_size=1, max_size=4,
).map("".join)
# Within the schema's lengths (a place has at most 60 characters), so that check has no reason to refuse.
_printable_short = _printable.map(lambda text: text[:55]).filter(str.strip)
_printable_name = _printable.map(lambda text: text[:120]).filter(str.strip)
_page_names = st.sampled_from(["sitemap.xml", "index.html", "om-oss", "Om", "utbildningar", "a" * 90, "ä-sida", "x y", "404", "robots"])


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar with text exactly: what YAML cannot hold raw is escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _body(text: str) -> str:
    """Markdown as written to a file: surrogates cannot be saved as UTF-8 at all."""
    return "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)


def _course(name: str, location: str, description: str, contact: str, i: int) -> str:
    return (
        f"- name: {_quoted(name)}\n  location: {_quoted(location)}\n  area: industri\n  study_forms: [plats]\n"
        f"  pace: 100\n  weeks: 20\n  intakes:\n    - start: 2027-02-01\n      apply_by: 2026-12-01\n"
        f"  description: {_quoted(description)}\n  prerequisites: {_quoted(description[::-1] or 'x')}\n"
        f"  contact:\n    name: {_quoted(contact)}\n  added: 2026-11-{10 + i % 10:02d}\n  id: hostile-{i}\n"
    )


@st.composite
def catalogues(draw, text=_text, name=_text, page_names=st.lists(_page_names, min_size=1, max_size=2, unique=True)) -> dict[str, str]:
    """The files to write over a copy of the sample content."""
    courses = [_course(draw(name), draw(text), draw(text), draw(text), i) for i in range(8)]
    # Two courses without their own id: their address comes from the (hostile) name and place.
    courses += [
        _course(draw(name), draw(text)[:50] + f" {i}", "Du lär dig.", "Anna", 90 + i).replace(f"  id: hostile-{90 + i}\n", "")
        for i in range(2)
    ]
    files = {"courses/avesta.yaml": "".join(courses)}
    for page in draw(page_names):
        files[f"pages/{page}.md"] = f"---\ntitle: {_quoted(draw(text))}\ndescription: {_quoted(draw(text))}\n---\n{_body(draw(text))}\n"
    files["infobrev/2026-11-21-hostile.md"] = (
        f"---\ntitle: {_quoted(draw(text))}\ndate: 2026-11-21\nsummary: {_quoted(draw(text))}\n---\n{_body(draw(text))}\n"
    )
    files["areas.yaml"] = _replace_first(SAMPLE / "areas.yaml", "name: Industri", f"name: {_quoted(draw(text))}")
    files["municipalities.yaml"] = _replace_first(SAMPLE / "municipalities.yaml", "name: Avesta kommun", f"name: {_quoted(draw(text))}")
    return files


def _replace_first(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
        try:
            code = cli.main(list(args))
        except SystemExit as stop:  # argparse's way out
            code = stop.code
    assert "Traceback" not in out.getvalue(), out.getvalue()
    assert code in (0, 1), (code, out.getvalue())
    return code, out.getvalue()


def _check_then_build(files: dict[str, str]) -> bool:
    """Write the catalogue, check it and, when check passes, build it: True when it was built."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        content = Path(folder) / "content"
        shutil.copytree(SAMPLE, content)
        for rel, text in files.items():
            (content / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
        code, said = _run("check", "--content", str(content), "--today", TODAY)
        if code != 0:
            assert "Innehållet har fel" in said
            return False
        out = Path(folder) / "site"
        code, said = _run("build", "--content", str(content), "--today", TODAY, "--out", str(out))
        assert code == 0, f"check passed, build failed:\n{said}"
        _read_machine_files(out)
        return True


def _read_machine_files(out: Path) -> None:
    """Every file written for machines parses, and no CSV cell starts a formula."""
    records = json.loads((out / "utbildningar.json").read_bytes())
    assert {r["id"] for r in records} >= {f"hostile-{i}" for i in range(8)}
    for feed in [out / "infobrev" / "feed.xml", out / "feed.xml", *out.glob("omraden/*/feed.xml"), *out.glob("kommuner/*/feed.xml")]:
        ET.fromstring(feed.read_bytes())
    ET.fromstring((out / "sitemap.xml").read_bytes())
    calendar = (out / "sista-ansokningsdag.ics").read_bytes()
    assert all(len(line) <= 75 for line in calendar.split(b"\r\n")), "a calendar line is longer than 75 octets"
    calendar.decode("utf-8")  # folding never splits a character
    events = list(icalendar.Calendar.from_ical(calendar).walk("VEVENT"))
    assert len(events) == sum(len(r["intakes"]) for r in records)
    rows = list(csv.reader(io.StringIO((out / "utbildningar.csv").read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == len(records) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for file in out.rglob("*"):
        assert len(file.name.encode("utf-8")) <= 255 and len(file.relative_to(out).as_posix()) < 400, file


_SETTINGS = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_SETTINGS
@given(catalogues())
def test_anything_check_accepts_builds_and_nothing_ends_in_a_traceback(files):
    _check_then_build(files)


@_SETTINGS
@given(catalogues(text=_printable_short, name=_printable_name, page_names=st.just(["om-oss", "fragor-och-svar"])))
def test_printable_hostile_text_passes_check_and_builds(files):
    """Text without invisible characters (formulas, long CJK names, raw HTML, odd links, deep
    quotes), within the schema's lengths, is not refused: check accepts it, and it builds."""
    assert _check_then_build(files)
