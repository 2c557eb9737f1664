"""Problems found in the content, reported to editors in Swedish with file and line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]
WARNINGS_PER_FILE = 20  # shown per file; the rest are counted on one line


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one place of the content."""

    file: str  # path as the editor knows it, e.g. "content/courses/falun.yaml"
    line: int | None  # 1-based line, None when the problem concerns the whole file
    message: str  # Swedish, says what is wrong and how to fix it
    level: Level = "error"
    source: str | None = None  # the offending line, shown under the message

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def format(self) -> str:
        """For a terminal: what comes from the content (a file name, a quoted line) cannot start a
        line of its own or steer the terminal, as control and bidi characters are shown as \\u…."""
        prefix = "" if self.level == "error" else "varning: "
        text = f"{visible(self.location())}: {prefix}{visible(self.message)}"
        if self.source and self.source.strip():
            text += f"\n    {visible(self.source.strip())}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so the pull request shows it on its line. Values are
        escaped as GitHub documents, so a file name cannot end the command and start another."""
        kind = "error" if self.level == "error" else "warning"
        where = f"file={_github_property(self.file)}" + (f",line={self.line}" if self.line else "")
        return f"::{kind} {where}::{_github_message(visible(self.message, keep_newlines=True))}"


def _github_message(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_message(text).replace(":", "%3A").replace(",", "%2C")


_INVISIBLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_BUT_NEWLINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, keep_newlines: bool = False) -> str:
    """text with control and bidi characters (but tabs and, if asked, CR and LF) written as \\u202e."""
    pattern = _INVISIBLE_BUT_NEWLINE if keep_newlines else _INVISIBLE
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass
class Report:
    """Every problem of one run: validation never stops at the first."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str, line: int | None, message: str, source: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(file, line, message, "error", source))

    def warning(self, file: str, line: int | None, message: str, source: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(file, line, message, "warning", source))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Errors first, then by file and line, so the output reads like the files."""
        unique = dict.fromkeys(self.diagnostics)
        return sorted(unique, key=lambda d: (d.level != "error", d.file, d.line or 0, d.message))

    def shown(self, warnings_per_file: int = WARNINGS_PER_FILE) -> list[Diagnostic]:
        """sorted(), with at most warnings_per_file warnings of each file and then one line for
        the rest ("… och 312 till"): a long page of pasted HTML would otherwise fill the log.
        Every error is shown."""
        result: list[Diagnostic] = []
        counts: dict[str, int] = {}
        for diagnostic in self.sorted():
            if diagnostic.level == "warning":
                counts[diagnostic.file] = counts.get(diagnostic.file, 0) + 1
                if counts[diagnostic.file] > warnings_per_file:
                    continue
            result.append(diagnostic)
        hidden = {file: n - warnings_per_file for file, n in counts.items() if n > warnings_per_file}
        if not hidden:
            return result
        capped: list[Diagnostic] = []
        for i, diagnostic in enumerate(result):
            capped.append(diagnostic)
            following = result[i + 1] if i + 1 < len(result) else None
            if diagnostic.level == "warning" and diagnostic.file in hidden and (following is None or following.file != diagnostic.file):
                capped.append(Diagnostic(diagnostic.file, None, f"… och {hidden[diagnostic.file]} till", "warning"))
        return capped

    def summary(self) -> str:
        """"2 fel, 1 varning.": the problems shown by sorted(), where the same one found twice is shown once."""
        shown = self.sorted()
        errors = sum(1 for d in shown if d.level == "error")
        warnings = len(shown) - errors
        return f"{_count(errors, 'fel', 'fel')}, {_count(warnings, 'varning', 'varningar')}."


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
