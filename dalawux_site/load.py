"""Stage 1, load: read every content file into plain data, keeping line numbers.

This is the only stage that reads content files. YAML is read from the parser's events (with
PyYAML's C parser where available), or composed into a node tree when a document has anchors,
tags or mistakes, and turned into plain values by hand, so that every value keeps its line,
duplicate keys are caught, and no YAML tag can construct an object.
"""
from __future__ import annotations

import errno
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import yaml

from . import yaml_errors
from .diagnostics import Report

log = logging.getLogger(__name__)

try:  # The C parser is about 7x faster; marks (line numbers) are the same.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


_CURLY = frozenset(yaml_errors.CURLY_QUOTES)
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

    @property
    def single_course(self) -> bool:
        """A per-course file (courses/<municipality>/<course>.yaml): one course, as a mapping."""
        return self.rel.count("/") == 2

    @property
    def provider_id(self) -> str:
        """The municipality a course file belongs to: its folder's or its own name."""
        parts = self.rel.split("/")
        return parts[1] if len(parts) == 3 else self.stem

    @property
    def stem(self) -> str:
        """The file's name without its ending, as Path(rel).stem has it (without making a Path)."""
        name = self.rel.rpartition("/")[2]
        return name[: len(name) - len(_suffix(name))]

    def course_entries(self) -> list[tuple[Path_, dict]]:
        """Each course of a course file with the path to it: (i,) in a list file, () in a
        per-course file. Entries that are not mappings are left out (the schema reports them)."""
        if self.single_course:
            return [((), self.data)] if isinstance(self.data, dict) else []
        return [((i,), entry) for i, entry in enumerate(self.data if isinstance(self.data, list) else []) if isinstance(entry, dict)]

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


SHARED_FILES = ("site.yaml", "municipalities.yaml", "areas.yaml", "names.yaml", "orter.yaml")
FOLDERS = ("courses", "pages", "infobrev")  # the folders read; schemas/ belongs to the code
_TEXT_SUFFIXES = frozenset({".yml", ".yaml", ".md", ".markdown", ".txt"})  # misnamed content, told about


def load_shared(root: Path, report: Report) -> RawContent:
    """Every file but the course files (courses is empty): what all the course files refer to,
    and the pages. pipeline.py reads the course files in shares, on all cores."""
    root = root.resolve()
    _check_top_level(root, report)

    def single(rel: str) -> Document | None:
        path = root / rel
        if not os.path.lexists(path):
            report.error(display_name(path, root), None, f"filen saknas: {rel} måste finnas i innehållsmappen")
            return None
        if _not_a_regular_file(path, root, report, rel):
            return None
        return load_yaml_file(path, root, report)

    return RawContent(
        root=root,
        site=single("site.yaml"),
        municipalities=single("municipalities.yaml"),
        areas=single("areas.yaml"),
        names=single("names.yaml"),
        courses=(),
        pages=tuple(load_markdown_file(p, root, report) for p in _files(_folder(root, "pages"), ".md", report, root)),
        infobrev=tuple(load_markdown_file(p, root, report) for p in _files(_folder(root, "infobrev"), ".md", report, root)),
        places=single("orter.yaml"),
    )


def course_files(root: Path, report: Report) -> list[Path]:
    """The course files under root/courses/: each municipality's list file
    (courses/<municipality>.yaml) and its per-course files (courses/<municipality>/<course>.yaml),
    in name order. Misnamed files, links and anything but regular files are reported, not read."""
    root = root.resolve()
    folder = _folder(root, "courses")
    found = _files(folder, ".yaml", report, root)
    for sub in _course_folders(folder):
        found += _files(sub, ".yaml", report, root)
    return sorted(found, key=str)  # all under root: the same order as by their names in it


def course_folders(root: Path) -> list[str]:
    """The names of the per-course folders in root/courses/ (each should be a municipality id)."""
    return [sub.name for sub in _course_folders(_folder(root.resolve(), "courses"))]


def _course_folders(folder: Path | None) -> list[Path]:
    if folder is None:
        return []
    return [  # a folder named like a file (mora.yaml/) is a mistake, reported by _files
        folder / entry.name for entry in _entries(folder)
        if entry.is_dir(follow_symlinks=False) and Path(entry.name).suffix.lower() not in _TEXT_SUFFIXES
    ]


