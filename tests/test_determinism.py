"""Same content and --today give byte-identical sites, across processes: each build runs build.py in
its own process with its own PYTHONHASHSEED (so str hashes, set order and dict-of-set order differ),
from a copy of the content whose files were created in the opposite order (so the file system lists
every folder in a different order)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from bench import generate

from .conftest import SAMPLE, TODAY
from .js_course_file import per_course_copy

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("1", "2024")
# tmpfs lists a folder in the reverse order its entries were made; ext4 lists by a hash of the name.
ORDERED_FS = Path("/dev/shm")


@pytest.fixture
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="yrkesvux-test-order-", dir=ORDERED_FS if ORDERED_FS.is_dir() else None))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def copy_in_order(source: Path, target: Path, backwards: bool) -> None:
    """source copied to target, every folder and file made in name order or in the opposite order."""
    entries = sorted(source.rglob("*"))
    for path in reversed(entries) if backwards else entries:
        made = target / path.relative_to(source)
        if path.is_dir():
            made.mkdir(parents=True, exist_ok=True)
        else:
            made.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, made)


def listings(root: Path) -> dict[str, list[str]]:
    """Every folder's entries in the order the file system gives them."""
    return {folder.relative_to(root).as_posix(): os.listdir(folder) for folder in [root, *sorted(root.rglob("*"))] if folder.is_dir()}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build_in_two_processes(content: Path, scratch: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    copies = [scratch / "forwards", scratch / "backwards"]
    for copy, backwards in zip(copies, (False, True)):
        copy_in_order(content, copy, backwards)
    first, second = listings(copies[0]), listings(copies[1])
    assert first.keys() == second.keys() and all(sorted(first[f]) == sorted(second[f]) for f in first)
    courses = [folder for folder in first if folder.startswith("courses") and len(first[folder]) > 1]
    assert courses and all(first[f] != second[f] for f in courses)  # the precondition: the listings really differ
    builds = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "build", "--content", str(copy), "--out", str(copy.with_name(copy.name + "-site")),
             "--today", TODAY.isoformat()],
            cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for copy, seed in zip(copies, SEEDS)
    ]
    for build in builds:
        _, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stderr
    return tree(scratch / "forwards-site"), tree(scratch / "backwards-site")


@pytest.mark.parametrize("content", [ROOT / "content", SAMPLE], ids=["bundled", "sample"])
def test_builds_in_two_processes_from_differently_ordered_copies_are_byte_identical(content, scratch):
    first, second = build_in_two_processes(content, scratch)
    assert len(first) > 100 and any(name.endswith("/ord.json") for name in first) and "utbudet/studieform.svg" in first
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_generated_catalogue_with_many_courses_per_folder_builds_byte_identical(scratch):
    """Many per-course files in each municipality's folder, some with the same name: the order of
    the folder's listing must not decide the order of anything the site shows or the ids it gives."""
    generate.generate(scratch / "generated", 150, TODAY)
    content = scratch / "content"
    per_course_copy(scratch / "generated", content)
    assert min(len(list(folder.iterdir())) for folder in (content / "courses").iterdir()) >= 10
    first, second = build_in_two_processes(content, scratch)
    assert sum(1 for name in first if name.startswith("utbildningar/") and name.endswith("/index.html")) == 150
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
