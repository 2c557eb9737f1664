"""How fast the start page's search and filters answer on a catalogue of 1,000 courses (`make bench-search`).

Generates N synthetic courses in the real content format (content/ with its municipalities, areas,
names and periods; each course a canonical name or one of its aliases, at a real town), builds
the site with the real pipeline, serves it on 127.0.0.1 and types queries into the search box in
Debian's Chromium. Each measurement runs from the last keystroke's input event to the results
being in the page (and to the next frame being painted), with performance.now() in the page.

    python scripts/bench_search.py [--courses 1000] [--rounds 5] [--keep DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dalawux_site import pipeline  # noqa: E402
from dalawux_site.static_server import serve_folder  # noqa: E402

TODAY = dt.date(2026, 11, 22)
CHROMIUM = "/usr/bin/chromium"
QUERIES = ["undersköterska", "svets", "köksbiträde", "mora", "truck", "lärling", "storkök", "elektriker", "astronaut", "kock borlänge"]
PERIODS = ["start-mar-2027", "start-aug-2027", "start-okt-2027"]

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
        content = make_content(work / "content", args.courses, random.Random(4))
        site = build(content, work / "_site")
        report_weight(site)
        rendered, painted, cold, filters = measure(site, args.rounds)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"first search (Pagefind loads when the box gets focus): {cold:.1f} ms")
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


# --- the catalogue ----------------------------------------------------------------------------

def make_content(target: Path, count: int, rng: random.Random) -> Path:
    """content/ with its courses replaced by count synthetic ones, spread over the municipalities."""
    shutil.copytree(ROOT / "content", target, dirs_exist_ok=True)
    shutil.rmtree(target / "courses")
    (target / "courses").mkdir()
    names = yaml.safe_load((target / "names.yaml").read_text(encoding="utf-8"))
    towns = _towns_by_provider(ROOT / "content" / "courses")
    providers = sorted(towns)
    by_provider: dict[str, list[dict]] = {p: [] for p in providers}
    for n in range(count):
        provider = providers[n % len(providers)]
        by_provider[provider].append(_course(n, rng.choice(names), rng.choice(towns[provider]), rng))
    for provider, courses in by_provider.items():  # one file per course: a list of thousands would pass the size limit
        folder = target / "courses" / provider
        folder.mkdir()
        for course in courses:
            name = course.pop("id")
            (folder / f"{name}.yaml").write_text(yaml.safe_dump(course, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _towns_by_provider(folder: Path) -> dict[str, list[str]]:
    found = {}
    for file in sorted(folder.glob("*.yaml")):  # a municipality's list file
        courses = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        found.setdefault(file.stem, set()).update(c["location"] for c in courses)
    for file in sorted(folder.glob("*/*.yaml")):  # one course's file, in its municipality's folder
        found.setdefault(file.parent.name, set()).add(yaml.safe_load(file.read_text(encoding="utf-8"))["location"])
    return {provider: sorted(towns) for provider, towns in found.items()}


def _course(n: int, entry: dict, town: str, rng: random.Random) -> dict:
    name = rng.choice([entry["name"]] + entry.get("aliases", []))
    forms = rng.choice([["plats"], ["plats"], ["plats", "flex"], ["distans"], ["larling"], ["distans", "flex"]])
    return {
        "id": f"{re.sub(r'[^a-z0-9]+', '-', entry['name'].lower().translate(str.maketrans('åäöé', 'aaoe'))).strip('-')}-{n:04d}",
        "name": name,
        "location": "Dalarna" if forms[0] in ("distans", "larling") else town,
        "area": entry["area"],
        "study_forms": forms,
        "pace": rng.choice([100, 100, 100, 75, 50]),
        "weeks": rng.choice([10, 20, 30, 40, 60]),
        "intakes": [{"start": _period_start(p), "period": p} for p in sorted(rng.sample(PERIODS, rng.choice([1, 2])))],
        "description": _description(entry["name"], town, rng),
    }


def _period_start(period: str) -> dt.date:
    return {"start-mar-2027": dt.date(2027, 3, 15), "start-aug-2027": dt.date(2027, 8, 16), "start-okt-2027": dt.date(2027, 10, 18)}[period]


def _description(name: str, town: str, rng: random.Random) -> str:
    work = rng.choice(["på ett företag", "på en arbetsplats", "i skolans lokaler", "hos en handledare"])
    return (
        f"Du lär dig det du behöver för att arbeta som {name.lower()}. Du får både teori och praktik.\n\n"
        f"Du gör APL {work} i {town}. Det betyder att du lär dig på en riktig arbetsplats.\n\n"
        f"Efter utbildningen kan du söka jobb som {name.lower()}."
    )


# --- build, weigh, measure --------------------------------------------------------------------

def build(content: Path, out: Path) -> Path:
    started = time.perf_counter()
    result = pipeline.build(content, out, TODAY)
    if result.written is None:
        raise SystemExit("\n".join(d.format() for d in result.report.errors))
    index = len([f for f in result.written if f.startswith("pagefind/")])
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