def load_course_files(paths: list[Path], root: Path, report: Report) -> tuple[Document, ...]:
    """The course files, in the order given."""
    names = _FolderNames(root)
    return tuple(_load_yaml_file(path, *names(path), report) for path in paths)


class _FolderNames:
    """A file's display_name and its path in the content folder, from its folder's, which are
    worked out once per folder (thousands of course files share a few folders)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders: dict[str, tuple[str, str]] = {}

    def __call__(self, path: Path) -> tuple[str, str]:
        folder, _, name = str(path).rpartition("/")
        if not folder or name in ("", ".", ".."):  # not a file in a folder: as for any path
            return display_name(path, self.root), path.relative_to(self.root).as_posix()
        known = self.folders.get(folder)
        if known is None:
            where = Path(folder)
            known = self.folders[folder] = (display_name(where, self.root), where.relative_to(self.root).as_posix())
        shown, rel = known
        return _inside(shown, name), _inside(rel, name)


def _inside(folder: str, name: str) -> str:
    """The path of name in folder, written as display_name and relative_to write it."""
    return name if folder == "." else f"{folder}/{name}"


def _entries(folder: Path) -> list[os.DirEntry]:
    """What a folder holds, in name order, without hidden files and read-me files."""
    with os.scandir(folder) as listing:
        entries = [e for e in listing if not e.name.startswith(".") and e.name.lower() not in ("readme.md", "readme.txt")]
    return sorted(entries, key=lambda e: e.name)


def _folder(root: Path, name: str) -> Path | None:
    """root/name when it is a real folder (not a link to one); _check_top_level reports it otherwise."""
    path = root / name
    return path if os.path.lexists(path) and stat.S_ISDIR(os.lstat(path).st_mode) else None


LINK_PROBLEM = (
    "är en länk (genväg) till en annan fil eller mapp, och länkar läses inte – "
    "lägg en kopia av själva filen här i stället för länken"
)
SPECIAL_PROBLEM = "är ingen vanlig fil (utan t.ex. en enhet eller en pipe) och läses inte – lägg en vanlig textfil här i stället"


def _check_top_level(root: Path, report: Report) -> None:
    """Names at the top of the content folder that differ only in case from a known one
    (Site.yaml, Pages/) are reported: on Linux they are other names, and would be left out."""
    known = {name.lower(): name for name in (*SHARED_FILES, *FOLDERS, "schemas")}
    for entry in _entries(root):
        wanted = known.get(entry.name.lower())
        if wanted and entry.name != wanted:
            report.error(
                display_name(root / entry.name, root), None,
                f"namnet ska skrivas med små bokstäver och läses inte som det är – byt namn till {wanted}",
            )
    for name in FOLDERS:
        path = root / name
        if not os.path.lexists(path) or stat.S_ISDIR(os.lstat(path).st_mode):
            continue
        link = stat.S_ISLNK(os.lstat(path).st_mode)
        problem = LINK_PROBLEM if link else f"ska vara en mapp, men är en fil – ta bort filen och skapa mappen {name}/"
        report.error(display_name(path, root), None, f"{name} {problem}")


def _not_a_regular_file(path: Path, root: Path, report: Report, wanted: str) -> bool:
    """Report path (by lstat, links not followed) unless it is a regular file."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        return False
    if stat.S_ISLNK(mode):
        problem = LINK_PROBLEM
    elif stat.S_ISDIR(mode):
        problem = f"är en mapp, inte en fil – den läses inte. Byt namn på mappen, och lägg filen {Path(wanted).name} här"
        if path.parent.name == "courses" and path.suffix.lower() == ".yaml":
            problem = (
                f"är en mapp, inte en fil – den läses inte. En kommuns utbildningar står i filen {path.stem}.yaml "
                f"eller, en fil per utbildning, i mappen {path.stem}/: byt namn på mappen till {path.stem}"
            )
    else:
        problem = SPECIAL_PROBLEM
    report.error(display_name(path, root), None, f"{path.name} {problem}")
    return True


