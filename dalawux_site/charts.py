"""/utbudet/ as files: its page, its charts (static SVG drawn with matplotlib at build time) and
its CSV, all from one `figures.Figures`.

Each chart is a file of its own that the page shows with <img> (its alt text is the SVG's
<title>): matplotlib numbers the parts of a drawing from 1 in every file, so two drawings inline
in one page would share ids. The files are the same bytes on every build: the style is
matplotlib's defaults plus ours (no matplotlibrc of the machine counts), the ids are salted with
a constant and no date is written. Text stays text (svg.fonttype "none"), measured with the
DejaVu Sans that matplotlib ships.
"""
from __future__ import annotations

import contextlib
import io
import itertools
import math
import multiprocessing
import sys
from multiprocessing.connection import Connection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from . import parallel
from .exports import FileGroup
from .figures import CSV_PATH, NEAR_KM, PAGE_PATH, TOTAL, Charted, Figures, Table, charted, csv_bytes, figures
from .model import Catalogue
from .swedish import pace_label

if TYPE_CHECKING:
    from jinja2 import Environment

PAGE_FILE = PAGE_PATH.lstrip("/") + "index.html"
INK = "#1b1b1f"
INK_SOFT = "#4a4a52"  # 8.6:1 on white
BAR = "#124e89"  # the site's link blue: 8.3:1 on white, so a bar is as visible as text
WIDTH = 300  # SVG units (pt); shown at about this many CSS pixels on a phone
FONT = 12

STYLE = {
    "svg.hashsalt": "yrkesvux-utbudet",
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans"],
    "font.size": FONT,
    "text.color": INK,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
}


@dataclass(frozen=True)
class Chart:
    """One chart file of the page: where it is, what it shows and its size."""

    path: str  # in the site, e.g. "/utbudet/starter-vard-omsorg.svg"
    title: str  # the SVG's <title> and the image's alt text
    width: int  # SVG units, for the <img> element's width and height
    height: int
    labels: tuple[str, ...]  # a label for each bar
    counts: tuple[int, ...]  # its number


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """matplotlib's defaults and STYLE, whatever the machine's matplotlibrc says (imports
    matplotlib: a build that draws no chart never does)."""
    import matplotlib.style

    with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
        yield


def charts(f: Figures | Charted) -> dict[str, tuple[Chart, ...]]:
    """The page's charts by the figure they belong to: the starts (one small chart per area, all
    on one scale) and the study forms and paces (two bar charts side by side)."""
    months = tuple(f"{m.short}\n{m.year}" if i == 0 or m.month == 1 else m.short for i, m in enumerate(f.months))
    starts = tuple(
        Chart(f"/utbudet/starter-{area_id}.svg", f"Starter per månad: {name}", WIDTH, 120, months, row)
        for area_id, name, row in zip(f.starts.row_ids, f.starts.rows, f.starts.cells)
    )
    forms = (
        _bar_chart("/utbudet/studieform.svg", "Utbildningar per studieform", f.study_forms),
        _bar_chart("/utbudet/studietakt.svg", "Utbildningar per studietakt", f.paces),
    )
    return {"starts": starts, "forms": forms}


def _bar_chart(path: str, title: str, table: Table) -> Chart:
    return Chart(path, title, WIDTH, 30 + 30 * max(len(table.rows), 1), table.rows, tuple(row[0] for row in table.cells))


def chart_files(f: Figures | Charted) -> dict[str, bytes]:
    """Every chart as a file of the site: its path without the leading "/" -> its SVG."""
    found = charts(f)
    with chart_style():
        files = _month_svgs(found["starts"], f.starts.largest)
        files.update((chart.path.lstrip("/"), _bar_svg(chart)) for chart in found["forms"])
    return files


