"""Stage 1, load: read every content file into plain data, keeping line numbers.

This is the only stage that reads content files. YAML is composed into a node tree (with
PyYAML's C parser where available) and turned into plain values by hand, so that every value
keeps its line, duplicate keys are caught, and no YAML tag can construct an object.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Report

log = logging.getLogger(__name__)

try:  # The C parser is about 7x faster; marks (line numbers) are the same.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """The safe loader, finding the tag of each scalar faster (the same tags).

    The parser asks for the tag of every scalar (377,000 times at 10,000 courses). Quoted text, and
    plain text starting with a character that none of the safe loader's patterns (numbers, dates,
    true/false, null) starts with, is a string without trying any pattern; the other values go
    through the patterns once per distinct value in the document. Parsing 0.65 → 0.55 s."""

    _PATTERNS_START = frozenset(key for key in _SafeLoader.yaml_implicit_resolvers if key)
    _ANY_START = None in _SafeLoader.yaml_implicit_resolvers  # a pattern for any first character

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[str, str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or self._ANY_START:
            return super().resolve(kind, value, implicit)
        if not implicit[0] or (value and value[0] not in self._PATTERNS_START):
            return self.DEFAULT_SCALAR_TAG
        if value not in self._tags:
            self._tags[value] = super().resolve(kind, value, implicit)
        return self._tags[value]

MAX_FILE_BYTES = 2 * 1024 * 1024  # a real course file is a few tens of KB
MAX_VALUES = 200_000  # values after expanding aliases: stops "billion laughs" documents
MAX_DEPTH = 40  # nesting; content files need about 5

Path_ = tuple  # a path into a document: keys and list indexes, e.g. (3, "intakes", 0, "start")

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_BUILDERS = {
    _STR: lambda node: node.value,
    _TIMESTAMP: lambda node: node.value,  # dates stay text: the schema checks them strictly
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
}


@dataclass(frozen=True, eq=False)
class Document:
    """One content file as plain data, with the line of every value."""

    name: str  # as shown to editors, e.g. "content/courses/falun.yaml"
    rel: str  # relative to the content folder, e.g. "courses/falun.yaml"
    text: str  # the decoded file, for quoting offending lines
    data: Any = None  # plain values (dict, list, str, int, float, bool, None); None if unreadable
    lines: dict[Path_, int] = field(default_factory=dict)  # value path -> 1-based line
    key_lines: dict[Path_, int] = field(default_factory=dict)  # value path -> line of its key
    body: str = ""  # Markdown after the front matter (pages and infobrev only)
    body_line: int = 1  # line where the body starts
    readable: bool = True  # False when the file could not be parsed at all

    def line(self, path: Path_) -> int:
        """The line of the value at path, or of its nearest enclosing value."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def key_line(self, path: Path_) -> int:
        return self.key_lines.get(tuple(path)) or self.line(path)

    def source(self, line: int | None) -> str | None:
        """The text of a 1-based line, for quoting it under a message."""
        if not line:
            return None
        lines = self._text_lines
        return lines[line - 1] if 0 < line <= len(lines) else None

    @cached_property
    def _text_lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass(frozen=True, eq=False)
class RawContent:
    """Every content file, loaded but not yet checked."""

    root: Path
    site: Document | None
    municipalities: Document | None
    areas: Document | None
    names: Document | None
    courses: tuple[Document, ...]
    pages: tuple[Document, ...]
    infobrev: tuple[Document, ...]
    places: Document | None = None  # orter.yaml: the places courses are given in, with coordinates


