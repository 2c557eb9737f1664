"""The form editor's course-file format (assets/js/course-file.js), run in Node for the tests, and
content copies in the per-course layout written by it (the bundled test content is list files)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml
from slugify import slugify

from dalawux_site.cms_config import course_file_spec

ROOT = Path(__file__).resolve().parents[1]
RUNNER = """
import { formatCourse } from "./course-file.mjs";
import { readFileSync } from "node:fs";
const { courses, spec } = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(courses.map(([data, comments]) => formatCourse(data, comments, spec))));
"""


def as_json(value):
    """A value as the form editor holds it: dates are text (the yaml library reads them so)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def format_with_js(courses: list[tuple[dict, list[str]]]) -> list[str]:
    """Each (course, comment lines) as course-file.js writes it."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(ROOT / "assets" / "js" / "course-file.js", Path(folder) / "course-file.mjs")
        (Path(folder) / "run.mjs").write_text(RUNNER, encoding="utf-8")
        payload = json.dumps({"courses": [(as_json(c), comments) for c, comments in courses], "spec": course_file_spec()})
        done = subprocess.run(["node", "run.mjs"], cwd=folder, input=payload, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def list_items(text: str) -> list[tuple[list[str], list[str]]]:
    """The items of a list file as (comment lines directly above, the item's own lines)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("- ")]
    items = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        comments, above = [], start - 1
        while above >= 0 and lines[above].startswith("#") and not lines[above].startswith("# yaml-language-server"):
            comments.insert(0, lines[above])
            above -= 1
        own = [line for line in lines[start:end] if not line.startswith("#")]
        while own and own[-1] == "":
            own.pop()
        items.append((comments, own))
    return items


def per_course_copy(source: Path, target: Path) -> dict[str, Path]:
    """source (a content folder) copied to target with every course of its list files in its own
    file, content/courses/<municipality>/<course id>.yaml; the paths of all per-course files by id."""
    shutil.copytree(source, target)
    found: dict[str, tuple[Path, dict, list[str]]] = {}
    existing = {path.stem: path for path in sorted((target / "courses").glob("*/*.yaml"))}
    for path in sorted((target / "courses").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for entry, (comments, _) in zip(yaml.safe_load(text), list_items(text)):
            course_id = entry.pop("id", None) or slugify(f"{entry['name']}-{path.stem}")
            while course_id in found or course_id in existing:
                course_id += "-2"
            found[course_id] = (target / "courses" / path.stem / f"{course_id}.yaml", entry, comments)
        path.unlink()
    texts = format_with_js([(entry, comments) for _, entry, comments in found.values()])
    for (file, _, _), text in zip(found.values(), texts):
        file.parent.mkdir(exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return {**existing, **{course_id: file for course_id, (file, _, _) in found.items()}}
