"""The search index's words: what the start page's finder searches a course by.

Each course has a *search record*: only what people search by. Its title (name, provider, place),
its local name, the other names of its canonical name and their abbreviations (so "köksbiträde"
finds a course published as "Restaurangbiträde", and "usk" an undersköterska), then area, study
forms and pace. Descriptions, dates and boilerplate are left out: a word in a description pulled
in unrelated courses. The finder's word index (finder.finder_parts: ord.json and o-<two
letters>.json under /sok/) holds every word of the records, as index_words splits and compares
them; finder.js compares what a visitor types by the same rules.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Mapping

from .model import Catalogue, Course
from .swedish import pace_label


def search_records(catalogue: Catalogue) -> dict[str, str]:
    """Every course's search record, its texts a line each, keyed by the course's site path."""
    others = other_names(catalogue)
    return {course.path: "\n".join(filter(None, record_texts(course, others))) for course in catalogue.courses}


def other_names(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Each canonical name's aliases and abbreviations."""
    return {entry.name: (*entry.aliases, *entry.abbreviations) for entry in catalogue.vocabulary}


def record_texts(course: Course, others: dict[str, tuple[str, ...]]) -> tuple[str, str, str, str]:
    """The texts of a course's search record: its title, its local name (or ""), the other names
    of its canonical name (or ""), and its facts."""
    other = ", ".join(a for a in others.get(course.name, ()) if a != course.local_name)
    facts = ". ".join((course.area.name, *course.study_form_labels, pace_label(course.pace))) + "."
    return course.title, course.local_name if course.has_local_name else "", other, facts


def records_words(records: Mapping[str, str]) -> set[str]:
    """Every word of the records."""
    return index_words("\n".join(records.values()))


def index_words(text: str) -> set[str]:
    """The words of text as the finder compares them: lower case, accents dropped, hyphenated
    words also joined."""
    distinct = " ".join(set(text.casefold().split()))  # no word spans a space: each distinct piece once
    plain = "".join(ch for ch in unicodedata.normalize("NFD", distinct) if not unicodedata.combining(ch))
    words = set(re.findall(r"\w+", plain))
    words.update(w.replace("-", "") for w in re.findall(r"\w+(?:-\w+)+", plain))
    return words