class _ContentError(Exception):
    """A problem that makes the rest of a file unreadable."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def display_name(path: Path, root: Path) -> str:
    """The name editors see: relative to the working folder when inside it, else from the content folder."""
    rel = os.path.relpath(path)
    if not rel.startswith(".."):
        return Path(rel).as_posix()
    return (Path(root.name) / path.relative_to(root)).as_posix()


def load_shared(root: Path, report: Report) -> RawContent:
    """Every file but the course files (courses is empty): what all the course files refer to,
    and the pages. pipeline.py reads the course files in shares, on all cores."""
    root = root.resolve()

    def single(rel: str) -> Document | None:
        path = root / rel
        if not path.is_file():
            report.error(display_name(path, root), None, f"filen saknas: {rel} måste finnas i innehållsmappen")
            return None
        return load_yaml_file(path, root, report)

    return RawContent(
        root=root,
        site=single("site.yaml"),
        municipalities=single("municipalities.yaml"),
        areas=single("areas.yaml"),
        names=single("names.yaml"),
        courses=(),
        pages=tuple(load_markdown_file(p, root, report) for p in _files(root / "pages", ".md", report, root)),
        infobrev=tuple(load_markdown_file(p, root, report) for p in _files(root / "infobrev", ".md", report, root)),
        places=single("orter.yaml"),
    )


def course_files(root: Path, report: Report) -> list[Path]:
    """The course files under root/courses/, in name order (misnamed files are reported)."""
    root = root.resolve()
    return _files(root / "courses", ".yaml", report, root)


def load_course_files(paths: list[Path], root: Path, report: Report) -> tuple[Document, ...]:
    """The course files, in the order given."""
    return tuple(load_yaml_file(path, root, report) for path in paths)


def _files(folder: Path, suffix: str, report: Report, root: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name.lower() == "readme.md" or not path.is_file():
            continue
        if path.suffix == suffix:
            found.append(path)
        elif path.suffix in {".yml", ".markdown", ".txt", ".yaml", ".md"}:
            report.error(
                display_name(path, root), None,
                f"filen har fel ändelse och läses inte – byt namn till {path.stem}{suffix}",
            )
    return found


def load_yaml_file(path: Path, root: Path, report: Report) -> Document:
    name, rel = display_name(path, root), path.relative_to(root).as_posix()
    text = ""
    try:
        text = _read_text(path)
        data, lines, key_lines = parse_yaml(text)
    except _ContentError as problem:
        report.error(name, problem.line, str(problem), _line_of(text, problem.line))
        return Document(name, rel, text, readable=False)
    return Document(name, rel, text, data, lines, key_lines)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


def load_markdown_file(path: Path, root: Path, report: Report) -> Document:
    """A Markdown file with YAML front matter between two --- lines."""
    name, rel = display_name(path, root), path.relative_to(root).as_posix()
    text = ""
    try:
        text = _read_text(path)
        match = _FRONT_MATTER.match(text)
        if not match:
            raise _ContentError(
                "filen måste börja med en rad ---, sedan fälten (t.ex. title:), sedan en rad --- till", 1
            )
        data, lines, key_lines = parse_yaml(match.group(1), first_line=2)
    except _ContentError as problem:
        report.error(name, problem.line, str(problem), _line_of(text, problem.line))
        return Document(name, rel, text, readable=False)
    body_line = text.count("\n", 0, match.end()) + 1
    return Document(name, rel, text, data, lines, key_lines, text[match.end():], body_line)


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _ContentError(
            f"filen är för stor ({size // 1024} kB, högst {MAX_FILE_BYTES // 1024} kB) – dela upp den eller korta texterna"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = raw.count(b"\n", 0, problem.start) + 1
        raise _ContentError(
            "filen är inte sparad som UTF-8 – spara den som UTF-8 i din textredigerare "
            "(å, ä och ö blir annars fel)", line,
        ) from None
    return text.removeprefix("\ufeff")


def _line_of(text: str, line: int | None) -> str | None:
    if not line:
        return None
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


# --- YAML ------------------------------------------------------------------------------------

def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict, dict]:
    """Parse YAML text into plain values and the line of each value."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as problem:
        # An unclosed quote or bracket is reported where it opened, which is where the mistake is.
        opened = problem.context and ("quoted scalar" in problem.context or "flow" in problem.context)
        mark = (problem.context_mark if opened else None) or problem.problem_mark or problem.context_mark
        line = mark.line + first_line if mark else None
        raise _ContentError(_explain_yaml_error(problem), line) from None
    except yaml.YAMLError as problem:
        raise _ContentError(_explain_yaml_error(problem)) from None
    builder = _Builder(first_line)
    data = builder.build(node, ()) if node is not None else None
    return data, builder.lines, builder.key_lines


