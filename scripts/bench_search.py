"""How fast the start page's search and filters answer on a catalogue of 1,000 courses (`make bench-search`).

Generates N synthetic courses with the benchmark's generator (bench/generate.py: the real content
format, one file per course), builds the site with the real pipeline, serves it on 127.0.0.1 and
types queries into the search box in Debian's Chromium. Each measurement runs from the last
keystroke's input event to the results being in the page (and to the next frame being painted),
with performance.now() in the page.

    python scripts/bench_search.py [--courses 1000] [--rounds 5] [--keep DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from dalawux_site import pipeline  # noqa: E402
from dalawux_site.finder import PARTS_FOLDER  # noqa: E402
from dalawux_site.static_server import serve_folder  # noqa: E402

TODAY = dt.date(2026, 11, 22)
CHROMIUM = "/usr/bin/chromium"
QUERIES = ["undersköterska", "svets", "köksbiträde", "mora", "truck", "lärling", "storkök", "elektriker", "astronaut", "kock borlänge"]

# Set up in the page before anything else: time every input event, and the moment the finder
# has shown the results for the newest one (it sets aria-busy="false" after rendering).
PROBE = """
window.__bench = {lastInput: 0, done: []};
document.addEventListener('input', () => { window.__bench.lastInput = performance.now(); }, true);
document.addEventListener('DOMContentLoaded', () => {
  const form = document.querySelector('[data-finder]');
  new MutationObserver(() => {
    if (form.getAttribute('aria-busy') !== 'false') return;
    const rendered = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.__bench.done.push({input: window.__bench.lastInput, rendered, painted: performance.now()});
    }));
  }).observe(form, {attributes: true, attributeFilter: ['aria-busy']});
});
"""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        content = work / "content"
        generate.generate(content, args.courses, TODAY)
        site = build(content, work / "_site")
        report_weight(site)
        rendered, painted, cold, filters = measure(site, args.rounds)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"first search (the word list loads when the box gets focus): {cold:.1f} ms")
    print(f"last keystroke → results in the page: {_summary(rendered)}")
    print(f"last keystroke → next frame painted:  {_summary(painted)}")
    print(f"filter change → results in the page:  {_summary(filters)}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="times each query is typed")
    parser.add_argument("--keep", help="build in this folder and keep it")
    return parser


# --- build, weigh, measure --------------------------------------------------------------------

def build(content: Path, out: Path) -> Path:
    started = time.perf_counter()
    result = pipeline.build(content, out, TODAY)
    if result.written is None:
        raise SystemExit("\n".join(d.format() for d in result.report.errors))
    index = len([f for f in result.written if f.startswith(f"{PARTS_FOLDER}/")])
    print(f"built {len(result.catalogue.courses)} courses ({index} search index files) in {time.perf_counter() - started:.1f} s")
    return out


def report_weight(site: Path) -> None:
    html = (site / "index.html").read_bytes()
    assets = set(re.findall(rb'(?:src|href)="/(assets/[^"]+)"', html))
    total = len(gzip.compress(html, 9)) + sum(len(gzip.compress((site / a.decode()).read_bytes(), 9)) for a in assets)
    print(f"start page with its CSS, JS and logo: {total / 1000:.1f} kB gzip (HTML alone {len(gzip.compress(html, 9)) / 1000:.1f} kB)")


FILTERS = [("Kommun", "falun"), ("Område", "vard-omsorg"), ("Studietakt", "100"), ("Område", ""), ("Kommun", "")]


def measure(site: Path, rounds: int) -> tuple[list[float], list[float], float, list[float]]:
    server, url = serve_folder(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.add_init_script(PROBE)
            page.goto(url + "/")
            cold = _type(page, "svetsare")
            rendered, painted = [], []
            for round_ in range(rounds):
                for query in QUERIES:
                    sample = _type(page, query, full=True)
                    rendered.append(sample[0])
                    painted.append(sample[1])
                    if round_ == 0:
                        print(f"  {query!r}: {page.text_content('[data-result-count]')}")
            filters = []
            page.get_by_label("Sök på yrke eller utbildning", exact=True).fill("")
            for round_ in range(rounds):
                for label, value in FILTERS:
                    filters.append(_choose(page, label, value))
                    if round_ == 0:
                        print(f"  {label} = {value!r}: {page.text_content('[data-result-count]')}")
            browser.close()
    finally:
        server.shutdown()
    return rendered, painted, cold, filters


def _choose(page: Page, label: str, value: str) -> float:
    """ms from choosing value in the filter to the results being in the page."""
    page.wait_for_timeout(150)
    page.evaluate("window.__bench.done = []")
    page.get_by_label(label, exact=True).select_option(value)
    page.wait_for_function("() => window.__bench.done.some(d => d.input === window.__bench.lastInput)", timeout=15000)
    last = page.evaluate("window.__bench.done.filter(d => d.input === window.__bench.lastInput)[0]")
    return last["rendered"] - last["input"]


def _type(page: Page, query: str, full: bool = False):
    box = page.get_by_label("Sök på yrke eller utbildning", exact=True)
    box.fill("")
    page.wait_for_timeout(150)
    page.evaluate("window.__bench.done = []")
    box.press_sequentially(query, delay=60)  # about as fast as a quick typist
    page.wait_for_function(
        "() => window.__bench.done.some(d => d.input === window.__bench.lastInput)", timeout=15000
    )
    last = page.evaluate("window.__bench.done.filter(d => d.input === window.__bench.lastInput)[0]")
    rendered, painted = last["rendered"] - last["input"], last["painted"] - last["input"]
    return (rendered, painted) if full else rendered


def _summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (n={len(ordered)})"


if __name__ == "__main__":
    raise SystemExit(main())