def _files(folder: Path | None, suffix: str, report: Report, root: Path) -> list[Path]:
    """The regular files named *suffix in folder; links, folders or devices with a content file's
    name, and files with another ending (or the right one in capitals), are reported."""
    if folder is None:
        return []
    found = []
    for entry in _entries(folder):
        if entry.is_file(follow_symlinks=False) and _suffix(entry.name) == suffix:  # as the listing says: no lstat
            found.append(folder / entry.name)
            continue
        path = folder / entry.name
        known_suffix = path.suffix.lower() in _TEXT_SUFFIXES
        if entry.is_symlink():
            _not_a_regular_file(path, root, report, path.name)
        elif not known_suffix:
            continue  # not content (per-course folders are found by _course_folders)
        elif _not_a_regular_file(path, root, report, path.stem + suffix):
            continue
        elif path.suffix == suffix:
            found.append(path)
        else:
            report.error(
                display_name(path, root), None,
                f"filen har fel ändelse och läses inte – byt namn till {path.stem}{suffix}",
            )
    return found


def _suffix(name: str) -> str:
    """Path(name).suffix, without making a Path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def load_yaml_file(path: Path, root: Path, report: Report) -> Document:
    return _load_yaml_file(path, display_name(path, root), path.relative_to(root).as_posix(), report)


def _load_yaml_file(path: Path, name: str, rel: str, report: Report) -> Document:
    """A YAML file, shown to editors as name, at rel in the content folder."""
    text = ""
    try:
        text = _read_text(path)
        data, lines, key_lines, decorated = _parse_yaml(text)
    except _ContentError as problem:
        report.error(name, problem.line, str(problem), yaml_errors.shown(_line_of(text, problem.line) or "") or None)
        return Document(name, rel, text, readable=False)
    _warn_curly_quotes(name, text, decorated, report)
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
        data, lines, key_lines, decorated = _parse_yaml(match.group(1), first_line=2)
    except _ContentError as problem:
        report.error(name, problem.line, str(problem), yaml_errors.shown(_line_of(text, problem.line) or "") or None)
        return Document(name, rel, text, readable=False)
    _warn_curly_quotes(name, text, decorated, report)
    body_line = text.count("\n", 0, match.end()) + 1
    return Document(name, rel, text, data, lines, key_lines, text[match.end():], body_line)


def _warn_curly_quotes(name: str, text: str, lines: list[int], report: Report) -> None:
    for line in lines:
        source = _line_of(text, line)
        report.warning(
            name, line,
            "texten står inom citattecknen “ ” (som Word och mobilen skriver), och de syns då på webbplatsen – "
            f"ta bort dem: {yaml_errors.without_curly_quotes((source or '').strip())}",
            source,
        )


def _read_text(path: Path) -> str:
    """The file's text, from a regular file only: a link is never followed (O_NOFOLLOW, then
    fstat of what was opened), so no byte of a file outside the content folder is ever read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as problem:
        if problem.errno == errno.ELOOP:
            raise _ContentError(f"{path.name} {LINK_PROBLEM}") from None
        raise _ContentError(f"filen kan inte öppnas ({problem.strerror}) – kontrollera att den finns och går att läsa") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _ContentError(f"{path.name} {SPECIAL_PROBLEM}")
        size = status.st_size
        raw = _read_at_most(descriptor, MAX_FILE_BYTES + 1, size + 1) if size <= MAX_FILE_BYTES else b""
    finally:
        os.close(descriptor)
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        raise _ContentError(
            f"filen är för stor ({max(size, len(raw)) // 1024} kB, högst {MAX_FILE_BYTES // 1024} kB) – dela upp den eller korta texterna"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = raw.count(b"\n", 0, problem.start) + 1
        raise _ContentError(
            "filen är inte sparad som UTF-8 – spara den som UTF-8 i din textredigerare "
            "(å, ä och ö blir annars fel)", line,
        ) from None
    return text.removeprefix("\ufeff")


def _read_at_most(descriptor: int, limit: int, expected: int) -> bytes:
    """The file's bytes till its end, at most limit of them, as a buffered file's read(limit)
    gives them, which sets aside limit bytes first: here expected bytes are asked for, and twice
    as many each time more came (a file that grew since it was measured)."""
    chunks = []
    while limit > 0:
        chunk = os.read(descriptor, min(limit, expected))
        if not chunk:
            break
        chunks.append(chunk)
        limit -= len(chunk)
        expected *= 2
    return b"".join(chunks)


def _line_of(text: str, line: int | None) -> str | None:
    if not line:
        return None
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


# --- YAML ------------------------------------------------------------------------------------

def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict, dict]:
    """Parse YAML text into plain values and the line of each value."""
    data, lines, key_lines, _ = _parse_yaml(text, first_line)
    return data, lines, key_lines


