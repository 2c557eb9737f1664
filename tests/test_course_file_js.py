"""The form editor's course-file format (assets/js/course-file.js, run in Node) writes what a person
would have written: the bundled courses come out as they were typed, and every text reads back
the same through the build's YAML reader."""
from __future__ import annotations

import random
from pathlib import Path

import yaml

from dalawux_site.cms_config import course_file_spec
from dalawux_site.course_file import read_course

from .conftest import SAMPLE
from .js_course_file import as_json, format_with_js, list_items

ROOT = Path(__file__).resolve().parents[1]
COURSES = ROOT / "content" / "courses", SAMPLE / "courses"


def _bundled() -> list[tuple[dict, list[str], list[str] | None, str | None]]:
    """Every bundled course: (data, comment lines, the lines typed in a list file or None, the
    text of its per-course file or None)."""
    found = []
    for folder in COURSES:
        for path in sorted(folder.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            for entry, (comments, own) in zip(yaml.safe_load(text), list_items(text)):
                found.append((entry, comments, [line[2:] for line in own], None))
        for path in sorted(folder.glob("*/*.yaml")):
            text = path.read_text(encoding="utf-8")
            found.append((yaml.safe_load(text), list(read_course(text)[1]), None, text))
    return found


def test_bundled_courses_come_out_as_they_were_typed():
    """The per-course files as they are, and the courses of list files as they were typed (in
    the schema's order where they were typed in another)."""
    spec = course_file_spec()
    courses = _bundled()
    assert sum(1 for *_, text in courses if text) > 100 and any(typed for _, _, typed, _ in courses)
    written = format_with_js([(entry, comments) for entry, comments, _, _ in courses])
    for (entry, comments, typed, text), got in zip(courses, written):
        assert yaml.safe_load(got) == entry
        if text is not None:
            assert got == text
            continue
        keys = [line.split(":")[0] for line in typed if line and not line.startswith(" ")]
        if keys == [k for k in spec["course"] if k in keys]:
            assert got == "\n".join([spec["schema_line"], *comments, *typed]) + "\n"
        else:
            assert sorted(got.splitlines()[1 + len(comments):]) == sorted(typed)


def test_the_first_line_and_the_comments_come_first():
    text = format_with_js([({"name": "Svetsare", "pace": 100}, ["# Granskad i november.", "# Fråga Anna."])])[0]
    assert text == (
        "# yaml-language-server: $schema=../../schemas/course-file.schema.json\n"
        "# Granskad i november.\n# Fråga Anna.\nname: Svetsare\npace: 100\n"
    )


NAMES = [
    "yes", "No", "on", "123", "0701740605", "1.5", "2027-1-5", "null", "~", " med mellanslag", "slut ",
    "Kock: à la carte", "Svets #1", "- streck först", "[hakparentes]", "{klammer}", "*stjärna", "&och", "!utrop",
    "'apostrof'", '"citat"', "%procent", "@snabel", "`grav`", "|rör", ">större", "?fråga", "slutar med kolon:",
    "Kock, à la carte", "“krokiga citattecken”", "tab\tinuti", "023-123 45", "Truckförare A och B", "0", "+46 70",
]


def test_every_text_reads_back_the_same():
    courses = [{"name": name, "study_forms": ["plats", name], "contact": {"name": name}} for name in NAMES]
    for course, text in zip(courses, format_with_js([(course, []) for course in courses])):
        assert yaml.safe_load(text) == course, text
    plain = format_with_js([({"name": "Truckförare A och B", "location": "Borlänge", "added": "2026-11-20"}, [])])[0]
    assert plain.endswith("name: Truckförare A och B\nlocation: Borlänge\nadded: 2026-11-20\n")  # quotes only where needed
    odd = format_with_js([({"name": "del\x7f", "location": "a\u2028b"}, [])])[0]
    assert odd.endswith('name: "del\\u007f"\nlocation: "a\\u2028b"\n')


def test_texts_with_several_lines_are_literal_blocks():
    course = {
        "name": "Svetsare",
        "intakes": [{"start": "2027-01-11", "apply_by": "2026-12-01"}, {"start": "2027-08-16", "period": "start-aug-2027"}],
        "description": "Första stycket.\n\n  Indraget.\nSista raden.\n",
        "apply_url": "  \nbörjar med mellanslag",
        "prerequisites": "Utan radslut\npå slutet",
        "contact": {"name": "Anna Andersson", "phone": "070-174 06 05"},
        "added": "2026-11-20",
    }
    text = format_with_js([(course, [])])[0]
    assert text.split("\n", 1)[1] == (
        "name: Svetsare\n"
        "intakes:\n"
        "  - start: 2027-01-11\n    apply_by: 2026-12-01\n"
        "  - start: 2027-08-16\n    period: start-aug-2027\n"
        'apply_url: "  \\nbörjar med mellanslag"\n'
        "description: |\n  Första stycket.\n\n    Indraget.\n  Sista raden.\n"
        "prerequisites: |-\n  Utan radslut\n  på slutet\n"
        "contact:\n  name: Anna Andersson\n  phone: 070-174 06 05\n"
        "added: 2026-11-20\n"
    )
    parsed = as_json(yaml.safe_load(text))
    assert parsed == course


def test_what_the_form_holds_is_written_as_the_file_has_it():
    """The form's helpers (the kind of a start, the contact person as a list, the comments) and
    its empty fields are never written."""
    held = {
        "name": "Svetsare", "_comments": ["# kvar"], "apply_url": "", "prerequisites": None, "weeks": "",
        "intakes": [{"_kind": "apply_by", "start": "2027-01-11", "apply_by": "2026-12-01"}],
        "contact": [{"name": "Anna", "title": ""}], "study_forms": [],
    }
    text = format_with_js([(held, ["# kvar"])])[0]
    assert text.split("\n", 1)[1] == (
        "# kvar\nname: Svetsare\nintakes:\n  - start: 2027-01-11\n    apply_by: 2026-12-01\ncontact:\n  name: Anna\n"
    )


def test_the_same_bytes_as_the_build_writes():
    """course_file.format_course is the Python reference of the format (`build.py split`): the
    bundled courses, the texts above and 2,000 random texts of YAML's awkward characters."""
    from dalawux_site import course_file
    rng = random.Random(16)
    chars = list("ab :#-?,[]{}&*!|>'\"%@`\t\n\r\\\u00a0\u2028\x7f\x85\ufeffåäö0123456789.+~=<yesnoNul") + ["\U0001F600"]
    texts = NAMES + ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    courses = [(entry, comments) for entry, comments, _, _ in _bundled()]
    courses += [({"name": t, "description": f"{t}\n{t}", "study_forms": [t], "contact": {"name": t}}, []) for t in texts]
    for (entry, comments), text in zip(courses, format_with_js(courses)):
        assert course_file.format_course(entry, tuple(comments)) == text, entry