def _month_svgs(charts: tuple[Chart, ...], top: int) -> dict[str, bytes]:
    """Columns for the twelve months, each with its number above it; the year under the first
    month and under each January. All on one scale, drawn on one figure: its parts (axes,
    baseline, month labels as plain texts rather than axis ticks, columns and numbers) are made
    once, and only the columns' heights and their numbers change from file to file."""
    if not charts:
        return {}
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH / 72, charts[0].height / 72))
    axes = figure.add_axes((0.01, 0.3, 0.98, 0.66))
    axes.set_axis_off()
    axes.set_ylim(0, max(top, 1) * 1.25)
    axes.set_xlim(-0.6, len(charts[0].labels) - 0.4)
    axes.axhline(0, color=INK_SOFT, linewidth=1)
    below = axes.get_xaxis_transform()  # x in months, y in parts of the axes' height
    for i, label in enumerate(charts[0].labels):
        axes.text(i, -0.06, label, transform=below, ha="center", va="top", fontsize=FONT - 1.5, linespacing=1.1)
    bars = axes.bar(range(len(charts[0].counts)), charts[0].counts, width=0.7, color=BAR)
    numbers = [
        axes.annotate("", (i, 0), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=FONT)
        for i in range(len(charts[0].counts))
    ]
    files = {}
    for chart in charts:
        for bar, number, n in zip(bars, numbers, chart.counts):
            bar.set_height(n)
            number.xy = (number.xy[0], n)
            number.set_text(str(n))
            number.set_visible(n > 0)  # a hidden text is not drawn: no "0" above an empty month
        files[chart.path.lstrip("/")] = _svg(figure, chart.title)
    return files