class _Builder:
    """Turns a composed node tree into plain values, recording lines as it goes."""

    def __init__(self, first_line: int) -> None:
        self.offset = first_line
        self.lines: dict[Path_, int] = {}
        self.key_lines: dict[Path_, int] = {}
        self.count = 0
        self.active: set[int] = set()  # nodes on the current path: catches recursive aliases

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_VALUES or len(path) > MAX_DEPTH or id(node) in self.active:
            raise _ContentError(
                "dokumentet är för stort eller för djupt (ofta för att & och * används för att "
                "upprepa data) – skriv ut värdena i stället", self.line(node),
            )
        self.lines[path] = node.start_mark.line + self.offset  # line(node), inline: once per value; each path is built once
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR else self.scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                return self.mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise self.tag_error(node)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        builder = _SCALAR_BUILDERS.get(node.tag)
        if builder is None:
            raise self.tag_error(node)
        try:
            return builder(node)
        except (ValueError, yaml.YAMLError):
            return node.value  # e.g. an impossible timestamp: the schema reports it with context

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _ContentError("sammanslagning med << är inte tillåten – skriv ut fälten", self.line(key_node))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                raise _ContentError(
                    "ett fältnamn måste vara ett ord, som name eller location – sätt det inom citattecken om det är ett tal",
                    self.line(key_node),
                )
            key = key_node.value
            if key in result:
                first = self.key_lines[path + (key,)]
                raise _ContentError(
                    f'fältet "{key}" står två gånger (första gången på rad {first}) – ta bort det ena',
                    self.line(key_node),
                )
            key_path = path + (key,)
            self.key_lines[key_path] = key_node.start_mark.line + self.offset  # line(key_node), inline: once per key
            result[key] = self.build(value_node, key_path)
        return result

    def tag_error(self, node: yaml.Node) -> _ContentError:
        return _ContentError(
            f'YAML-taggen "{node.tag}" är inte tillåten – ta bort den (innehållet får bara vara text, tal, datum och listor)',
            self.line(node),
        )


_YAML_HINTS = [
    ("found character '\\t'", "filen innehåller ett tabbtecken – använd mellanslag för indrag"),
    ("tab character", "filen innehåller ett tabbtecken – använd mellanslag för indrag"),
    ("mapping values are not allowed", "ett kolon (:) står där det inte får stå – sätt texten inom citattecken, t.ex. \"Svets: grund\""),
    ("could not find expected ':'", "ett kolon (:) saknas efter ett fältnamn, eller så har en text ett citattecken som inte avslutas"),
    ("while scanning a quoted scalar", "ett citattecken avslutas aldrig – kontrollera att texten slutar med samma citattecken som den börjar med"),
    ("found unexpected end of stream", "ett citattecken eller en hakparentes avslutas aldrig"),
    ("found undefined alias", "en *hänvisning pekar på ett &namn som inte finns – skriv ut värdet i stället"),
    ("expected a single document", "filen innehåller flera dokument (en rad med ---) – ta bort raden ---"),
    ("did not find expected key", "indraget stämmer inte – fälten i samma utbildning ska börja lika långt in"),
    ("expected <block end>", "indraget stämmer inte – fälten i samma utbildning ska börja lika långt in"),
    ("did not find expected ',' or ']'", "en lista inom [ ] avslutas aldrig – kontrollera att den slutar med ]"),
    ("did not find expected ',' or '}'", "en uppräkning inom { } avslutas aldrig – kontrollera att den slutar med }"),
    ("did not find expected '-' indicator", "indraget stämmer inte – varje post i listan ska börja med - lika långt in"),
    ("found character that cannot start any token", "ett tecken kan inte stå först i ett värde (t.ex. @ eller `) – sätt värdet inom citattecken"),
    ("did not find expected node content", "ett värde saknas eller börjar med ett tecken som måste stå inom citattecken"),
    ("found duplicate anchor", "samma &namn används två gånger – skriv ut värdena i stället"),
]


def _explain_yaml_error(problem: yaml.YAMLError) -> str:
    text = str(problem)
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return f"filen kan inte läsas som YAML: {hint}"
    return "filen kan inte läsas som YAML – kontrollera indrag, kolon och citattecken på raden"
