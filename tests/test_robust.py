"""What no content, a careless --out, a killed build or a broken tool must not break."""
from __future__ import annotations

import datetime as dt
import os
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dalawux_site import pipeline
from dalawux_site.write import STAMP, STAMP_TEXT, UnsafeOutput, guard_output

from .conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
NOTHING_OPEN = dt.date(2030, 1, 1)  # after the last application day of every intake, bundled and sample


def run(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def soup(out: Path, url: str) -> BeautifulSoup:
    rel = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


# --- a catalogue with no open course ------------------------------------------------------------

def test_the_day_no_course_is_open_the_whole_site_builds_and_says_so(tmp_path):
    out = tmp_path / "out"
    done = run("build", "--content", str(ROOT / "content"), "--out", str(out), "--today", NOTHING_OPEN.isoformat())
    assert done.returncode == 0, done.stderr
    assert "med 0 utbildningar" in done.stderr
    start = soup(out, "/")
    notice = start.select_one("[data-empty-catalogue]")
    assert "Just nu går ingen utbildning att söka" in words(notice)
    assert notice.select_one('a[href="mailto:dalawuxkontakt@borlange.se"]') is not None
    assert notice.select_one('a[href="/kontakt/"]') is not None
    assert start.select(".course-card") == []
    assert start.select('nav ul:not(:has(li))') == []  # no empty list of areas or municipalities
    # The search index exists and knows no course and no word: a search loads and finds nothing.
    form = start.select_one("form[data-finder]")
    assert form["data-total"] == "0" and json.loads((out / form["data-sok"].strip("/") / "ord.json").read_bytes()) == []
    assert not (out / "pagefind").exists()
    assert "eftersom ingen utbildning går att söka just nu" in words(start.select_one("[data-no-results]"))
    for municipality in ("mora", "falun"):
        page = soup(out, f"/kommuner/{municipality}/")
        text = words(page.select_one(".course-main"))
        assert "Just nu går ingen utbildning att söka" in text and "dalawuxkontakt@borlange.se" in text
    area = soup(out, "/omraden/vard-omsorg/")
    assert "Just nu finns inga utbildningar att söka inom vård och omsorg" in words(area.select_one("main"))
    assert area.select_one('main a[href="mailto:dalawuxkontakt@borlange.se"]') is not None
    # The open data say the same: empty, and well-formed.
    assert json.loads((out / "utbildningar.json").read_text(encoding="utf-8")) == []
    assert (out / "utbildningar.csv").read_text(encoding="utf-8-sig").count("\n") == 1  # the header only


def test_a_municipality_without_courses_and_an_empty_course_folder_build(content, tmp_path):
    (content / "courses" / "mora" / "timmerhusbyggare-mora.yaml").unlink()  # Mora's folder is left empty
    (content / "courses" / "leksand").mkdir()  # a municipality's folder with no course file yet
    result = pipeline.build(content, tmp_path / "out", TODAY)
    assert result.written is not None, [d.format() for d in result.report.errors]
    mora = soup(tmp_path / "out", "/kommuner/mora/")
    assert "Just nu finns inga utbildningar att söka hos Mora" in words(mora.select_one(".course-main"))
    assert soup(tmp_path / "out", "/").select(".course-card")  # the others are still listed


# --- --out: only a missing or empty folder, or one a build made --------------------------------

def _tree(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A copy of what --out must never replace: a folder with content/, a note and a sub-folder."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "sample" / "content", repo / "content")
    (repo / "notes.txt").write_text("anteckningar\n", encoding="utf-8")
    (repo / "sub").mkdir()
    (repo / "other").mkdir()
    (repo / "other" / "x.html").write_text("<p>någon annans</p>", encoding="utf-8")
    return repo


@pytest.mark.parametrize("out, cwd", [
    (".", "."), ("content", "."), ("content/courses", "."), ("content/pages/nytt", "."), ("notes.txt", "."), ("notes.txt/site", "."),
    ("..", "sub"), ("other", "."), ("/", "."),
])
def test_out_refuses_what_a_build_must_not_replace_and_touches_nothing(repository, out, cwd):
    before = _tree(repository.parent)
    done = run("build", "--content", str(repository / "content"), "--out", out, "--today", "2026-11-22", cwd=repository / cwd)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    line = done.stderr.strip()
    assert line.startswith(f"build.py: --out {out} kan inte användas: ") and line.endswith("Ingenting har ändrats.") and "\n" not in line
    assert _tree(repository.parent) == before


def test_out_refuses_the_repository_the_templates_and_mount_points():
    read = (ROOT / "content", ROOT / "templates", ROOT / "assets", ROOT / "vendor")
    for out in (ROOT, ROOT / "templates", ROOT / "templates" / "x", ROOT.parent, Path("/"), Path("/proc")):
        with pytest.raises(UnsafeOutput):
            guard_output(out, read, repository=ROOT)
    assert guard_output(ROOT / "_site-test-that-does-not-exist", read, repository=ROOT) is None  # inside the repository is fine


def test_out_accepts_a_missing_or_empty_folder_and_a_previous_build(content, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "new" / "site", empty):
        done = run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22")
        assert done.returncode == 0, done.stderr
        assert (out / STAMP).read_bytes() == STAMP_TEXT
    again = run("build", "--content", str(content), "--out", str(empty), "--today", "2026-11-22")
    assert again.returncode == 0 and "saknar märket" not in again.stderr


def test_out_from_before_the_stamp_is_replaced_once_with_a_note(content, tmp_path):
    out = tmp_path / "_site"
    assert run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22").returncode == 0
    (out / STAMP).unlink()  # as every _site built before the stamp existed, each with its search index here
    (out / "pagefind").mkdir()
    (out / "pagefind" / "katalog.json").write_text('{"pages":{},"words":[]}', encoding="utf-8")
    done = run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr
    assert f"{out} saknar märket {STAMP} men ser ut som ett tidigare bygge: den ersätts och får märket nu" in done.stderr
    assert (out / STAMP).is_file() and not (out / "pagefind").exists()
    (out / STAMP).unlink()  # no stamp and no pagefind/katalog.json: not recognisably ours
    assert run("build", "--content", str(content), "--out", str(out), "--today", "2026-11-22").returncode == 2


# --- a killed build ----------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """Every process started by pid, and by those, as Linux lists them."""
    found, todo = [], [pid]
    while todo:
        for tasks in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            try:
                kids = [int(k) for k in tasks.read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its parent has not yet looked


def _staging(out: Path, pid: int) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.new-{pid}-*"))


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the build never got there"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[Path, Path, dict]:
    """Just enough courses that the checks run in forked shares and the pages in workers, built
    once as the previous site."""
    from bench.generate import generate

    folder = tmp_path_factory.mktemp("large")
    generate(folder / "content", 900, TODAY)
    course_bytes = sum(path.stat().st_size for path in (folder / "content" / "courses").rglob("*.yaml"))
    assert course_bytes >= pipeline.PARALLEL_FROM_BYTES  # else no share is forked and "checking" never comes
    out = folder / "_site"
    assert run("build", "--content", str(folder / "content"), "--out", str(out), "--today", TODAY.isoformat()).returncode == 0
    return folder / "content", out, _tree(out)


def _start(content: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out), "--today", TODAY.isoformat()],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


MOMENTS = {
    "starting": lambda build, out: True,  # Python may not even have read build.py yet
    "checking": lambda build, out: bool(_children(build.pid)) and not _staging(out, build.pid),
    "rendering": lambda build, out: bool(_staging(out, build.pid)) and len(_children(build.pid)) >= 2,
}


@pytest.mark.parametrize("signum, moment", [
    (signal.SIGINT, "starting"), (signal.SIGTERM, "checking"), (signal.SIGTERM, "rendering"), (signal.SIGINT, "rendering"),
])
def test_a_stopped_build_cleans_up_and_leaves_the_previous_site(large, signum, moment):
    content, out, before = large
    build = _start(content, out)
    _wait_for(lambda: MOMENTS[moment](build, out) or build.poll() is not None)
    assert build.poll() is None, "the build ended before it could be stopped"
    helpers = _children(build.pid)
    build.send_signal(signum)
    _, stderr = build.communicate(timeout=60)
    if moment == "starting" and build.returncode == -signum:
        pass  # stopped before the command line started: as any Python program, and nothing made yet
    else:
        assert build.returncode == 128 + signum, stderr
        assert "Traceback" not in stderr and stderr.strip().endswith(f"Avbrutet ({signal.Signals(signum).name}). {out} är som före bygget.")
    _wait_for(lambda: not any(_running(p) for p in helpers), seconds=10)
    assert _staging(out, build.pid) == []
    assert _tree(out) == before


@pytest.mark.parametrize("moment, helpers_at_least", [("checking", 1), ("rendering", 3)])
def test_a_killed_build_leaves_the_previous_site_no_process_and_the_next_build_cleans_up(large, moment, helpers_at_least):
    content, out, before = large
    build = _start(content, out)
    _wait_for(lambda: MOMENTS[moment](build, out) and len(_children(build.pid)) >= helpers_at_least or build.poll() is not None)
    helpers = _children(build.pid)
    assert build.poll() is None and len(helpers) >= helpers_at_least  # the forked checks, or the page workers and the charts' child
    build.kill()
    build.communicate(timeout=30)
    _wait_for(lambda: not any(_running(p) for p in helpers), seconds=10)  # they ended with it
    left = _staging(out, build.pid)
    assert _tree(out) == before
    assert left or moment == "checking"  # SIGKILL gives no time to clean up: the next build does
    done = run("build", "--content", str(content), "--out", str(out), "--today", TODAY.isoformat())
    assert done.returncode == 0, done.stderr
    assert not any(path.exists() for path in left)
    assert _tree(out) == before  # the same content, the same site


# --- failures that are not the content's: exit 3, one Swedish line ------------------------------

@pytest.fixture
def small_disk(tmp_path: Path):
    """A 512 kB disk of its own (tmpfs), where the system lets this test mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(disk)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small disk here")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if not line.startswith(("content/", "    ")) and "varning" not in line]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_full_disk_exits_3_in_one_line_and_a_mount_point_is_refused(content, small_disk):
    done = run("build", "--content", str(content), "--out", str(small_disk / "site"), "--today", "2026-11-22")
    assert done.returncode == 3
    assert _one_line(done.stderr) == (
        f"Bygget avbröts, inte på grund av innehållet: disken är full. {small_disk / 'site'} är orörd. Rätta det och kör "
        "igen; händer det igen, skicka meddelandet (mer detaljer med --debug) till den som sköter webbplatsen."
    )
    assert sorted(p.name for p in small_disk.iterdir()) == []  # the staging folder went too
    debug = run("build", "--content", str(content), "--out", str(small_disk / "site"), "--today", "2026-11-22", "--debug")
    assert debug.returncode == 3 and "Traceback" in debug.stderr and "OSError: [Errno 28]" in debug.stderr
    refused = run("build", "--content", str(content), "--out", str(small_disk), "--today", "2026-11-22")
    assert refused.returncode == 2 and "det är en monteringspunkt" in refused.stderr


def test_an_unreadable_file_of_the_build_exits_3_naming_it(content, tmp_path, monkeypatch, capsys):
    """A file of the build itself (an asset, a template); an unreadable content file is a content
    error that names it (load.py)."""
    from dalawux_site import cli

    unreadable = (ROOT / "assets" / "css" / "site.css").resolve()
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.resolve() == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root reads every file: a chmod would not do
    assert cli.main(["build", "--content", str(content), "--out", str(tmp_path / "out"), "--today", "2026-11-22"]) == 3
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"Bygget avbröts, inte på grund av innehållet: behörighet saknas ({unreadable}).")
    assert not (tmp_path / "out").exists()


def test_a_fault_of_the_build_exits_3_without_traceback(content, tmp_path, monkeypatch, capsys):
    from dalawux_site import cli, render

    monkeypatch.setattr(render, "date_sv", lambda day: {}["a template filter with a fault"])
    assert cli.main(["check", "--content", str(content), "--today", "2026-11-22"]) == 0  # check renders nothing
    capsys.readouterr()
    assert cli.main(["build", "--content", str(content), "--out", str(tmp_path / "out"), "--today", "2026-11-22"]) == 3
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("Bygget avbröts, inte på grund av innehållet: ett fel i byggverktyget (KeyError: 'a template filter with a fault').")


def test_serve_on_a_busy_port_exits_3_at_once(content):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = run("serve", "--content", str(content), "--port", str(taken.getsockname()[1]), timeout=30)
    assert done.returncode == 3
    assert _one_line(done.stderr).startswith("Förhandsvisningen stannade, inte på grund av innehållet: porten används redan av ett annat program – välj en annan med --port.")
    assert run("serve", "--port", "0").returncode == 2


def test_only_folders_of_ended_processes_are_removed(tmp_path):
    from dalawux_site.write import remove_leftovers

    ended = subprocess.Popen(["true"])
    ended.wait()
    running = subprocess.Popen(["sleep", "30"])
    try:
        folders = {
            "dead": tmp_path / f"yrkesvux-render-{ended.pid}-abc",
            "alive": tmp_path / f"yrkesvux-render-{running.pid}-abc",
            "reused": tmp_path / f"yrkesvux-render-{running.pid}-old",  # made long before that process started
            "random": tmp_path / "yrkesvux-render-k3j_9xq1",
            "digits": tmp_path / "yrkesvux-render-12345678",  # mkdtemp's random part, all digits
            "other": tmp_path / f"annat-{ended.pid}-abc",
        }
        for folder in folders.values():
            (folder / "site").mkdir(parents=True)
        os.utime(folders["reused"], (time.time() - 3600, time.time() - 3600))
        (tmp_path / f"yrkesvux-render-{ended.pid}-file").write_text("")  # a file, not a folder of ours
        remove_leftovers(tmp_path, ("yrkesvux-render-",))
        assert {name for name, folder in folders.items() if not folder.exists()} == {"dead", "reused"}
        assert (tmp_path / f"yrkesvux-render-{ended.pid}-file").exists()
    finally:
        running.kill()
        running.wait()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the lost exception, printed
def test_a_stop_whose_exception_is_lost_still_publishes_nothing(content, tmp_path, monkeypatch, capsys):
    """A signal's handler runs in whatever Python code runs then: in a __del__, its exception
    is only printed. The build must still stop before it publishes anything."""
    from dalawux_site import cli, render

    out = tmp_path / "out"
    assert cli.main(["build", "--content", str(content), "--out", str(out), "--today", "2026-11-22"]) == 0
    before = _tree(out)

    class StoppedInDel:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)  # Interrupted is raised here, and lost
            sum(range(1000))  # Python code, in which the handler runs

    course = content / "courses" / "mora" / "timmerhusbyggare-mora.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace("gamla och nya verktyg", "yxa och kniv"), encoding="utf-8")
    render_page = render.render_page
    monkeypatch.setattr(render, "render_page", lambda env, page: (StoppedInDel(), render_page(env, page))[1])
    assert cli.main(["build", "--content", str(content), "--out", str(out), "--today", "2026-11-22"]) == 128 + signal.SIGTERM
    assert capsys.readouterr().err.strip().endswith(f"Avbrutet (SIGTERM). {out} är som före bygget.")
    assert _tree(out) == before and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # as it was before
