"""The dev server's rebuilds: the quick path shows an edit at once, and the full rebuild after it
leaves exactly what a clean build gives."""
from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dalawux_site import pipeline
from dalawux_site.serve import Rebuilder

from .conftest import TODAY

BASE = "http://127.0.0.1:8000"
ROOT = Path(__file__).resolve().parent.parent


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def _quick_then_full(content: Path, tmp_path: Path, file: str, old: str, new: str, page: str, shown: str) -> None:
    """Edit one course: the quick path rewrites only its page, then the full rebuild equals a clean build."""
    served = tmp_path / "served" / "site"
    rebuild = Rebuilder(content, served, TODAY, BASE)
    assert rebuild()
    before = _digest(served)
    _edit(content / "courses" / file, old, new)

    assert rebuild.quick(rebuild.changed())
    after_quick = _digest(served)
    assert {name for name in before if before[name] != after_quick[name]} == {page}
    assert shown in (served / page).read_text(encoding="utf-8")

    assert rebuild()
    clean = tmp_path / "clean"
    pipeline.build(content, clean, TODAY, BASE)
    assert _digest(served) == _digest(clean)


def test_quick_path_writes_only_the_edited_course_then_full_rebuild_equals_a_clean_build(content, tmp_path):
    _quick_then_full(content, tmp_path, "falun.yaml", "Du lär dig att svetsa.", "Du lär dig att svetsa med MIG och TIG.",
                     "utbildningar/svetsare-falun/index.html", "MIG och TIG")


def test_quick_path_shows_a_saved_per_course_file_then_full_rebuild_equals_a_clean_build(content, tmp_path):
    # The file name is the address: a new name keeps the page.
    _quick_then_full(content, tmp_path, "mora/timmerhusbyggare-mora.yaml", "name: Timmerhusbyggare",
                     "name: Timmerhusbyggare, knuttimring", "utbildningar/timmerhusbyggare-mora/index.html", "knuttimring")


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


def test_every_change_of_the_content_is_noticed_not_only_newer_times(content, tmp_path):
    rebuild = Rebuilder(content, tmp_path / "site", TODAY, BASE)
    mora = (content / "courses" / "mora" / "timmerhusbyggare-mora.yaml").resolve()
    backup = tmp_path / "timmerhusbyggare-mora.yaml.bak"
    shutil.copy2(mora, backup)  # the same modification time as mora.yaml
    assert rebuild.changed() == []

    _edit(mora, "pace: 100", "pace: 50")
    assert rebuild.changed() == [mora]
    os.replace(backup, mora)  # mv back: the old text with its old, earlier modification time
    assert rebuild.changed() == [mora]

    stat = mora.stat()
    _edit(mora, "pace: 100", "pace: 080")  # the same size...
    os.utime(mora, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # ...and the old time put back, as cp -p does
    assert mora.stat().st_size == stat.st_size and mora.stat().st_mtime_ns == stat.st_mtime_ns
    assert rebuild.changed() == [mora]

    subprocess.run(["cp", "-p", str(content / "courses" / "falun.yaml"), str(tmp_path / "old.yaml")], check=True)
    subprocess.run(["cp", "-p", str(tmp_path / "old.yaml"), str(content / "courses" / "falun.yaml")], check=True)
    assert rebuild.changed() == [(content / "courses" / "falun.yaml").resolve()]

    renamed = mora.with_name("timmerhusbyggare-mora-ny.yaml")
    mora.rename(renamed)
    assert rebuild.changed() == sorted([mora, renamed])
    renamed.unlink()
    assert rebuild.changed() == [renamed]
    added = content / "pages" / "ny.md"
    added.write_text("---\ntitle: Ny\n---\nText\n", encoding="utf-8")
    os.utime(added, (0, 0))  # a new file dated 1970 counts too
    assert rebuild.changed() == [added.resolve()]


def test_serve_answers_only_its_own_host_and_removes_its_folder_when_stopped(content):
    for stop in (signal.SIGTERM, signal.SIGINT):
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", str(port), "--today", "2026-11-22"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            assert _status(port, f"127.0.0.1:{port}") == 200
            assert _status(port, f"localhost:{port}") == 200
            assert _status(port, f"LOCALHOST:{port}", "/livereload.js") == 200
            for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1", f"rebind.127.0.0.1.nip.io:{port}"):
                assert _status(port, host) == 421, host
                assert _status(port, host, "/livereload.js") == 421, host
            assert _reload_socket(port, f"http://127.0.0.1:{port}") == 101
            assert _reload_socket(port, f"http://localhost:{port}") == 101
            assert _reload_socket(port, "http://evil.example") == 403  # a page elsewhere cannot listen in
            folders = list(Path(tempfile.gettempdir()).glob(f"yrkesvux-serve-{server.pid}-*"))
            assert len(folders) == 1 and (folders[0] / "site" / "index.html").is_file()
        finally:
            server.send_signal(stop)
            _, stderr = server.communicate(timeout=30)
        assert "Traceback" not in stderr
        assert not folders[0].exists()


def test_serve_removes_the_folder_a_killed_server_left(content):
    port = _free_port()
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", str(port), "--today", "2026-11-22"]
    killed = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _status(port, f"127.0.0.1:{port}") == 200
    killed.kill()
    killed.wait()
    left = list(Path(tempfile.gettempdir()).glob(f"yrkesvux-serve-{killed.pid}-*"))
    assert len(left) == 1
    second = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _status(port, f"127.0.0.1:{port}") == 200
        assert not left[0].exists()
    finally:
        second.terminate()
        second.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(port: int, host: str, path: str = "/", seconds: float = 60) -> int:
    """The status of GET path with this Host header, once the server answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"Host": host})
            return connection.getresponse().status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _reload_socket(port: int, origin: str) -> int:
    """The status of opening the live-reload WebSocket from a page at origin."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/livereload", headers={
        "Host": f"127.0.0.1:{port}", "Origin": origin, "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
    })
    status = connection.getresponse().status
    connection.close()
    return status
