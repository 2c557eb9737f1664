"""Stage 5, write: put the finished site on disk all at once, or not at all.

The site is written into a fresh folder beside the output folder, then swapped into place, so a
failed build never leaves a half-written site and a visitor never sees a mix of two builds.

Every site written carries a stamp file (STAMP): the output folder is replaced only when it is
missing, empty or stamped by an earlier build, so a mistyped --out never deletes anything else.
The staging folder's name holds the building process's id: a build removes what builds that have
died (killed, or their machine stopped) left beside the output folder.
"""
from __future__ import annotations

import ctypes
import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping

from .parallel import raise_if_stopped, signals_held

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2  # Linux renameat2 flag: swap two paths atomically

STAMP = ".yrkesvux-bygge"
STAMP_TEXT = (
    "Den här mappen är en webbplats som build.py har byggt. Nästa bygge ersätter hela mappen:\n"
    "lägg inget annat här.\n"
).encode("utf-8")


class UnsafeOutput(ValueError):
    """--out names a folder that a build must not replace; the message says why, in Swedish
    ("den innehåller …")."""


def guard_output(out: Path, read: Iterable[Path] = (), repository: Path | None = None) -> str | None:
    """None when out may be replaced by a new site; else the note to show for a folder from
    before the stamp existed (one with the site's own index.html and pagefind/katalog.json).
    Raises UnsafeOutput for anything else: a file, the system's root or a mount point, a folder
    that holds the repository or a folder the build reads (or lies inside one of those), a
    folder with other files."""
    target = out.resolve()
    if out.is_symlink() and not out.exists():
        raise UnsafeOutput("det är en länk som inte leder någonstans")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput("det är en fil, inte en mapp")
    existing = next(folder for folder in (target, *target.parents) if folder.exists())
    if not existing.is_dir():
        raise UnsafeOutput(f"{existing} är en fil, inte en mapp")
    if target == Path(target.anchor) or os.path.ismount(target):
        raise UnsafeOutput("det är en monteringspunkt (en hel disk eller systemets rot), som inte kan ersättas")
    read = [folder.resolve() for folder in read]
    for folder in [*read, *([repository.resolve()] if repository else [])]:
        if folder.is_relative_to(target):
            raise UnsafeOutput(f"den innehåller {folder}")
    for folder in read:
        if target.is_relative_to(folder):
            raise UnsafeOutput(f"den ligger i {folder}, som bygget läser")
    if not target.exists():
        return None
    names = set(os.listdir(target))
    if not names or (target / STAMP).is_file():
        return None
    # A deployment made before the stamp existed is such a folder (those builds all wrote
    # pagefind/katalog.json), and replacing it once is how it gets the stamp.
    if {"index.html", "pagefind"} <= names and (target / "pagefind" / "katalog.json").is_file() and not names & {".git", "content"}:
        return f"{out} saknar märket {STAMP} men ser ut som ett tidigare bygge: den ersätts och får märket nu"
    raise UnsafeOutput("den innehåller filer som inget tidigare bygge har gjort")


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh folder beside out to build the new site in; stamped and swapped into place as out
    when the block ends without an error, removed (leaving out untouched) when it raises. What
    dead builds left beside out is removed first."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out.parent, (f".{out.name}.new-", f".{out.name}.old-"))
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    try:
        yield folder
        raise_if_stopped()  # a stop that came meanwhile is never published
        (folder / STAMP).write_bytes(STAMP_TEXT)
        os.chmod(folder, 0o755)
        with signals_held():
            _swap_into_place(folder, out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


_OWNER = re.compile(r"(\d+)(?:-|$)")
_PID_MAX = 4_194_304  # Linux's highest process id (2**22); mkdtemp's random part has 8 characters


def memory_folder() -> str | None:
    """A folder in memory (tmpfs), when there is one, for files made only to be read and removed
    (the benchmark's builds): 10,000 small files are made there in a tenth of the time a disk
    takes. None: there is none (use the system's temporary folder)."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def remove_leftovers(folder: Path | str | None, prefixes: tuple[str, ...]) -> None:
    """Remove the folders in folder named prefix + process id (+ "-…") whose process has ended:
    what a killed build left. Only this user's folders, and only of processes that are gone."""
    folder = Path(folder or tempfile.gettempdir())
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        prefix = next((p for p in prefixes if entry.name.startswith(p)), None)
        owner = _OWNER.match(entry.name, len(prefix)) if prefix else None
        if owner is None or not 0 < int(owner.group(1)) <= _PID_MAX or int(owner.group(1)) == os.getpid():
            continue  # not named by a process id (mkdtemp's random part can be all digits), or ours
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if entry.is_dir(follow_symlinks=False) and info.st_uid == os.getuid() and not _alive(int(owner.group(1)), info.st_mtime):
            log.info("tar bort %s, som ett avbrutet bygge lämnade", entry.path)
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int, since: float) -> bool:
    """Whether process pid may still be the one that made a folder last changed at `since` (a
    process with that id started later is another one)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process with that id: not ours to judge
    started = _start_time(pid)
    return started is None or started <= since + 1


def _start_time(pid: int) -> float | None:
    """When process pid started, in seconds since the epoch (Linux /proc), else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            ticks = int(file.read().rsplit(b")", 1)[1].split()[19])  # field 22, after the name
        with open("/proc/stat", "rb") as file:
            boot = next(int(line.split()[1]) for line in file if line.startswith(b"btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def write_site(files: Mapping[str, bytes], out: Path) -> None:
    """Write files (site path -> bytes) as the new content of out, atomically."""
    with staging(out) as folder:
        write_files(files, folder)


def write_in_place(files: Mapping[str, bytes], out: Path) -> None:
    """Overwrite a few files of a served site at once (the dev server's quick path only: the full
    rebuild that follows replaces the whole folder atomically as usual)."""
    for name, data in files.items():
        target = out / name
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)  # a reader sees the old page or the new one, never half


def write_files(files: Mapping[str, bytes], root: Path) -> None:
    """Folders first, then the files, in sorted order. Through the os module's calls on plain
    text paths, which take half the time of pathlib's Path objects (docs/performance.md)."""
    base = os.fspath(root)
    names = sorted(files)
    for folder in sorted({os.path.dirname(name) for name in names}):
        _make_folder(os.path.join(base, folder))
    for name in names:
        _write_file(os.path.join(base, name), files[name])


def _make_folder(path: str) -> None:
    try:
        os.mkdir(path)  # its parent usually exists: made just before, in sorted order
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def _write_file(path: str, data: bytes) -> None:
    """Like Path.write_bytes (mode 0o666 less the umask), without a buffered file object."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        remaining = memoryview(data)
        while remaining:
            remaining = remaining[os.write(descriptor, remaining):]
    finally:
        os.close(descriptor)


def write_chunks(chunks: Iterable[bytes], target: Path) -> None:
    """One file written piece by piece, as its pieces are made (a large export never exists whole)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as file:
        for chunk in chunks:
            file.write(chunk)


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):  # out now holds the new site, staging the old one
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.monotonic_ns()}")
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step where the system supports it (Linux renameat2)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library this process runs on
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        log.debug("renameat2 failed (errno %s), falling back to two renames", ctypes.get_errno())
    return result == 0
