"""How long `check` takes on hostile Markdown of 0.1, 0.4 and 1.6 MB: the time should grow about
as the size does (4x the text, about 4x the time), never as its square.

    make bench-markup            # or: .venv/bin/python scripts/bench_markup.py [--repeat 3]

Each shape is written into a copy of the test sample's content, as the body of one page or as the
descriptions of one municipality's courses (a description may hold 20,000 characters), and checked
in this process like `python build.py check` does. The best of --repeat runs is shown, in seconds
of processor time (this process and the workers it forks): on a shared machine the wall clock
also counts the time others had the processor.
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dalawux_site import pipeline  # noqa: E402

SAMPLE = ROOT / "tests" / "sample" / "content"
TODAY = dt.date(2026, 11, 22)
SIZES_MB = (0.1, 0.4, 1.6)
PAGE_SHAPES = {
    "x <b>y</b> per rad": "x <b>y</b>\n",
    "> (citat i citat)": ">",
    "1. (lista i lista)": "1. ",
    "<div> utan slut": "<div>",
    "<ul><li> utan slut": "<ul><li>",
    "[länk](//evil) per rad": "[x](//evil.example/p)\n",
    "< och &": "< & ",
    "**fet *kursiv": "**fet *kursiv ",
}
COURSE = """- name: Svetsare
  id: svets-{i}
  location: Avesta
  area: industri
  study_forms: [plats]
  pace: 100
  weeks: 20
  intakes:
    - start: 2027-02-01
      apply_by: 2026-12-01
  description: "{text}"
"""


def _page(unit: str, size: int) -> dict[str, str]:
    body = unit * (size // len(unit.encode("utf-8")))
    return {"pages/bench.md": f"---\ntitle: Bench\n---\n{body}\n"}


def _courses(size: int) -> dict[str, str]:
    """Courses whose description is 20,000 ">" (the longest a description may be)."""
    count = max(1, size // 20_000)
    return {"courses/avesta.yaml": "".join(COURSE.format(i=i, text=">" * 20_000) for i in range(count))}


def _seconds(files: dict[str, str], repeat: int) -> float:
    best = float("inf")
    with tempfile.TemporaryDirectory(prefix="bench-markup-") as folder:
        content = Path(folder) / "content"
        shutil.copytree(SAMPLE, content)
        for rel, text in files.items():
            (content / rel).write_text(text, encoding="utf-8")
        for _ in range(repeat):
            started = _cpu()
            result = pipeline.check(content, TODAY)
            best = min(best, _cpu() - started)
            assert not [d for d in result.report.errors if "bench" in d.file], result.report.errors[:3]
    return best


def _cpu() -> float:
    """Processor seconds of this process and of its finished children (the forked workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best is shown (default 3)")
    args = parser.parse_args()
    empty = _seconds({}, args.repeat)
    print(f"check of the sample content alone: {empty:.3f} s of processor time (subtracted below)")
    header = "".join(f"{f'{mb} MB':>10}" for mb in SIZES_MB)
    print(f"{'shape':<32}{header}{'1.6/0.4':>10}")
    shapes = {f"sida: {name}": (lambda size, unit=unit: _page(unit, size)) for name, unit in PAGE_SHAPES.items()}
    shapes["kurser: 20 000 > per beskrivning"] = _courses
    for name, make in shapes.items():
        times = [max(0.0, _seconds(make(int(mb * 1_000_000)), args.repeat) - empty) for mb in SIZES_MB]
        ratio = times[2] / times[1] if times[1] > 0.001 else float("nan")
        print(f"{name:<32}" + "".join(f"{t:>8.3f} s" for t in times) + f"{ratio:>10.1f}", flush=True)
    print("Linear growth: about 4 from 0.4 to 1.6 MB (quadratic would be 16).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
