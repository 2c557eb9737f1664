"""Stage 4, render: the catalogue as files (HTML pages, data exports, assets). The workers that
make the pages and the open data write them through write.py as they go; the rest is handed to
the pipeline to write.

Templates receive the frozen types from model.py. StrictUndefined makes a template that asks
for something missing fail the build loudly instead of printing an empty string.
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import functools
import json
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.bccache import Bucket
from jinja2.runtime import Macro
from markupsafe import Markup, escape

from . import charts, exports, images, parallel
from .assets import AssetFile, collect_assets
from .cms_config import cms_config, course_file_spec, local_cms_config
from .finder import NEAR_DEFAULT_KM, NEAR_KM, Nearby, card_data, finder_options, soonest
from .model import ACROSS_COUNTY, Catalogue, Course, Intake, Person
from .swedish import MONTHS, date_sv, pace_label
from .write import write_chunks, write_files


@dataclass(frozen=True)
class Output:
    """Where the site goes: templates and assets in, the site's files out."""

    templates: Path
    assets: Path
    vendor: Path  # third-party files copied as they are (the form editor)
    editor_proxy: str | None = None  # `make editor`: the form editor saves through decap-server here


def render_site(
    catalogue: Catalogue, output: Output, site: Path, search_index: Callable[[Catalogue], dict[str, bytes]],
) -> "Rendering":
    """Every file of the site but the charts, to be made into the folder site: the Rendering to
    enter (see there). search_index makes the search index's files (finder.finder_parts), which
    the start page names: they are made in the start page's task. Nothing is made or written before."""
    assets = collect_assets(output.assets)
    env = make_environment(output.templates, catalogue, assets)
    start, *pages = _pages(catalogue)
    made = exports.export_files(catalogue, [start[0]] + [path for path, _, _ in pages] + [charts.PAGE_PATH])
    groups = {"images": _image_group(assets), "utbudet": charts.page_group(catalogue, env), **exports.export_groups(catalogue)}
    grouped = {name for group in groups.values() for name in group.names}  # made in their group's task
    alone = {name: make for name, make in made.items() if name not in grouped}
    makes = {"start": functools.partial(_start_files, env, catalogue, start, search_index)} | {name: g.make for name, g in groups.items()}
    return Rendering(_Job(env, pages, alone, site, makes), _Here(catalogue, output, env, assets))


class Rendering:
    """The site's files being made. Entering it starts the pages and the open data: for a large
    site, forked workers (which inherit the templates and the catalogue) make them on all cores,
    each writing what it makes through write.py. Meanwhile here() makes the few files left
    (the assets and the form editor) in this process, for the caller to write;
    wait() returns once the workers' last file is written and raises a task's failure.

        with render_site(catalogue, output, site, search_index=finder_parts) as rendering:
            write_files(rendering.here(), site)
            rendering.wait()
        rendering.written            # every name made, sorted
    """

    def __init__(self, job: "_Job", here: "_Here") -> None:
        self._workers = _Workers(job)
        self._here = here
        self._names: list[str] = []

    def __enter__(self) -> "Rendering":
        self._workers.__enter__()
        return self

    def here(self) -> dict[str, bytes]:
        files = self._here.files()
        self._names += files
        return files

    def wait(self) -> None:
        self._names += self._workers.wait()

    def __exit__(self, *failure: Any) -> None:
        self._workers.__exit__(*failure)

    @property
    def written(self) -> list[str]:
        return sorted(self._names)


@dataclass(frozen=True)
class _Here:
    """What this process makes while the workers make the pages: the files that take no time."""

    catalogue: Catalogue
    output: Output
    env: Environment
    assets: dict[str, AssetFile]

    def files(self) -> dict[str, bytes]:
        files: dict[str, bytes] = {a.output: a.data for a in self.assets.values()}
        files.update(_admin_files(self.catalogue, self.output, self.env))
        return files


