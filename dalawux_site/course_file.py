"""One course per file: the agreed format of content/courses/<municipality>/<course>.yaml, and
`build.py split`, which turns a municipality's list file into such files.

format_course is the reference for the format (docs/innehall.md, notes in COURSE_FILE_FORMAT):
`split`, the form editor and the SUSA import write these same bytes for the same data, so a save
without a change changes nothing and a changed field changes only its own lines.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Report
from .load import _SafeLoader, load_shared, load_yaml_file, parse_yaml
from .validate import check_duplicates, schema, validate_course_files, validate_shared

HEADER = "# yaml-language-server: $schema=../../schemas/course-file.schema.json"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = set(",[]{}")
_RESOLVER = yaml.resolver.Resolver()  # the safe loader's: which plain texts read as numbers, dates, …
# What YAML may not hold as it is (PyYAML's reader), and what it reads as a line break: escaped in quotes.
_UNPRINTABLE = re.compile("[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029]")


def key_order() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The place of each key of a course, an intake and a contact, in the schema's order."""
    definitions = schema("course")["definitions"]
    course = definitions["course"]["properties"]
    rank = lambda keys: {key: i for i, key in enumerate(keys)}  # noqa: E731
    return rank(course), rank(definitions["intake"]["properties"]), rank(course["contact"]["properties"])


def format_course(data: dict, comments: tuple[str, ...] = ()) -> str:
    """One course as a per-course file, in the agreed format (see the module's docstring).

    Keys follow the schema's order (keys it does not know come last, in the order given);
    comments are comment lines ("# …"), written under the first line as they are."""
    bad = [line for line in comments if not line.startswith("#") or "\n" in line or "\r" in line]
    if bad:
        raise ValueError(f"not comment lines: {bad!r}")
    course, intake, contact = key_order()
    lines = [HEADER, *comments]
    lines += _mapping(data, "", course, {"intakes": intake, "contact": contact})
    return "\n".join(lines) + "\n"


def _ordered(data: dict, rank: dict[str, int]) -> list[str]:
    return sorted(data, key=lambda key: (key not in rank, rank.get(key, 0)))


def _mapping(data: dict, indent: str, rank: dict[str, int], nested: dict[str, dict[str, int]]) -> list[str]:
    lines: list[str] = []
    for key in _ordered(data, rank):
        lines += _field(str(key), data[key], indent, nested.get(key, {}))
    return lines


def _field(key: str, value: Any, indent: str, rank: dict[str, int]) -> list[str]:
    head = f"{indent}{_scalar(key)}:"
    if isinstance(value, dict):
        return [f"{head} {{}}"] if not value else [head, *_mapping(value, indent + "  ", rank, {})]
    if isinstance(value, list):
        if all(_is_scalar(item) for item in value):
            return [f"{head} [{', '.join(_scalar(item, flow=True) for item in value)}]"]
        return [head, *_block_list(value, indent, rank)]
    if isinstance(value, str) and "\n" in value and _literal(value, indent + "  ") is not None:
        return [f"{head} {_literal(value, indent + '  ')}"]
    return [head if value is None else f"{head} {_scalar(value)}"]


def _block_list(items: list, indent: str, rank: dict[str, int]) -> list[str]:
    lines: list[str] = []
    for item in items:
        if isinstance(item, dict) and item:
            inner = _mapping(item, indent + "    ", rank, {})
            lines += [f"{indent}  - {inner[0].lstrip()}", *inner[1:]]
        elif isinstance(item, (dict, list)):
            lines.append(f"{indent}  - {json.dumps(item, ensure_ascii=False)}")  # nothing the schema allows
        else:
            lines.append(f"{indent}  - {_scalar(item)}")
    return lines


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    return text if _plain(text, flow) else _quoted(text)


def _plain(text: str, flow: bool) -> bool:
    """Whether text, written as it is, is read back as the same text."""
    if not text or text != text.strip() or text[0] in _INDICATORS or text.endswith(":"):
        return False
    if ": " in text or " #" in text or "\t" in text or _UNPRINTABLE.search(text) or "\n" in text or "\r" in text:
        return False
    if flow and any(ch in _FLOW_INDICATORS for ch in text):
        return False
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return tag == _STR or (tag == _TIMESTAMP and _DATE.fullmatch(text) is not None)


def _quoted(text: str) -> str:
    """Double quotes with JSON's escapes (YAML reads them the same), and \\uXXXX for what YAML
    may not hold as it is."""
    escaped = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", escaped)


def _literal(text: str, indent: str) -> str | None:
    """A literal block (| or |-) for a text of several lines, or None when it cannot be one
    (a first line starting with a space, lines of only spaces, characters YAML must escape)."""
    body = text[:-1] if text.endswith("\n") else text
    lines = body.split("\n")
    if body.endswith("\n") or _UNPRINTABLE.search(text) or "\r" in text or lines[0][:1] in (" ", "\t", ""):
        return None
    if any(line != line.rstrip(" \t") and not line.strip() for line in lines):
        return None
    indicator = "|" if text.endswith("\n") else "|-"
    return "\n".join([indicator, *(f"{indent}{line}" if line else "" for line in lines)])


