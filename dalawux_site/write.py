"""Stage 5, write: put the finished site on disk all at once, or not at all.

The site is written into a fresh folder beside the output folder, then swapped into place, so a
failed build never leaves a half-written site and a visitor never sees a mix of two builds.
"""
from __future__ import annotations

import ctypes
import logging
import os
import shutil
import tempfile
from pathlib import Path
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2  # Linux renameat2 flag: swap two paths atomically


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh folder beside out to build the new site in; swapped into place as out when the
    block ends without an error, removed (leaving out untouched) when it raises."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        yield folder
        os.chmod(folder, 0o755)
        _swap_into_place(folder, out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


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
    text paths: for 10,000 pages, half the time of pathlib's Path objects (0.28 → 0.15 s in memory)."""
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
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
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
