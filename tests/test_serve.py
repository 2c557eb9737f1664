"""The dev server's rebuilds: the quick path shows an edit at once, and the full rebuild after it
leaves exactly what a clean build gives."""
from __future__ import annotations

import hashlib
from pathlib import Path

from dalawux_site import pipeline
from dalawux_site.serve import Rebuilder

from .conftest import TODAY

BASE = "http://127.0.0.1:8000"


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_quick_path_writes_only_the_edited_course_then_full_rebuild_equals_a_clean_build(content, tmp_path):
    served = tmp_path / "served" / "site"
    rebuild = Rebuilder(content, served, TODAY, BASE)
    assert rebuild()
    before = _digest(served)
    _edit(content / "courses" / "falun.yaml", "Du lär dig att svetsa.", "Du lär dig att svetsa med MIG och TIG.")

    assert rebuild.quick(rebuild.changed())
    after_quick = _digest(served)
    assert {name for name in before if before[name] != after_quick[name]} == {"utbildningar/svetsare-falun/index.html"}
    assert "MIG och TIG" in (served / "utbildningar/svetsare-falun/index.html").read_text(encoding="utf-8")

    assert rebuild()
    clean = tmp_path / "clean"
    pipeline.build(content, clean, TODAY, BASE)
    assert _digest(served) == _digest(clean)


def test_quick_path_shows_a_saved_per_course_file_then_full_rebuild_equals_a_clean_build(content, tmp_path):
    served = tmp_path / "served" / "site"
    rebuild = Rebuilder(content, served, TODAY, BASE)
    assert rebuild()
    before = _digest(served)
    _edit(content / "courses" / "mora" / "timmerhusbyggare-mora.yaml", "name: Timmerhusbyggare", "name: Timmerhusbyggare, knuttimring")

    assert rebuild.quick(rebuild.changed())  # the file name is the address: a new name keeps the page
    after_quick = _digest(served)
    assert {name for name in before if before[name] != after_quick[name]} == {"utbildningar/timmerhusbyggare-mora/index.html"}
    assert "knuttimring" in (served / "utbildningar/timmerhusbyggare-mora/index.html").read_text(encoding="utf-8")

    assert rebuild()
    clean = tmp_path / "clean"
    pipeline.build(content, clean, TODAY, BASE)
    assert _digest(served) == _digest(clean)


def test_quick_path_steps_aside_for_errors_new_courses_and_other_files(content, tmp_path):
    rebuild = Rebuilder(content, tmp_path / "site", TODAY, BASE)
    assert rebuild()
    mora = content / "courses" / "mora" / "timmerhusbyggare-mora.yaml"
    _edit(mora, "pace: 100", "pace: hundra")
    assert not rebuild.quick(rebuild.changed())  # the full rebuild shows the error
    _edit(mora, "pace: hundra", "pace: 100")
    rebuild.changed()
    (mora.parent / "hovslagare-mora.yaml").write_text(mora.read_text(encoding="utf-8").replace("Timmerhusbyggare", "Hovslagare"), encoding="utf-8")
    assert not rebuild.quick(rebuild.changed())  # a new address: lists and exports change too
    _edit(content / "courses" / "falun.yaml", "name: Svetsare", "name: Svetsare MIG")
    assert not rebuild.quick(rebuild.changed())  # in a list file a new name is a new address
    rebuild.changed()
    _edit(content / "areas.yaml", "Här finns", "Här hittar du")
    assert not rebuild.quick(rebuild.changed())