def read_course(text: str) -> tuple[Any, tuple[str, ...]]:
    """A per-course file's data and its comments (the comment lines before the first key, but
    for the first line's schema line): what format_course takes to write it again."""
    data, _, _ = parse_yaml(text)
    comments = []
    for number, line in enumerate(text.splitlines(), 1):
        if number == 1 and line.startswith("# yaml-language-server:"):
            continue
        if line.startswith("#"):
            comments.append(line)
        elif line.strip():
            break
    return data, tuple(comments)


# --- split -----------------------------------------------------------------------------------

class SplitRefused(Exception):
    """split wrote nothing: the message says why, in Swedish."""


class NotAListFile(SplitRefused):
    """split was given something other than a municipality's list file."""


@dataclass(frozen=True)
class Course:
    """One course of a list file, as split writes it."""

    ident: str  # the address, and the new file's name
    data: dict
    comments: tuple[str, ...]


def split(list_file: Path, report: Report) -> list[Path]:
    """Write each course of content/courses/<municipality>.yaml to courses/<municipality>/<id>.yaml
    and remove the list file. Nothing is written when the list file or the files it depends on
    have errors (reported in report), or when a file to be written exists."""
    list_file = Path(list_file)
    root = list_file.resolve().parent.parent
    if list_file.resolve().parent.name != "courses" or list_file.suffix != ".yaml" or not list_file.is_file():
        raise NotAListFile(f"{list_file} är ingen kommuns lista – ange en fil som content/courses/mora.yaml")
    courses, doc = _read_list(root, list_file.resolve(), report)
    folder = list_file.resolve().with_suffix("")
    targets = [folder / f"{course.ident}.yaml" for course in courses]
    taken = [target for target in targets if os.path.lexists(target)]
    if taken:
        names = ", ".join(str(Path(doc.name).with_suffix("") / target.name) for target in taken)
        raise SplitRefused(f"Inget skrevs: {names} finns redan. Flytta eller ta bort den och kör igen.")
    made = not folder.exists()
    folder.mkdir(exist_ok=True)
    written: list[Path] = []
    try:
        for course, target in zip(courses, targets):
            _write_new(target, format_course(course.data, course.comments))
            written.append(target)
        _check_written(root, written, courses)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if made:
            folder.rmdir()
        raise
    list_file.unlink()
    return written


def _read_list(root: Path, path: Path, report: Report) -> tuple[list[Course], Any]:
    raw = load_shared(root, report)
    shared = validate_shared(raw, report)
    doc = load_yaml_file(path, raw.root, report)
    keys = validate_course_files([doc], shared, report) if doc.readable else []
    check_duplicates(keys, report)
    if report.errors:
        raise SplitRefused(f"Inget skrevs: {report.summary()} Rätta felen och kör igen.")
    if not doc.data:
        raise SplitRefused(f"Inget skrevs: {doc.name} har inga utbildningar att dela upp.")
    comments = _comments(doc.text)
    whole = {line: text for line, text in comments.items() if doc.source(line).lstrip().startswith("#")}
    starts = [doc.line((i,)) for i in range(len(doc.data))]
    courses = []
    for i, (entry, key) in enumerate(zip(doc.data, keys)):
        first = _first_comment_line(whole, starts[i])
        end = _first_comment_line(whole, starts[i + 1]) if i + 1 < len(starts) else len(doc.text) + 1
        mine = tuple(text for line, text in sorted(comments.items()) if first <= line < end)
        courses.append(Course(key.ident, entry, mine))
    return courses, doc


def _comments(text: str) -> dict[int, str]:
    """Each comment of a YAML text by its (1-based) line: whole comment lines and comments after
    a value, never a # inside a text. The schema line (# yaml-language-server: …) is left out."""
    inside: set[int] = set()  # lines within a text of several lines
    end_of_tokens: dict[int, int] = {}  # line -> column where its last token ends
    for token in yaml.scan(text, Loader=_SafeLoader):
        start, end = token.start_mark, token.end_mark
        inside.update(range(start.line + 1, end.line))
        if end.line > start.line and end.column == 0:
            inside.add(end.line - 1)
        end_of_tokens[end.line] = max(end_of_tokens.get(end.line, 0), end.column)
        end_of_tokens.setdefault(start.line, 0)
    found = {}
    for number, line in enumerate(text.splitlines()):
        rest = line[end_of_tokens.get(number, 0):].strip() if number not in inside else ""
        if rest.startswith("#") and not rest.startswith("# yaml-language-server:"):
            found[number + 1] = rest
    return found


def _first_comment_line(whole_lines: dict[int, str], start: int) -> int:
    """The first of the comment lines directly above a course's first line (1-based)."""
    while start - 1 in whole_lines:
        start -= 1
    return start


def _write_new(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as file:
        file.write(text)


def _check_written(root: Path, written: list[Path], courses: list[Course]) -> None:
    """Each new file reads back as its course and passes the checks a per-course file gets."""
    report = Report()
    shared = validate_shared(load_shared(root, Report()), Report())
    for path, course in zip(written, courses):
        doc = load_yaml_file(path, root, report)
        validate_course_files([doc], shared, report)
        if doc.data != course.data:
            report.error(doc.name, None, "filen läses inte tillbaka som samma utbildning")
    if report.errors:
        raise SplitRefused(
            "Inget ändrades: de nya filerna klarade inte kontrollen (" + "; ".join(d.format() for d in report.errors)
            + "). Skicka meddelandet till den som sköter webbplatsen."
        )
