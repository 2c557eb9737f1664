"""The benchmark's synthetic catalogues are valid content, and its stage timer sees every stage."""
from __future__ import annotations

import datetime as dt

from bench import generate, hugo_content
from bench.stages import measure
from dalawux_site import pipeline

TODAY = dt.date(2026, 11, 22)


def test_generated_catalogue_passes_check_and_publishes_every_course(tmp_path):
    generate.generate(tmp_path / "content", 200, TODAY)
    result = pipeline.check(tmp_path / "content", TODAY)
    assert result.report.errors == []
    assert len(result.catalogue.courses) == 200
    assert len({c.provider.id for c in result.catalogue.courses}) == 15
    assert len({c.area.id for c in result.catalogue.courses}) == 12


def test_generator_is_deterministic_and_varies_the_text(tmp_path):
    generate.generate(tmp_path / "a", 30, TODAY)
    generate.generate(tmp_path / "b", 30, TODAY)
    a = (tmp_path / "a" / "courses" / "falun.yaml").read_text(encoding="utf-8")
    assert a == (tmp_path / "b" / "courses" / "falun.yaml").read_text(encoding="utf-8")
    courses = pipeline.check(tmp_path / "a", TODAY).catalogue.courses
    assert len({c.description_text for c in courses}) == 30
    assert any(c.has_local_name for c in courses)


def test_hugo_content_has_one_page_per_published_course(tmp_path):
    generate.generate(tmp_path / "content", 40, TODAY)
    assert hugo_content.convert(tmp_path / "content", tmp_path / "hugo", TODAY) == 40
    assert len(list((tmp_path / "hugo" / "content" / "utbildningar").glob("*.md"))) == 1 + 40  # with _index.md
    assert (tmp_path / "hugo" / "config.toml").exists()


def test_stage_timer_times_each_stage_of_a_real_build(tmp_path):
    generate.generate(tmp_path / "content", 30, TODAY)
    figures = measure(tmp_path / "content", tmp_path / "out", TODAY)
    assert figures["errors"] == 0 and figures["pages"] > 30
    for stage in ("load", "validate", "normalise", "render", "write"):
        assert figures["stages"][stage] > 0
    assert (tmp_path / "out" / "index.html").exists()


def test_stage_timer_leaves_the_pipeline_as_it_was(tmp_path):
    from dalawux_site import load

    before = pipeline.load_shared
    generate.generate(tmp_path / "content", 15, TODAY)
    measure(tmp_path / "content", tmp_path / "out", TODAY)
    assert pipeline.load_shared is before is load.load_shared


def test_a_stage_called_within_another_counts_for_itself_only():
    import time

    from bench.stages import StageTimer

    timer = StageTimer()
    inner = timer.wrap("search index", lambda: time.sleep(0.05))
    outer = timer.wrap("render", lambda: (time.sleep(0.05), inner(), inner()))
    outer()
    assert 0.1 <= timer.seconds["search index"] < 0.15
    assert 0.05 <= timer.seconds["render"] < 0.1  # its own 0.05 s, not the 0.1 s spent in the other stage
