"""Time each pipeline stage of one in-process build: `python -m bench.stages --content DIR --out DIR --today DATE`.

Prints one JSON object: seconds per stage (null when the stage does not exist), the total and the
number of HTML pages. The build runs through `pipeline.build`, exactly as the command line runs
it; each stage's public function is wrapped with a timer wherever a dalawux_site module refers to
it, so the figures stay right when the pipeline is rearranged or gains a stage (what no stage
accounts for shows up as "other").
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import json
import sys
import time
from pathlib import Path
from typing import Callable

# (stage, module, public functions of that stage; None: every public function the module defines)
# "Class.method" names a method. A stage called within another counts for itself only, not for
# both. The search index (the finder's files) is made in the start page's task: a forked worker's
# on a large site, where this process's timer cannot see it, so it is then timed apart on the same
# catalogue (measure_search_index) and render's figure includes it. The workers write the pages
# and open data they make, so "render" includes writing them (and waiting for the charts, drawn
# in a child forked at the start); "write" is the files this process writes and the staging
# folder's swap.
# The course files go through load, validate and normalise in shares, one per core: the figures
# are this process's (its own share and the shared files); the other shares run meanwhile. A
# catalogue of over pipeline.SHARE_BYTES is checked in more shares, all in children where the
# timer cannot see them: measure() lets it run one share per core, the first here, instead.
STAGES: list[tuple[str, str, tuple[str, ...] | None]] = [
    ("load", "dalawux_site.load", ("load_shared", "course_files", "load_course_files")),
    ("validate", "dalawux_site.validate", ("validate_shared", "validate_course_files", "check_duplicates")),
    ("normalise", "dalawux_site.normalise", ("normalise_shared", "normalise_courses", "assemble")),
    ("render", "dalawux_site.render", ("render_site", "Rendering.__enter__", "Rendering.here", "Rendering.wait")),
    ("render", "dalawux_site.charts", ("Drawing.files",)),
    ("search index", "dalawux_site.finder", ("finder_parts",)),
    ("write", "dalawux_site.write", ("write_site", "write_files", "_swap_into_place")),
]


class StageTimer:
    """Accumulated seconds per stage; nested calls within one stage are counted once, and a stage
    called within another counts for itself only (the outer one's time leaves it out)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float | None] = {}
        self._depth: dict[str, int] = {}
        self._open: list[list] = []  # [stage, seconds of the stages called within it] of the calls under way
        self._patched: list[tuple[object, str, Callable]] = []  # (module, name, original) to restore

    def wrap(self, stage: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            self._depth[stage] = self._depth.get(stage, 0) + 1
            outermost = self._depth[stage] == 1
            if outermost:
                self._open.append([stage, 0.0])
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._depth[stage] -= 1
                if outermost:
                    elapsed = time.perf_counter() - started
                    _, within = self._open.pop()
                    self.seconds[stage] = (self.seconds.get(stage) or 0.0) + elapsed - within
                    if self._open:
                        self._open[-1][1] += elapsed
        timed.__wrapped__ = function
        return timed

    def install(self) -> None:
        """Replace each stage function by its timed version in every loaded dalawux_site module."""
        import dalawux_site.pipeline  # noqa: F401  (loads the modules the pipeline uses)

        for stage, module_name, names in STAGES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                self.seconds[stage] = None  # e.g. the search index before it is part of the build
                continue
            self.seconds.setdefault(stage, 0.0)
            for original in _public_functions(module, names):
                self._patch(original, self.wrap(stage, original))

    def uninstall(self) -> None:
        for module, attr, original in reversed(self._patched):
            setattr(module, attr, original)
        self._patched.clear()

    def _patch(self, original: Callable, timed: Callable) -> None:
        owner = getattr(original, "_owner", None)
        if owner is not None:  # a method: replace it on its class
            self._patched.append((owner, original.__name__, original.function))
            setattr(owner, original.__name__, timed)
            return
        for module in [m for name, m in sys.modules.items() if name.startswith("dalawux_site") and m]:
            for attr, value in list(vars(module).items()):
                if value is original:
                    self._patched.append((module, attr, original))
                    setattr(module, attr, timed)


def _public_functions(module, names: tuple[str, ...] | None) -> list[Callable]:
    if names is not None:
        found = []
        for name in names:
            owner_name, _, method = name.rpartition(".")
            owner = getattr(module, owner_name, None) if owner_name else None
            function = getattr(owner, method, None) if owner is not None else getattr(module, name, None)
            if callable(function):
                if owner is not None:
                    function = _Method(function, owner)
                found.append(function)
        return found
    return [f for n, f in vars(module).items()
            if not n.startswith("_") and inspect.isfunction(f) and f.__module__ == module.__name__]


class _Method:
    """A method to time, with the class it belongs to."""

    def __init__(self, function: Callable, owner: type) -> None:
        self.function, self._owner, self.__name__ = function, owner, function.__name__

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)


def measure_search_index(catalogue) -> float:
    """The search index's files made from the catalogue, as the build's start task makes them (seconds)."""
    from dalawux_site.finder import finder_parts

    started = time.perf_counter()
    finder_parts(catalogue)
    return time.perf_counter() - started


def measure(content: Path, out: Path, today: dt.date) -> dict:
    """One build with every stage timed."""
    timer = StageTimer()
    timer.install()
    from dalawux_site import pipeline

    share_bytes = pipeline.SHARE_BYTES
    pipeline.SHARE_BYTES = sys.maxsize
    try:
        started = time.perf_counter()
        result = pipeline.build(content, out, today)
        total = time.perf_counter() - started
    finally:
        timer.uninstall()
        pipeline.SHARE_BYTES = share_bytes
    errors = len(result.report.errors)
    pages = result.pages
    known = sum(s for s in timer.seconds.values() if s)
    if not timer.seconds.get("search index") and result.catalogue is not None:  # made in a worker, within render
        timer.seconds["search index"] = measure_search_index(result.catalogue)
    return {"stages": timer.seconds, "other": max(total - known, 0.0), "total": total, "pages": pages, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stages")
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.content, args.out, args.today)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
