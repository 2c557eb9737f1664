"""Problems found in the content, reported to editors in Swedish with file and line."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]


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
        prefix = "" if self.level == "error" else "varning: "
        text = f"{self.location()}: {prefix}{self.message}"
        if self.source and self.source.strip():
            text += f"\n    {self.source.strip()}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so the pull request shows it on its line."""
        kind = "error" if self.level == "error" else "warning"
        where = f"file={self.file}" + (f",line={self.line}" if self.line else "")
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} {where}::{message}"


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

    def summary(self) -> str:
        """"2 fel, 1 varning.": the problems shown by sorted(), where the same one found twice is shown once."""
        shown = self.sorted()
        errors = sum(1 for d in shown if d.level == "error")
        warnings = len(shown) - errors
        return f"{_count(errors, 'fel', 'fel')}, {_count(warnings, 'varning', 'varningar')}."


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