def _bar_svg(chart: Chart) -> bytes:
    """Horizontal bars, one per row, its label on the left and its number at its end."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(chart.width / 72, chart.height / 72))
    axes = figure.add_axes((0.36, 10 / chart.height, 0.55, 1 - 20 / chart.height))
    axes.set_axis_off()
    axes.set_xlim(0, max(chart.counts, default=1) * 1.02 or 1)
    axes.set_ylim(max(len(chart.counts), 1) - 0.5, -0.5)  # the first row on top, as in the table (one empty row when none)
    bars = axes.barh(range(len(chart.counts)), chart.counts, height=0.62, color=BAR)
    axes.bar_label(bars, labels=[str(n) for n in chart.counts], padding=4, fontsize=FONT)
    axes.axvline(0, color=INK_SOFT, linewidth=1)
    left = axes.get_yaxis_transform()  # x in parts of the axes' width, y in rows
    for i, label in enumerate(chart.labels):
        axes.text(-0.03, i, label, transform=left, ha="right", va="center", fontsize=FONT)
    return _svg(figure, chart.title)


def _svg(figure, title: str) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Title": title, "Date": None, "Creator": None, "Format": None, "Type": None})
    return out.getvalue()


# --- the page ----------------------------------------------------------------------------------

HEAT_LEVELS = 4  # colours for numbers above 0; site.css has .heat-0 to .heat-4


def heat(value: int, largest: int) -> int:
    """The colour of a heat-map cell: 0 for none, else 1 to HEAT_LEVELS by its share of the largest."""
    return 0 if value <= 0 else max(1, math.ceil(HEAT_LEVELS * value / max(largest, 1)))


def heat_legend(largest: int) -> list[tuple[int, int, int]]:
    """(colour, lowest, highest number) of each colour a table of this largest number can show."""
    spans = [(0, 0, 0)]
    for level in range(1, HEAT_LEVELS + 1):
        low, high = largest * (level - 1) // HEAT_LEVELS + 1, largest * level // HEAT_LEVELS
        if low <= high:
            spans.append((level, low, high))
    return spans


def page_group(catalogue: Catalogue, env: Environment) -> FileGroup:
    """/utbudet/'s page and CSV as one task of the build's workers (its charts are drawn apart,
    by a Drawing)."""
    def page_and_csv() -> Iterator[tuple[str, Iterator[bytes]]]:
        f = figures(catalogue)
        yield PAGE_FILE, iter([page_html(f, env)])
        yield CSV_PATH.lstrip("/"), iter([csv_bytes(f)])
    return FileGroup((PAGE_FILE, CSV_PATH.lstrip("/")), page_and_csv)


class Drawing:
    """The charts, drawn in a child forked when the block starts: importing matplotlib and drawing
    is the longest single piece of work of a small site, and the child does the import while the
    content is checked (at the usual priority: on a small site it is the critical path). Where
    nothing may be forked, the charts are drawn here when asked for; so they are too in the
    second build of a process (tests, scripts), which then imports matplotlib once for the
    children of the builds after it to inherit.

        with Drawing() as drawing:
            ...                          # check the content
            drawing.draw(charted(catalogue))
            ...
            drawing.files()              # each chart's name in the site -> its SVG
    """

    def __enter__(self) -> "Drawing":
        global _forked
        self._drawn: Charted | None = None
        self._connection = None
        if parallel.cores() > 1 and (not _forked or "matplotlib.figure" in sys.modules):
            self._connection, theirs = multiprocessing.get_context("fork").Pipe()
            self._process = parallel.start_forked(_draw_when_asked, theirs)
            theirs.close()
            _forked = True
        return self

    def draw(self, drawn: Charted) -> None:
        """Start drawing the charts of these figures."""
        self._drawn = drawn
        if self._connection is not None:
            self._connection.send(drawn)

    def files(self) -> dict[str, bytes]:
        """The charts asked for by draw(), once drawn: name in the site -> its SVG."""
        if self._connection is None:
            return chart_files(self._drawn)
        try:
            answer = self._connection.recv()
        except EOFError:
            raise RuntimeError("diagrammen till /utbudet/ kunde inte ritas: processen som ritade dem slutade") from None
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def __exit__(self, *_: object) -> None:
        if self._connection is None:
            return
        self._connection.close()  # a child not asked to draw stops once it has imported matplotlib
        if self._drawn is not None:
            self._process.join()  # not killed: it may be writing matplotlib's font cache


_forked = False  # whether a Drawing of this process has forked a child


def _draw_when_asked(connection: Connection) -> None:
    """The drawing child: matplotlib imported, then the charts of the figures it is sent, sent back."""
    import matplotlib.figure  # noqa: F401  (imported before it is needed)
    import matplotlib.style  # noqa: F401
    try:
        drawn = connection.recv()
    except EOFError:
        return
    try:
        answer: dict[str, bytes] | BaseException = chart_files(drawn)
    except Exception as failure:  # noqa: BLE001  (raised in the build's process)
        answer = failure
    try:
        connection.send(answer)
    except OSError:  # the build stopped meanwhile and no longer listens
        pass


def page_html(f: Figures, env: Environment) -> bytes:
    return env.get_template("utbudet.html").render(path=PAGE_PATH, **page_context(f)).encode("utf-8")


def site_files(catalogue: Catalogue, env: Environment) -> dict[str, bytes]:
    """Every file of /utbudet/: its page (templates/utbudet.html), the charts and the CSV, made
    from one `Figures`."""
    f = figures(catalogue)
    return {PAGE_FILE: page_html(f, env), **chart_files(f), CSV_PATH.lstrip("/"): csv_bytes(f)}


def page_context(f: Figures) -> dict[str, Any]:
    """The template variables of /utbudet/."""
    by_month = [(month, tuple(group)) for month, group in itertools.groupby(f.overlaps, key=lambda o: o.month)]
    return {
        "f": f, "charts": charts(f), "heat": heat, "heat_legend": heat_legend, "zip": zip, "total": TOTAL,
        "csv_path": CSV_PATH, "near_km": NEAR_KM, "overlaps_by_month": by_month,
        "starts_summary": starts_summary(f), "forms_summary": forms_summary(f),
    }


def starts_summary(f: Figures) -> str:
    """What the charts of the starts show, in words."""
    first, last = f.months[0].label, f.months[-1].label
    table = f.starts
    if not table.total:
        return f"Från {first} till {last} finns inga starter."
    text = [f"Från {first} till {last} finns {_count(table.total, 'start', 'starter')}."]
    busiest = max(range(len(f.months)), key=lambda i: (table.column_totals[i], -i))
    text.append(f"Flest starter är det i {f.months[busiest].label}: {table.column_totals[busiest]}.")
    top = max(range(len(table.rows)), key=lambda i: (table.row_totals[i], -i))
    text.append(f"Flest starter har {table.rows[top]}: {table.row_totals[top]}.")
    if f.areas_without_starts:
        text.append(f"{_count(f.areas_without_starts, 'område', 'områden')} har ingen start och syns inte här.")
    text.append("Alla diagram har samma skala.")
    return " ".join(text)


def forms_summary(f: Figures) -> str:
    """What the charts of study forms and paces show, in words."""
    if not f.courses:
        return "Det finns inga utbildningar att räkna."
    forms = ", ".join(f"{label.lower()} {row[0]}" for label, row in zip(f.study_forms.rows, f.study_forms.cells))
    full = dict(zip(f.paces.rows, (row[0] for row in f.paces.cells))).get(pace_label(100), 0)
    return (
        f"Antal utbildningar per studieform: {forms}. En utbildning kan ha mer än en studieform. "
        f"{_count(full, 'utbildning', 'utbildningar')} av {f.courses} går på heltid."
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
