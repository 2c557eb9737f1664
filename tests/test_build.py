"""The command line and the write stage: exit codes, no half-published site, same bytes every time."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dalawux_site import pipeline

from .conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_exits_0_and_writes_the_site(content, tmp_path):
    out = tmp_path / "out"
    done = run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr
    assert "Byggde" in done.stderr and "5 utbildningar" in done.stderr
    assert (out / "index.html").is_file()


def test_build_is_the_default_command(content, tmp_path):
    done = run("--content", str(content), "--out", str(tmp_path / "out"), "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr


def test_content_error_exits_1_and_leaves_previous_output_untouched(content, tmp_path):
    out = tmp_path / "out"
    assert run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22").returncode == 0
    before = digest(out)
    broken = content / "courses" / "mora" / "timmerhusbyggare-mora.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("pace: 100", "pace: hundra"), encoding="utf-8")
    done = run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert 'content/courses/mora/timmerhusbyggare-mora.yaml:6: fältet "pace"' in done.stderr
    assert done.stderr.rstrip().endswith("Inget byggdes: 1 fel, 0 varningar. " + str(out) + " är orörd. Rätta felen och kör igen.")
    assert digest(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_rebuild_replaces_output_completely(content, tmp_path):
    out = tmp_path / "out"
    pipeline.build(content, out, TODAY)
    (out / "stale.html").write_text("old", encoding="utf-8")
    pipeline.build(content, out, TODAY)
    assert not (out / "stale.html").exists()


def test_check_writes_nothing(content, tmp_path):
    done = run("check", "--content", str(content), "--today", "2026-11-22", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Innehållet är i ordning: 5 utbildningar publiceras. 0 fel, 3 varningar." in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_check_reports_errors_with_exit_1(content):
    (content / "courses" / "mora.yaml").write_text('- name: "Kock\n  location: Mora\n', encoding="utf-8")
    done = run("check", "--content", str(content), "--today", "2026-11-22")
    assert done.returncode == 1
    assert "mora.yaml:1: filen kan inte läsas som YAML: ett citattecken avslutas aldrig" in done.stderr


def test_check_github_format_prints_workflow_commands(content):
    done = run("check", "--content", str(content), "--today", "2026-11-22", "--format", "github", cwd=content.parent)
    lines = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert "::warning file=content/courses/mora/timmerhusbyggare-mora.yaml,line=2::namnet \"Timmerhusbyggare\" finns inte i names.yaml – utbildningen visas med det namnet. Lägg till det som alias under rätt gemensamt namn, eller som ett nytt namn" in lines


def test_wrong_usage_exits_2():
    assert run("build", "--today", "igår").returncode == 2
    assert run("publicera", "--nope").returncode == 2
    done = run("build", "--content", "/finns/inte")
    assert done.returncode == 2 and "finns inte" in done.stderr


def test_base_url_option_changes_absolute_links(content, tmp_path):
    out = tmp_path / "out"
    assert run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22", "--base-url", "https://test.example").returncode == 0
    assert '<link rel="canonical" href="https://test.example/">' in (out / "index.html").read_text(encoding="utf-8")


def test_pages_rendered_on_all_cores_are_the_same_bytes(content, monkeypatch):
    from dalawux_site import render

    serial = pipeline.render(content, TODAY).files
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render, "BATCH", 3)  # many batches, more than are asked for at once
    parallel = pipeline.render(content, TODAY).files
    assert parallel.keys() == serial.keys()
    assert all(parallel[name] == serial[name] for name in serial)


def test_a_page_failing_in_a_worker_fails_the_build_and_leaves_the_site_as_it_was(content, tmp_path, monkeypatch):
    import shutil
    from dalawux_site import render

    out = tmp_path / "out"
    pipeline.build(content, out, TODAY)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    templates = tmp_path / "templates"
    shutil.copytree(pipeline.DEFAULT_OUTPUT.templates, templates)
    course = templates / "course.html"
    course.write_text(course.read_text(encoding="utf-8").replace("{{ course.title }}", "{{ course.no_such_field }}", 1), encoding="utf-8")
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)  # the pages are made in forked workers
    with pytest.raises(Exception, match="no_such_field"):
        pipeline.build(content, out, TODAY, output=dataclasses.replace(pipeline.DEFAULT_OUTPUT, templates=templates))
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left behind


def broken_search_index(catalogue):
    raise RuntimeError("sökindexet gick sönder")


def test_a_failing_search_index_fails_the_build_and_leaves_the_site_as_it_was(content, tmp_path, monkeypatch):
    out = tmp_path / "out"
    pipeline.build(content, out, TODAY)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(pipeline, "finder_parts", broken_search_index)
    with pytest.raises(RuntimeError, match="sökindexet gick sönder"):
        pipeline.build(content, out, TODAY)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left behind


def test_a_failure_of_the_build_tool_is_told_in_swedish_with_exit_3(content, tmp_path, monkeypatch, capsys):
    from dalawux_site import cli

    monkeypatch.setattr(pipeline, "finder_parts", broken_search_index)
    out = tmp_path / "out"
    assert cli.main(["build", "--content", str(content), "--out", str(out), "--today", "2026-11-22"]) == 3
    message = capsys.readouterr().err
    assert ("Bygget avbröts, inte på grund av innehållet: ett fel i byggverktyget "
            "(RuntimeError: sökindexet gick sönder).") in message
    assert f"{out} är orörd" in message and not out.exists()


def _checked_on_all_cores(content, monkeypatch):
    """check() as a large catalogue runs it: the course files in shares, in forked processes."""
    from dalawux_site import parallel

    shares_run = []
    forked_map = parallel.forked_map
    monkeypatch.setattr(parallel, "forked_map", lambda f, shares: shares_run.append(len(shares)) or forked_map(f, shares))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    result = pipeline.check(content, TODAY)
    assert shares_run and shares_run[0] == min(parallel.cores(), 3) > 1  # three course files, shared out
    return result


def test_course_files_checked_on_all_cores_give_the_same_catalogue_and_messages(content, monkeypatch):
    serial = pipeline.check(content, TODAY)
    forked = _checked_on_all_cores(content, monkeypatch)
    assert forked.catalogue == serial.catalogue and serial.catalogue is not None
    assert [d.format() for d in forked.report.sorted()] == [d.format() for d in serial.report.sorted()]
    assert serial.report.warnings  # normalise's warnings come back from the shares too


def test_more_shares_than_cores_all_checked_in_children_give_the_same_catalogue_and_messages(content, monkeypatch):
    """A catalogue of many megabytes is checked in more shares than cores, none in this process
    (which then holds only what they send back): the result is the same as checked in one."""
    from dalawux_site import parallel

    serial = pipeline.check(content, TODAY)
    ran_here = []
    course_files = pipeline._course_files
    monkeypatch.setattr(pipeline, "_course_files", lambda *args: ran_here.append(os.getpid()) or course_files(*args))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(pipeline, "SHARE_BYTES", 1)  # one share per course file
    forked = pipeline.check(content, TODAY)
    assert forked.catalogue == serial.catalogue and serial.catalogue is not None
    assert [d.format() for d in forked.report.sorted()] == [d.format() for d in serial.report.sorted()]
    if parallel.cores() > 1:
        assert os.getpid() not in ran_here  # (the children's calls are not seen here at all)


def test_errors_found_on_all_cores_are_the_same_and_stop_the_build(content, monkeypatch):
    mora = content / "courses" / "mora" / "timmerhusbyggare-mora.yaml"
    falun = content / "courses" / "falun.yaml"
    mora.rename(mora.with_name("samma.yaml"))
    falun.write_text(falun.read_text(encoding="utf-8").replace("- name:", "- id: samma\n  name:", 1), encoding="utf-8")
    hedemora = content / "courses" / "hedemora" / "restaurangbitrade-hedemora.yaml"
    hedemora.write_text(hedemora.read_text(encoding="utf-8").replace("pace: 100", "pace: hundra", 1), encoding="utf-8")
    serial = pipeline.check(content, TODAY)
    forked = _checked_on_all_cores(content, monkeypatch)
    messages = [d.format() for d in serial.report.sorted()]
    assert forked.catalogue is None and serial.catalogue is None
    assert [d.format() for d in forked.report.sorted()] == messages
    assert any("samma utbildning finns redan i" in m and "/utbildningar/samma/" in m for m in messages)  # across files
    assert any('"pace"' in m for m in messages)
    assert not [m for m in messages if "finns inte i names.yaml" in m]  # normalise did not report: nothing was built


@pytest.mark.parametrize("workers", [False, True])
def test_render_writes_only_once_entered_and_hands_its_own_files_to_the_pipeline(content, tmp_path, monkeypatch, workers):
    """pipeline.build orders the work: render_site makes nothing, entering it starts the workers
    (which write the pages), here() gives the files left for the pipeline to write, and written
    names every file the site gets."""
    from dalawux_site import render

    if workers:
        monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    catalogue = pipeline.check(content, TODAY).catalogue
    site = tmp_path / "site"
    site.mkdir()
    rendering = render.render_site(catalogue, pipeline.DEFAULT_OUTPUT, site, search_index=pipeline.finder_parts)
    assert list(site.iterdir()) == []
    with rendering:
        here = rendering.here()
        rendering.wait()
    on_disk = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert "admin/index.html" in here and not (site / "admin" / "index.html").exists()
    assert "index.html" in on_disk and "utbildningar.csv" in on_disk and any(n.startswith("sok/") for n in on_disk)
    assert rendering.written == sorted([*on_disk, *here])
