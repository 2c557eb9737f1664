"""The agreed course names: maps what a municipality calls a course to one canonical name."""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from slugify import slugify

from .diagnostics import Report
from .load import Document
from .model import CanonicalName


@functools.lru_cache(maxsize=4096)  # courses share a few hundred names
def name_key(name: str) -> str:
    """Compare names ignoring case, spaces and punctuation ("Köks-biträde" is "köksbiträde")."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def course_id(canonical: str, provider_id: str, location: str) -> str:
    """The URL slug of a course: what, who and where ("restaurangbitrade-falun-borlange").

    The place is left out when it only repeats the provider ("svetsare-mora", not "svetsare-mora-mora").
    """
    place = slugify(location)
    parts = [canonical, provider_id] + ([] if place == provider_id else [place])
    return capped_slug(slugify("-".join(parts)))


MAX_ID = 80  # characters (slugs are ASCII: bytes too); the same limit as an id: written by hand


def capped_slug(slug: str) -> str:
    """A slug of at most MAX_ID characters: a longer one (120 Chinese characters become 700 letters)
    keeps its beginning and ends with a digest of the whole, so it stays the same and unique."""
    if len(slug) <= MAX_ID:
        return slug
    digest = hashlib.sha256(slug.encode("ascii", "replace")).hexdigest()[:10]
    return slug[: MAX_ID - len(digest) - 1].rstrip("-") + "-" + digest


@dataclass(frozen=True)
class Alias:
    """Where an alias stands in names.yaml, for messages about what it does."""

    text: str
    name: str  # the canonical name it leads to
    file: str
    line: int
    source: str | None


@dataclass(frozen=True)
class Vocabulary:
    """Canonical names, indexed by the comparison key of each name and alias."""

    entries: tuple[CanonicalName, ...]
    index: dict[str, CanonicalName]
    aliases: dict[str, Alias] = field(default_factory=dict)  # comparison key -> where that alias stands

    @classmethod
    def empty(cls) -> Vocabulary:
        return cls((), {})

    @classmethod
    def from_document(cls, doc: Document | None, report: Report) -> Vocabulary:
        """Build from a schema-valid names.yaml, reporting names that mean two things."""
        entries, index, lines, aliases = [], {}, {}, {}
        for i, item in enumerate((doc.data or []) if doc else []):
            entry = CanonicalName(
                item["name"].strip(), tuple(a.strip() for a in item.get("aliases", [])), item.get("area"), item.get("code"),
                tuple(a.strip() for a in item.get("abbreviations", [])),
            )
            entries.append(entry)
            spelled = [(entry.name, (i, "name"))] + [(a, (i, "aliases", j)) for j, a in enumerate(entry.aliases)]
            for text, path in spelled:
                key = name_key(text)
                if key in index and index[key] is not entry:
                    line = doc.line(path)
                    report.error(
                        doc.name, line,
                        f'namnet "{text}" finns redan under "{index[key].name}" (rad {lines[key]}) – ett namn får bara höra till en utbildning',
                        doc.source(line),
                    )
                    continue
                index.setdefault(key, entry)
                lines.setdefault(key, doc.line(path))
                if path[1] == "aliases" and key != name_key(entry.name):
                    aliases[key] = Alias(text, entry.name, doc.name, doc.line(path), doc.source(doc.line(path)))
        return cls(tuple(entries), index, aliases)

    def alias(self, name: str) -> Alias | None:
        """The alias in names.yaml that a submitted name matched, if it matched one (not a name)."""
        return self.aliases.get(name_key(name))

    def match(self, name: str) -> CanonicalName | None:
        return self.index.get(name_key(name))

    def canonical(self, name: str) -> str:
        """The agreed name, or the submitted one (trimmed) when it matches nothing."""
        entry = self.match(name)
        return entry.name if entry else " ".join(name.split())