def _parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict, dict, list[int]]:
    """parse_yaml, and the lines of plain texts that stand between Word's curly quotes."""
    curly = any(quote in text for quote in yaml_errors.CURLY_QUOTES)
    quick = _EventBuilder(first_line, curly).parse(text)
    if quick is not None:
        return quick
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as problem:
        # An unclosed quote or bracket is reported where it opened, which is where the mistake is.
        opened = problem.context and ("quoted scalar" in problem.context or "flow" in problem.context)
        mark = (problem.context_mark if opened else None) or problem.problem_mark or problem.context_mark
        line, message = yaml_errors.explain(text, problem, mark.line + 1 if mark else None)
        raise _ContentError(message, line + first_line - 1 if line else None) from None
    except yaml.YAMLError as problem:
        raise _ContentError(_explain_yaml_error(problem)) from None
    builder = _Builder(first_line, curly)
    data = builder.build(node, ()) if node is not None else None
    return data, builder.lines, builder.key_lines, builder.decorated


# The tags YAML 1.1 gives plain scalars by their look: the rules of PyYAML's SafeLoader, tried
# in its order, as one pattern (the name of the group that matched is the tag's last part).
_TYPED_PLAIN = re.compile(r"""
    ^(?:(?P<bool>yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$
    |(?P<float>[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$
    |(?P<int>[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$
    |(?P<merge><<)$
    |(?P<null>~|null|Null|NULL|)$
    |(?P<timestamp>[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$
    |(?P<value>=)$
    |(?P<yaml>!|&|\*)$)""", re.X)
_MAY_BE_TYPED = frozenset("yYnNtTfFoO-+0123456789.<~=!&*") | {""}  # the first characters of those


def _plain_tag(value: str) -> str:
    """The tag of a plain (unquoted, untagged) scalar."""
    match = _TYPED_PLAIN.match(value) if value[:1] in _MAY_BE_TYPED else None
    return f"tag:yaml.org,2002:{match.lastgroup}" if match else _STR


def _typed(tag: str, value: str) -> Any:
    """The value of a plain scalar that YAML reads as a number, date, truth value or nothing."""
    builder = _SCALAR_BUILDERS.get(tag)
    if builder is None:
        raise _Unusual
    return _constructed(builder, yaml.ScalarNode(tag, value))


def _constructed(builder: Callable[[yaml.ScalarNode], Any], node: yaml.ScalarNode) -> Any:
    """The scalar's value as its tag's builder makes it, or its text when it cannot (e.g. an
    impossible timestamp: the schema reports it with context)."""
    try:
        return builder(node)
    except (ValueError, yaml.YAMLError):
        return node.value


def _between_curly_quotes(value: str, style: str | None) -> bool:
    """A plain one-line text between Word's curly quotes, meant as quoted text."""
    return value[:1] in _CURLY and value[-1:] in _CURLY and not style and "\n" not in value


class _Unusual(Exception):
    """Something _EventBuilder leaves to the composer and _Builder: they report it, or know it."""