def _start_files(
    env: Environment, c: Catalogue, start: tuple[str, str, Context], search_index: Callable[[Catalogue], dict[str, bytes]],
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """The search index's files (named by their content) and the start page, which names them."""
    parts = search_index(c)
    yield from ((name, iter([data])) for name, data in parts.items())
    path, template, context = start
    yield file_for(path), iter([render_page(env, (path, template, lambda: {**context(), "parts": ["/" + n for n in parts]}))])


def _image_group(assets: dict[str, AssetFile]) -> exports.FileGroup:
    """The badges and the share image as PNG, one task: a few tenths of a second of resvg's."""
    shown = images.badges(assets) + (images.share_image(assets),)

    def pngs() -> Iterator[tuple[str, Iterator[bytes]]]:
        return ((name, iter([png])) for name, png in images.render_pngs(shown, assets).items())
    return exports.FileGroup(tuple(image.png.lstrip("/") for image in shown), pngs)


# --- pages and open data on all cores --------------------------------------------------------

Context = dict[str, Any] | Callable[[], dict[str, Any]]  # a page's template variables, or what makes them

PARALLEL_FROM = 100  # pages; below this, starting a process costs more than it saves
BATCH = 200  # pages a worker renders and writes as one task
LIST_TEMPLATES = frozenset({"index.html", "area.html", "provider.html"})


@dataclass
class _Job:
    """Pages (site path, template, context) and open-data files (name -> its bytes in pieces, made
    on demand) to make and write into the folder site, as tasks that each worker takes in turn."""

    env: Environment
    pages: list[tuple[str, str, Context]]
    exports: dict[str, Callable[[], Iterator[bytes]]]
    site: Path
    groups: dict[str, Callable[[], Iterator[tuple[str, Iterator[bytes]]]]] = field(default_factory=dict)  # files made in one task

    def __post_init__(self) -> None:
        # The pages that list every course (start, area and municipality pages) first: made
        # last, they would keep one worker busy while the other has nothing left to do.
        self.pages.sort(key=lambda page: page[1] not in LIST_TEMPLATES)  # stable: otherwise in order

    def tasks(self) -> list[tuple]:
        """The biggest first: the first group (the start page and the finder's data) and the batch
        with the list pages, then the open-data files (each a long task on a large site), then
        the course pages."""
        batches = [("pages", start, start + BATCH) for start in range(0, len(self.pages), BATCH)]
        groups = [("group", name) for name in self.groups]
        return groups[:1] + batches[:1] + groups[1:] + [("export", name) for name in self.exports] + batches[1:]

    def run(self, task: tuple) -> list[str]:
        """Make and write a task's files; their names."""
        if task[0] == "group":
            names = []
            for name, chunks in self.groups[task[1]]():
                write_chunks(chunks, self.site / name)
                names.append(name)
            return names
        if task[0] == "export":
            write_chunks(self.exports[task[1]](), self.site / task[1])
            return [task[1]]
        files = {file_for(page[0]): render_page(self.env, page) for page in self.pages[task[1]:task[2]]}
        write_files(files, self.site)
        return list(files)


class _Workers:
    """Runs a job's tasks: in forked workers for a large site, each writing what it makes, else
    here when waited for. A failure is raised by wait() or when the block ends."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.pool: ProcessPoolExecutor | None = None
        self.serial: list[tuple] = []  # the tasks left to run here

    def __enter__(self) -> "_Workers":
        tasks = self.job.tasks()
        shares = parallel.cores()
        if len(self.job.pages) < PARALLEL_FROM or shares < 2:
            self.serial = tasks
            return self
        self.pool, self.futures = parallel.submit_forked(self.job.run, tasks, shares)
        return self

    def wait(self) -> list[str]:
        """Until every task is done (a small site's are done here and now); the names written
        since the last wait. A task's failure is raised here."""
        if self.pool is None:
            tasks, self.serial = self.serial, []  # run once, however often wait() is called
            return [name for task in tasks for name in self.job.run(task)]
        futures, self.futures = self.futures, []
        return [name for future in concurrent.futures.as_completed(futures) for name in future.result()]

    def __exit__(self, kind, *_) -> None:
        try:
            if kind is None:
                self.wait()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)


def render_page(env: Environment, page: tuple[str, str, Context]) -> bytes:
    """One page's HTML: (site path, template, context or the function that makes it)."""
    path, template, context = page
    if callable(context):
        context = context()
    return env.get_template(template).render(path=path, **context).encode("utf-8")


def _admin_files(catalogue: Catalogue, output: Output, env: Environment) -> dict[str, bytes]:
    """/admin/: the form editor, its generated configuration and its vendored code."""
    files = {
        "admin/index.html": env.get_template("admin.html").render(path="/admin/").encode("utf-8"),
        "admin/config.yml": _editor_config(catalogue, output).encode("utf-8"),
        "admin/course-file.json": json.dumps(course_file_spec(), ensure_ascii=False).encode("utf-8"),
    }
    for package, target in (("decap-cms", "admin"), ("yaml", "admin/yaml")):
        root = output.vendor / package
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".js", ".wasm"}):
            files[f"{target}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return files


def _editor_config(catalogue: Catalogue, output: Output) -> str:
    config = cms_config(catalogue, catalogue.site.repository)
    return local_cms_config(config, output.editor_proxy) if output.editor_proxy else config


# Macros every template may call without importing them (breadcrumbs, course_list, social_meta…):
# made once per build, where an import in each template runs again for every page (15 % of a
# course page's time).
SHARED_MACROS = ("_macros.html", "_meta.html")


class _CompiledTemplates(BytecodeCache):
    """Templates compiled to Python once per process, keyed on each template's source: the dev
    server makes a new environment for every saved file without compiling them again."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (bucket.key, bucket.checksum) in self.code:
            bucket.bytecode_from_string(self.code[bucket.key, bucket.checksum])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key, bucket.checksum] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def make_environment(templates: Path, catalogue: Catalogue, assets: dict[str, AssetFile]) -> Environment:
    env = Environment(
        bytecode_cache=_COMPILED,
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build, one set of templates: no stat() of each template per page
        cache_size=-1,  # every template stays loaded: a plain dict, not a least-recently-used queue
    )
    env.filters.update(
        date_sv=date_sv, start_label=start_label, date_range=date_range, pace_label=pace_label, length_label=length_label,
        email_html=lambda html: email_html(html, catalogue.site.base_url),
        asset=_asset_url(assets), absolute=_absolute_url(catalogue.site.base_url),
    )
    env.tests["under"] = str.startswith  # `path is under("/omraden/")`: a test is called directly, a method through the context
    env.globals.update(
        site=catalogue.site,
        catalogue=catalogue,
        today=catalogue.today,
        current_period=current_period(catalogue),
        badges=images.badges(assets),
        badge_alt=images.BADGE_ALT,
        share_image=images.share_image(assets),
        feed_path=exports.FEED_PATH,
        course_jsonld=lambda course: exports.course_jsonld(course, catalogue.site.base_url),
        csv_delimiter=exports.CSV_DELIMITER,
        across_county=ACROSS_COUNTY,
        near_km=NEAR_KM,
        near_default_km=NEAR_DEFAULT_KM,
        new_courses_heading=exports.NEW_COURSES_HEADING,
        no_new_courses=exports.NO_NEW_COURSES,
    )
    env.globals["people"] = _people(env)
    env.globals["cards"] = _cards(env, catalogue.today)
    env.globals["logo"] = Markup((templates / "logo.svg").read_text(encoding="utf-8").strip())  # in every header
    for name in SHARED_MACROS:
        module = env.get_template(name).module
        env.globals.update({k: v for k, v in vars(module).items() if isinstance(v, Macro)})
    env.globals["site_meta"] = env.globals["site_meta"]()  # the same on every page: its text, made once
    # Every template loaded now, when the globals are complete: forked workers inherit them
    # compiled, and a template's own globals then hold every global, so making a page's context
    # finds each in the first map it looks in.
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name, globals=env.globals)
    return env


def _cards(env: Environment, today: dt.date) -> Callable[..., Markup]:
    """cards(courses, heading, filterable): the `course_card` macro of each course, one per line,
    each made once per course and heading (the same card is on the course's area page and on its
    municipality's). The start page's card is the same card carrying the course's filter data
    (finder.card_data) as data-* attributes. Joined here rather than in a loop of the template:
    the loop's calls would be a large part of a list page's time."""
    made: dict[tuple[str, str], str] = {}

    def card(course: Course, heading: str, filterable: bool) -> str:
        key = (course.id, heading)
        if key not in made:
            made[key] = str(env.globals["course_card"](course, heading))
            if not made[key].startswith(_CARD_START):
                raise ValueError(f"course_card i _macros.html måste börja med {_CARD_START}: där lägger startsidan till filtrens data")
        if not filterable:
            return made[key]
        data = "".join(f' data-{name}="{escape(value)}"' for name, value in card_data(course, today).items())  # names: ours
        return f"{_CARD_START[:-1]}{data}>{made[key][len(_CARD_START):]}"  # data is escaped

    def cards(courses: Iterable[Course], heading: str = "h3", filterable: bool = False) -> Markup:
        return Markup("".join([f"{card(course, heading, filterable)}\n" for course in courses]))  # a line each
    return cards


_CARD_START = '<li class="course-card">'


def _people(env: Environment) -> Callable[[tuple[Person, ...]], Markup]:
    """people(persons): the `person` macro for each, made once per distinct list: a municipality's
    counsellors appear on each of its course pages, the same every time."""
    @functools.lru_cache(maxsize=None)
    def people(persons: tuple[Person, ...]) -> Markup:
        return Markup("").join(env.globals["person"](p) for p in persons)
    return people


# The filters `asset` and `absolute` take the context, unused, so that Jinja calls them as each
# page renders: given a constant it would call them when compiling, and the compiled template is
# reused by environments of other assets and base URLs (_COMPILED).

def _asset_url(assets: dict[str, AssetFile]) -> Callable[[Any, str], str]:
    """'css/site.css'|asset: the asset's site path, named by its content."""
    @pass_context
    def asset(_context: Any, source: str) -> str:
        return "/" + assets[source].output  # KeyError names a missing asset: fail loudly
    return asset


def _absolute_url(base_url: str) -> Callable[[Any, str], str]:
    """path|absolute: the site path as a full address."""
    @pass_context
    def absolute(_context: Any, path: str) -> str:
        return base_url + path
    return absolute


def file_for(path: str) -> str:
    return path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/")


def _pages(c: Catalogue) -> Iterator[tuple[str, str, Context]]:
    """(site path, template, context) for every HTML page, the start page first. The start page
    and the municipality pages get a function that makes their context (the filter choices, the
    courses near a municipality): it runs in the worker that renders the page, not before the
    workers start. The start page's context lacks "parts", the finder's data files: _start_files
    adds them."""
    def start_page() -> dict[str, Any]:
        return {
            "areas": [(a, len(c.courses_in_area(a))) for a in c.areas if c.courses_in_area(a)],
            "providers": [(p, len(c.courses_by(p))) for p in c.providers if c.courses_by(p)],
            "soonest": soonest(c.courses), "finder": finder_options(c),
        }

    yield "/", "index.html", start_page
    for course in c.courses:
        yield course.path, "course.html", {"course": course}
    yield "/omraden/", "areas.html", {"areas": [(a, c.courses_in_area(a)) for a in c.areas]}
    for area in c.areas:
        yield from _paged(area.path, "area.html", {"area": area}, c.courses_in_area(area))
    yield "/kommuner/", "providers.html", {"providers": [(p, c.courses_by(p)) for p in c.providers]}
    near_all = functools.cache(lambda: Nearby(c))  # made in the worker that renders the first municipality page
    for provider in c.providers:
        near = functools.partial(_nearby, near_all, provider)
        yield from _paged(provider.path, "provider.html", {"provider": provider}, c.courses_by(provider), near)
    yield "/kontakt/", "contact.html", {}
    yield "/infobrev/", "infobrev-list.html", {"issues": c.infobrev}
    for issue in c.infobrev:
        yield issue.path, "infobrev.html", {"issue": issue}
        yield issue.email_path, "infobrev-epost.html", {"issue": issue}
    yield "/for-kommuner/", "for-kommuner.html", {}
    for page in c.pages:
        yield page.path, "page.html", {"page": page}
    yield "/404.html", "404.html", {}


PAGE_SIZE = 50  # courses on one page of an area or a municipality: a page stays light at any size
NEARBY_SHOWN = 20  # courses of other municipalities named on a municipality's page, nearest first


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list is: its number (from 1) and every page's site path."""

    number: int
    paths: tuple[str, ...]

    @property
    def prev(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < len(self.paths) else None


def page_path(first: str, number: int) -> str:
    """The site path of page number of the list at first: /omraden/vard-omsorg/sida/2/."""
    return first if number == 1 else f"{first}sida/{number}/"


def _paged(
    first: str, template: str, context: dict[str, Any], courses: tuple[Course, ...],
    nearby_courses: Callable[[], dict[str, Any]] | None = None,
) -> Iterator[tuple[str, str, Context]]:
    """An area's or a municipality's pages: its courses by title, PAGE_SIZE a page; the first page
    also names the courses near the municipality (nearby_courses)."""
    ordered = sorted(courses, key=lambda course: (course.title, course.id))
    count = max(1, -(-len(ordered) // PAGE_SIZE))
    paths = tuple(page_path(first, n) for n in range(1, count + 1))
    for n, path in enumerate(paths, start=1):
        page = {**context, "courses": ordered[(n - 1) * PAGE_SIZE:n * PAGE_SIZE], "total": len(ordered),
                "pager": Pager(n, paths), "first_page": first}
        if nearby_courses is not None and n == 1:
            yield path, template, lambda page=page: {**page, **nearby_courses()}
        else:
            yield path, template, {**page, "nearby": [], "nearby_total": 0}


def _nearby(near: Callable[[], Nearby], provider: Any) -> dict[str, Any]:
    """The other municipalities' courses nearest to the municipality, and how many there are."""
    found, total = near().of(provider, NEAR_DEFAULT_KM, first=NEARBY_SHOWN)
    return {"nearby": found, "nearby_total": total}


def current_period(c: Catalogue):
    """The common application period open today, else the next one to open, else None."""
    upcoming = [p for p in c.site.periods if p.closes >= c.today]
    return min(upcoming, key=lambda p: (p.opens, p.id)) if upcoming else None


# Inline styles for the e-mail copy of an infobrev: e-mail programs ignore style sheets.
EMAIL_STYLES = {
    "h2": "font-size:22px;line-height:1.3;margin:28px 0 8px;color:#1b1b1f;",
    "h3": "font-size:18px;line-height:1.3;margin:24px 0 8px;color:#1b1b1f;",
    "p": "margin:0 0 16px;",
    "ul": "margin:0 0 16px;padding-left:24px;",
    "ol": "margin:0 0 16px;padding-left:24px;",
    "li": "margin:0 0 6px;",
    "a": "color:#124e89;",
    "blockquote": "margin:0 0 16px;padding-left:16px;border-left:4px solid #cfc8bb;",
}


def email_html(html: str, base_url: str) -> Markup:
    """Sanitised HTML with absolute links and inline styles, for pasting into an e-mail program."""
    def styled(match: re.Match) -> str:
        return f'<{match.group(1)} style="{EMAIL_STYLES[match.group(1)]}"{match.group(2)}'
    tags = "|".join(EMAIL_STYLES)
    # nh3 wrote this HTML: every tag is lower case and no allowed tag carries a style attribute.
    return Markup(re.sub(rf"<({tags})(\s|>)", styled, exports.absolute_links(html, base_url)))


# --- filters ---------------------------------------------------------------------------------

def start_label(intake: Intake) -> str:
    """'15 januari 2027', or 'Löpande start' for a continuous intake."""
    return "Löpande start" if intake.start is None else date_sv(intake.start)


def date_range(first: dt.date, last: dt.date) -> str:
    """'1–31 oktober 2026', '15 november–15 december 2026', '20 december 2026–15 januari 2027'."""
    if first.year != last.year:
        return f"{date_sv(first)}–{date_sv(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]}–{date_sv(last)}"
    return f"{first.day}–{date_sv(last)}"


def length_label(course: Course) -> str:
    parts = []
    if course.weeks:
        parts.append(f"{course.weeks} {'vecka' if course.weeks == 1 else 'veckor'}")
    if course.points:
        parts.append(f"{course.points} poäng")
    return ", ".join(parts)