class _EventBuilder:
    """Plain values and their lines straight from the parser's events, for the usual document:
    one, without anchors, aliases or tags. Skipping the composer's node tree saves a Python call
    per scalar; anything else (and every mistake) goes to the composer and _Builder, which
    give the same values and report problems."""

    def __init__(self, first_line: int, curly: bool) -> None:
        self.offset = first_line
        self.curly = curly
        self.lines: dict[Path_, int] = {}
        self.key_lines: dict[Path_, int] = {}
        self.decorated: list[int] = []

    def parse(self, text: str) -> tuple[Any, dict, dict, list[int]] | None:
        """What _parse_yaml returns, or None when the document is unusual or has a mistake."""
        loader = _SafeLoader(text)
        try:
            self.next = loader.get_event
            self.next()  # the stream's start
            event = self.next()
            data = None
            if type(event) is yaml.DocumentStartEvent:
                data = self.value(self.next(), ())
                self.next()  # the document's end
                event = self.next()
            if type(event) is not yaml.StreamEndEvent or len(self.lines) > MAX_VALUES:
                return None
            return data, self.lines, self.key_lines, self.decorated
        except (_Unusual, yaml.YAMLError):
            return None
        finally:
            loader.dispose()

    def value(self, event: yaml.Event, path: Path_) -> Any:
        if len(path) > MAX_DEPTH or event.anchor is not None or event.tag is not None:
            raise _Unusual
        self.lines[path] = event.start_mark.line + self.offset
        kind = type(event)
        if kind is yaml.ScalarEvent:  # most values: handled here, not in a call of their own
            value = event.value
            tag = _plain_tag(value) if event.implicit[0] and value[:1] in _MAY_BE_TYPED else _STR
            if tag != _STR:
                return _typed(tag, value)
            if self.curly and _between_curly_quotes(value, event.style):
                self.decorated.append(event.start_mark.line + self.offset)
            return value
        if kind is yaml.MappingStartEvent:
            return self.mapping(path)
        if kind is yaml.SequenceStartEvent:
            return self.sequence(path)
        raise _Unusual  # an alias

    def sequence(self, path: Path_) -> list[Any]:
        items = []
        event = self.next()
        while type(event) is not yaml.SequenceEndEvent:
            items.append(self.value(event, path + (len(items),)))
            event = self.next()
        return items

    def mapping(self, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_lines = self.key_lines
        event = self.next()
        while type(event) is not yaml.MappingEndEvent:
            if type(event) is not yaml.ScalarEvent or event.anchor is not None or event.tag is not None:
                raise _Unusual
            key = event.value
            if key in result or (event.implicit[0] and key[:1] in _MAY_BE_TYPED and _plain_tag(key) != _STR):
                raise _Unusual
            key_path = path + (key,)
            key_lines[key_path] = event.start_mark.line + self.offset
            result[key] = self.value(self.next(), key_path)
            event = self.next()
        return result


class _Builder:
    """Turns a composed node tree into plain values, recording lines as it goes."""

    def __init__(self, first_line: int, curly: bool = True) -> None:
        self.offset = first_line
        self.curly = curly  # the text has a curly quote somewhere: look for texts between them
        self.lines: dict[Path_, int] = {}
        self.key_lines: dict[Path_, int] = {}
        self.count = 0
        self.active: set[int] = set()  # nodes on the current path: catches recursive aliases
        self.decorated: list[int] = []  # lines of plain texts between curly quotes, as pasted from Word

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
            if node.tag != _STR:
                return self.scalar(node)
            value = node.value
            if self.curly and _between_curly_quotes(value, node.style):
                self.decorated.append(node.start_mark.line + self.offset)
            return value
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
        return _constructed(builder, node)

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
                raise self.duplicate(node, path, key, key_node)
            key_path = path + (key,)
            self.key_lines[key_path] = key_node.start_mark.line + self.offset  # line(key_node), inline: once per key
            result[key] = self.build(value_node, key_path)
        return result

    def duplicate(self, node: yaml.MappingNode, path: Path_, key: str, key_node: yaml.Node) -> _ContentError:
        """A key twice in one mapping. When it is the first key of a list item, a new item most
        likely lost its "- ": say to add it (deleting the line would lose data)."""
        first, line = self.key_lines[path + (key,)], self.line(key_node)
        in_list = bool(path) and isinstance(path[-1], int)
        if not in_list or node.value[0][0].value != key:
            return _ContentError(
                f'fältet "{key}" står två gånger (första gången på rad {first}) – ett fält får bara stå en gång: '
                "behåll det som är rätt och ta bort det andra", line,
            )
        item = {"intakes": "kursstart", "counsellors": "vägledare"}.get(path[-2] if len(path) > 1 else None, "utbildning" if len(path) == 1 else "post")
        return _ContentError(
            f'fältet "{key}" står två gånger i samma {item} (första gången på rad {first}): här börjar nog en ny {item}. '
            f'Skriv "- " före {key}: på rad {line}, så att - står rakt under - på rad {first} (ta inte bort något)',
            line,
        )

    def tag_error(self, node: yaml.Node) -> _ContentError:
        return _ContentError(
            f'YAML-taggen "{node.tag}" är inte tillåten – ta bort den (innehållet får bara vara text, tal, datum och listor)',
            self.line(node),
        )


def _explain_yaml_error(problem: yaml.YAMLError) -> str:
    """The parser's complaint in Swedish, when nothing better is known (see yaml_errors)."""
    return "filen kan inte läsas som YAML: " + yaml_errors._hint(problem)
