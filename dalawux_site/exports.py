"""Open data: the published catalogue in machine-readable formats.

Every export is made from the same `catalogue.courses` as the pages, so they all describe exactly
the courses a visitor can see. Nothing here reads the clock: dates come from the content and
from --today, so the same content gives the same bytes.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
from dataclasses import dataclass
import html
import io
import re
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

import orjson
from markupsafe import Markup

from .model import Catalogue, Course, Infobrev, Intake
from .swedish import date_sv

CSV_DELIMITER = ";"  # what Excel expects with Swedish settings, where the comma is the decimal sign
CSV_FIELDS = (
    "id", "url", "title", "name", "local_name", "provider", "provider_name", "location", "area", "area_name",
    "study_forms", "pace", "weeks", "points", "next_start", "next_apply_by", "intakes", "apply_url", "added", "code",
    "places", "student_aid", "language", "susa_id", "next_opens", "study_form_names",
)
FEED_PATH = "/infobrev/feed.xml"
# The section every infobrev ends with; the templates use the same words.
NEW_COURSES_HEADING = "Nya utbildningar sedan förra infobrevet"
NO_NEW_COURSES = "Inga nya utbildningar har lagts till sedan förra infobrevet."


def export_files(catalogue: Catalogue, html_paths: Iterable[str] = ()) -> dict[str, Callable[[], Iterator[bytes]]]:
    """The open-data files: path in the site -> a function that makes its bytes, in pieces;
    html_paths feed the sitemap. The large ones are made course by course as they are written:
    held whole (with their text on the way), a large catalogue's would be the build's peak of
    memory."""
    return {
        "utbildningar.json": lambda: _json_chunks(catalogue),
        "utbildningar.csv": lambda: _csv_chunks(catalogue),
        "sista-ansokningsdag.ics": lambda: _ics_chunks(catalogue),
        FEED_PATH.lstrip("/"): lambda: iter([infobrev_feed(catalogue)]),
        "sitemap.xml": lambda: iter([sitemap(catalogue, html_paths)]),
        "robots.txt": lambda: iter([robots(catalogue)]),
        **follow_files(catalogue),
    }


def course_record(course: Course) -> dict[str, Any]:
    """One course as open data; the field names are a contract other tools rely on."""
    return {
        "id": course.id,
        "url": course.path,
        "name": course.name,
        "local_name": course.local_name,
        "title": course.title,
        "provider": course.provider.id,
        "provider_name": course.provider.name,
        "location": course.location,
        "area": course.area.id,
        "area_name": course.area.name,
        "study_forms": list(course.study_forms),
        "pace": course.pace,
        "weeks": course.weeks,
        "points": course.points,
        "intakes": [
            {
                "start": i.start.isoformat() if i.start else None,  # None: continuous (löpande start)
                "apply_by": i.apply_by.isoformat(),
                "period": i.period.id if i.period else None,
                "continuous": i.continuous,
            }
            for i in course.intakes
        ],
        "apply_url": course.apply_url,
        "added": course.added.isoformat() if course.added else None,
        "code": course.code,
        "description": course.description_text,
        **_national_record(course),
    }


def _national_record(course: Course) -> dict[str, Any]:
    """The fields shared with Skolverket's data model; None where the course does not say."""
    return {"places": course.places, "student_aid": course.student_aid, "language": course.language, "susa_id": course.susa_id}


def _json_chunks(catalogue: Catalogue) -> Iterator[bytes]:
    """A JSON array with one course per line: easy to read and to compare between builds."""
    if not catalogue.courses:
        yield b"[]\n"
        return
    for i, course in enumerate(catalogue.courses):
        yield (b",\n" if i else b"[\n") + orjson.dumps(course_record(course))
    yield b"\n]\n"


# --- CSV -------------------------------------------------------------------------------------

def _csv_chunks(
    catalogue: Catalogue, courses: Iterable[Course] | None = None, line: Callable[[Course], str] | None = None,
) -> Iterator[bytes]:
    """One row per published course (or per course of courses; line makes each row's text, by
    default _csv_lines'); UTF-8 with a byte order mark so Excel shows å, ä and ö."""
    yield codecs.BOM_UTF8
    line = line or _csv_lines(catalogue)
    rows = [_CsvText()(CSV_FIELDS)]
    for i, course in enumerate(catalogue.courses if courses is None else courses, 1):
        rows.append(line(course))
        if i % 500 == 0:
            yield "".join(rows).encode("utf-8")
            rows.clear()
    yield "".join(rows).encode("utf-8")


def _csv_lines(catalogue: Catalogue) -> Callable[[Course], str]:
    """line(course): the course's row as CSV text, made once per course (a course is in the
    county's file, its area's and its municipality's)."""
    made: dict[str, str] = {}
    text = _CsvText()

    def line(course: Course) -> str:
        if course.id not in made:
            made[course.id] = text(_csv_row(course, catalogue.site.base_url, catalogue.today))
        return made[course.id]
    return line


class _CsvText:
    """A row as the csv module writes it, with the file's delimiter and CR LF."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.writer = csv.writer(self.out, delimiter=CSV_DELIMITER, lineterminator="\r\n")

    def __call__(self, row: Iterable[Any]) -> str:
        self.out.seek(0)
        self.out.truncate()
        self.writer.writerow(row)
        return self.out.getvalue()


def _csv_row(course: Course, base_url: str, today: dt.date) -> list[Any]:
    """The course's open-data record in the order of CSV_FIELDS, lists as text, no value as ""."""
    record = {**course_record(course), **follow_columns(course, today)}
    record.update(
        url=base_url + course.path,
        study_forms=",".join(course.study_forms),
        next_start=_csv_start(course.next_intake),
        next_apply_by=course.next_intake.apply_by.isoformat(),
        intakes=" ".join(f"{_csv_start(i)}/{i.apply_by.isoformat()}" for i in course.intakes),
        student_aid=None if course.student_aid is None else ("ja" if course.student_aid else "nej"),
    )
    return ["" if record[key] is None else csv_cell(record[key]) if isinstance(record[key], str) else record[key] for key in CSV_FIELDS]


# A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(…) runs when
# the file is opened). OWASP's advice: begin such a cell with ' so it is shown as text. The JSON
# keeps the text as written; check refuses the control characters among these anyway.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")  # and bidi controls


def csv_cell(text: str) -> str:
    """A text as a CSV cell no spreadsheet runs as a formula, without control characters."""
    if not text.isprintable():  # rare; isprintable is a quick first look
        text = _CONTROL.sub("", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_start(intake: Intake) -> str:
    """The start date, or "löpande" for a continuous intake (a spreadsheet shows it as text)."""
    return intake.start.isoformat() if intake.start else "löpande"


# --- iCalendar -------------------------------------------------------------------------------

def _ics_chunks(
    catalogue: Catalogue, courses: Iterable[Course] | None = None, scope: str | None = None,
    event: Callable[[Course, Intake], bytes] | None = None,
) -> Iterator[bytes]:
    """An all-day event on the last application day of every open dated intake (RFC 5545); of the
    courses given, when given, in a calendar whose name ends with scope ("inom industri"); event
    makes each event's lines (by default from _deadline_event). A continuous intake has no
    deadline to remember, only the day it stops being offered: no event.

    Written directly rather than through the icalendar package, which takes dozens of times
    longer for these few lines. The tests read the file back with icalendar's parser.
    """
    site = catalogue.site
    host = urlsplit(site.base_url).hostname or "yrkesvuxdalarna.se"
    # DTSTAMP must be a UTC time; midnight of --today keeps the file the same for the same build.
    stamp = catalogue.today.strftime("%Y%m%dT000000Z")
    head = [
        "BEGIN:VCALENDAR", f"PRODID:-//DalaWux//{_ics_text(site.title)}//SV", "VERSION:2.0", "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(site.title + ' – sista ansökningsdagar' + (' ' + scope if scope else ''))}",
    ]
    yield _ics_lines(head)
    event = event or (lambda course, intake: _ics_lines(_deadline_event(course, intake, site.base_url, host, stamp)))
    for course in catalogue.courses if courses is None else courses:
        for intake in course.intakes:
            if not intake.continuous:
                yield event(course, intake)
    yield _ics_lines(["END:VCALENDAR"])


def _ics_lines(lines: list[str]) -> bytes:
    # Most lines are short ASCII (dates, names of properties): _fold is called only for the others.
    folded = [line if len(line) <= 75 and line.isascii() else _fold(line) for line in lines]
    return ("\r\n".join(folded) + "\r\n").encode("utf-8")


def _deadline_event(course: Course, intake: Intake, base_url: str, host: str, stamp: str) -> list[str]:
    day = intake.apply_by
    return [
        "BEGIN:VEVENT",
        # Stable across builds: the same intake keeps its UID, so calendars update instead of duplicating.
        f"UID:sista-ansokningsdag-{course.id}-{intake.start.isoformat()}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day.isoformat().replace('-', '')}",
        f"DTEND;VALUE=DATE:{(day + dt.timedelta(days=1)).isoformat().replace('-', '')}",
        f"SUMMARY:{_ics_text('Sista ansökningsdag: ' + course.title)}",
        f"DESCRIPTION:{_ics_text(f'Start {intake.start.isoformat()}. Ansök hos {course.provider.name}: {course.apply_url}')}",
        f"URL:{base_url}{course.path}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping; every line break (CR LF, CR or LF) is \\n, other control characters go."""
    value = _ICS_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


_ICS_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")  # TEXT allows tab; line feeds are escaped after


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    if len(line) <= 18 or (len(line) <= 75 and line.isascii()):  # at most 4 octets a character; ASCII: 1
        return line
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not split a UTF-8 sequence
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts)


# --- following an area or a municipality ----------------------------------------------------

FOLLOW_FILES = ("sista-ansokningsdag.ics", "feed.xml", "utbildningar.csv")  # beside each area's and municipality's page
COURSE_FEED_PATH = "/feed.xml"  # every published course
FEED_ENTRIES = 100  # the newest courses a feed holds: a reader keeps what it has seen, the CSV has all


def follow_columns(course: Course, today: dt.date) -> dict[str, str]:
    """The CSV's columns for rebuilding "open for application now" and reading the study forms."""
    opens = course.next_intake.opens
    return {
        "next_opens": opens.isoformat() if opens and opens > today else "",
        "study_form_names": ", ".join(course.study_form_labels),
    }


@dataclass(frozen=True)
class FileGroup:
    """Files made in one task, so that what they share is made once: make() gives (name, its
    bytes in pieces) for each of names, in order."""

    names: tuple[str, ...]
    make: Callable[[], Iterator[tuple[str, Iterator[bytes]]]]


def _owners(catalogue: Catalogue) -> list[tuple[str, tuple[Course, ...], str]]:
    """(folder in the site, its courses, "inom industri" / "hos Falu kommun") of each area and
    municipality page."""
    owners = [(a.path.lstrip("/"), catalogue.courses_in_area(a), f"inom {a.name.lower()}") for a in catalogue.areas]
    return owners + [(p.path.lstrip("/"), catalogue.courses_by(p), f"hos {p.name}") for p in catalogue.providers]


def export_groups(catalogue: Catalogue) -> dict[str, FileGroup]:
    """The county's CSV, calendar and course feed, and beside each area's and municipality's page
    its own: the county writers, given only that page's courses. Each course's row, feed entry
    and intake's event are made once for all the files of their kind (a course is in three of
    each)."""
    owners = _owners(catalogue)
    site, today = catalogue.site, catalogue.today

    def csv_files() -> Iterator[tuple[str, Iterator[bytes]]]:
        line = _csv_lines(catalogue)
        yield "utbildningar.csv", _csv_chunks(catalogue, None, line)
        for folder, courses, _ in owners:
            yield folder + "utbildningar.csv", _csv_chunks(catalogue, courses, line)

    def ics_files() -> Iterator[tuple[str, Iterator[bytes]]]:
        host = urlsplit(site.base_url).hostname or "yrkesvuxdalarna.se"
        stamp = today.strftime("%Y%m%dT000000Z")
        made: dict[tuple[str, dt.date], bytes] = {}

        def event(course: Course, intake: Intake) -> bytes:
            key = (course.id, intake.start)
            if key not in made:
                made[key] = _ics_lines(_deadline_event(course, intake, site.base_url, host, stamp))
            return made[key]
        yield "sista-ansokningsdag.ics", _ics_chunks(catalogue, None, None, event)
        for folder, courses, scope in owners:
            yield folder + "sista-ansokningsdag.ics", _ics_chunks(catalogue, courses, scope, event)

    return {
        "csv": FileGroup(("utbildningar.csv", *(f + "utbildningar.csv" for f, _, _ in owners)), csv_files),
        "ics": FileGroup(("sista-ansokningsdag.ics", *(f + "sista-ansokningsdag.ics" for f, _, _ in owners)), ics_files),
        "feeds": FileGroup(
            (COURSE_FEED_PATH.lstrip("/"), *(f + "feed.xml" for f, _, _ in owners)), lambda: _feed_files(catalogue, owners),
        ),
    }


def _feed_files(catalogue: Catalogue, owners: list[tuple[str, tuple[Course, ...], str]]) -> Iterator[tuple[str, Iterator[bytes]]]:
    """The Atom feed of every course (/feed.xml) and beside each area's and municipality's page
    the feed of its courses; each course's entry made once."""
    made: dict[str, str] = {}

    def entry(course: Course) -> str:
        if course.id not in made:
            made[course.id] = _feed_entry(course, catalogue.site.base_url, catalogue.today)
        return made[course.id]
    yield COURSE_FEED_PATH.lstrip("/"), iter([course_feed(catalogue, catalogue.courses, "i Dalarna", "/", entry)])
    for folder, courses, scope in owners:
        yield folder + "feed.xml", iter([course_feed(catalogue, courses, scope, "/" + folder, entry)])


def follow_files(catalogue: Catalogue) -> dict[str, Callable[[], Iterator[bytes]]]:
    """The course feed and each area's and municipality's three files, one by one (what
    export_groups makes together, each course's pieces once; the build uses the groups)."""
    files: dict[str, Callable[[], Iterator[bytes]]] = {
        COURSE_FEED_PATH.lstrip("/"): lambda: iter([course_feed(catalogue, catalogue.courses, "i Dalarna", "/")]),
    }
    for folder, courses, scope in _owners(catalogue):
        files[folder + "sista-ansokningsdag.ics"] = functools.partial(_ics_chunks, catalogue, courses, scope)
        files[folder + "feed.xml"] = functools.partial(lambda c, s, p: iter([course_feed(catalogue, c, s, p)]), courses, scope, "/" + folder)
        files[folder + "utbildningar.csv"] = functools.partial(_csv_chunks, catalogue, courses)
    return files


def course_feed(
    catalogue: Catalogue, courses: Iterable[Course], scope: str, path: str, entry: Callable[[Course], str] | None = None,
) -> bytes:
    """Atom (RFC 4287): the newest FEED_ENTRIES courses, newest `added` first, each titled with
    its full title and linked to its page; courses without `added` last, dated --today. scope
    completes "Nya utbildningar …". The limit keeps a feed small however many courses there are.

    Written directly, like the calendar: feedgenerator takes twenty times longer an entry, and a
    course is in three feeds. The tests read it with ElementTree."""
    site = catalogue.site
    entry = entry or (lambda course: _feed_entry(course, site.base_url, catalogue.today))
    newest = sorted(courses, key=lambda c: (-(c.added or dt.date.min).toordinal(), c.title, c.id))[:FEED_ENTRIES]
    updated = max((c.added or catalogue.today for c in newest), default=catalogue.today)
    esc = _atom_text
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xml:lang="sv" xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{esc(f'Nya utbildningar {scope} – {site.title}')}</title>"
        f'<link href="{esc(site.base_url + path)}" rel="alternate"/>'
        f'<link href="{esc(site.base_url + path)}feed.xml" rel="self"/>'
        f"<id>{esc(site.base_url + path)}feed.xml</id><updated>{_atom_date(updated)}</updated>"
        f"<author><name>DalaWux</name><email>{esc(site.contact_email)}</email></author>"
        f"<subtitle>{esc(f'Yrkesutbildningar för vuxna {scope} som går att söka, de nyaste först.')}</subtitle>\n"
    )
    return (head + "".join(map(entry, newest)) + "</feed>\n").encode("utf-8")


def _feed_entry(course: Course, base_url: str, today: dt.date) -> str:
    esc, url, day = _atom_text, _atom_text(base_url + course.path), _atom_date(course.added or today)
    intake = course.next_intake
    when = "Löpande start" if intake.start is None else f"Start {date_sv(intake.start)}"
    summary = (
        f"{when}, sista ansökningsdag {date_sv(intake.apply_by)}. "
        f"{', '.join(course.study_form_labels)}. {course.description_text}"
    )
    return (
        f'<entry><title>{esc(course.title)}</title><link href="{url}" rel="alternate"/>'
        f"<published>{day}</published><updated>{day}</updated><id>{url}</id>"
        f"<summary>{esc(summary)}</summary></entry>\n"
    )


def _atom_text(text: str) -> str:
    """Text for XML: escaped, without the characters XML cannot hold (xml_safe)."""
    return html.escape(xml_safe(text))


def _atom_date(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


# --- Atom feed of the infobrev ---------------------------------------------------------------

def _stable_atom_feed() -> type:
    """feedgenerator's Atom feed, whose <updated> never falls back to the clock (it does when there
    are no items): Atom1Feed writes it from latest_post_date, the documented method overridden here
    (tests/test_infobrev.py fails if it stops doing so). Imported only when the feed is made:
    feedgenerator brings xml.sax, urllib.request and http.client with it, slow to import."""
    import feedgenerator

    class StableAtomFeed(feedgenerator.Atom1Feed):
        def __init__(self, *args: Any, fallback: dt.datetime, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fallback = fallback

        def latest_post_date(self) -> dt.datetime:
            return super().latest_post_date() if self.items else self.fallback

    return StableAtomFeed


def infobrev_feed(catalogue: Catalogue) -> bytes:
    site = catalogue.site
    feed = _stable_atom_feed()(
        title=xml_safe(f"Infobrev från {site.title}"),
        link=site.base_url + "/infobrev/",
        description="Nyheter om yrkesutbildning för vuxna i Dalarna, från DalaWux.",
        language="sv",
        feed_url=site.base_url + FEED_PATH,
        feed_guid=site.base_url + "/infobrev/",
        author_name="DalaWux",
        author_email=site.contact_email,
        fallback=_midnight(catalogue.today),
    )
    for issue in catalogue.infobrev:
        feed.add_item(
            title=xml_safe(issue.title),
            link=site.base_url + issue.path,
            unique_id=site.base_url + issue.path,
            description=xml_safe(issue.summary or issue.title),
            content=xml_safe(absolute_links(issue.body_html, site.base_url) + new_courses_html(issue, site.base_url)),
            pubdate=_midnight(issue.date),
            updateddate=_midnight(issue.date),
        )
    return feed.writeString("utf-8").encode("utf-8")


# What XML 1.0 cannot hold at all: check refuses it in the content, and feedgenerator would stop
# the build on it; the feed stays well-formed without that check too.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def new_courses_html(issue: Infobrev, base_url: str) -> str:
    """The closing section of an issue as plain HTML, for the feed."""
    items = "".join(
        f'<li><a href="{html.escape(base_url + c.path)}">{html.escape(c.title, quote=False)}</a></li>' for c in issue.new_courses
    )
    body = f"<ul>{items}</ul>" if items else f"<p>{html.escape(NO_NEW_COURSES, quote=False)}</p>"
    return f"\n<h2>{html.escape(NEW_COURSES_HEADING, quote=False)}</h2>\n{body}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def absolute_links(html: str, base_url: str) -> str:
    """Site paths in sanitised HTML made absolute, for copies read outside the site (feed, e-mail)."""
    return html.replace('href="/', f'href="{base_url}/')


# --- sitemap and robots.txt ------------------------------------------------------------------

def sitemap(catalogue: Catalogue, html_paths: Iterable[str]) -> bytes:
    """Every public HTML page but the 404 page and the e-mail copies of the infobrev."""
    urls = sorted(p for p in html_paths if in_sitemap(p))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{html.escape(catalogue.site.base_url + path, quote=False)}</loc></url>" for path in urls]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def in_sitemap(path: str) -> bool:
    return path != "/404.html" and not path.endswith("/epost.html")


def robots(catalogue: Catalogue) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {catalogue.site.base_url}/sitemap.xml\n".encode("utf-8")


# --- schema.org JSON-LD ----------------------------------------------------------------------

def course_jsonld(course: Course, site_url: str) -> Markup:
    """schema.org Course with one CourseInstance per open intake, safe inside <script>.

    Course rather than EducationalOccupationalProgram: a page is one municipality's course with
    several starts, which Course models as instances (each with its own start, or none for a
    continuous one), while a programme has one applicationDeadline and startDate "for the next
    enrollment cycle"; and Course has the properties we can fill (financialAidEligible,
    inLanguage, numberOfCredits), places going on each instance as maximumAttendeeCapacity."""
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": site_url + course.path + "#course",
        "name": course.title,
        "description": course.description_text,
        "url": site_url + course.path,
        "inLanguage": "sv",
        "isAccessibleForFree": True,
        "provider": _organisation(course),
        "hasCourseInstance": _course_instances(course),
        "offers": {"@type": "Offer", "price": 0, "priceCurrency": "SEK", "category": "Kostnadsfri", "url": course.apply_url},
    }
    if course.code:
        data["courseCode"] = course.code
    data.update(_national_jsonld(course))
    return script_json(data)


def _national_jsonld(course: Course) -> dict[str, Any]:
    """Language, student aid and credits on the Course (schema.org allows them there); places
    go on each CourseInstance as maximumAttendeeCapacity."""
    data: dict[str, Any] = {"inLanguage": course.language}
    if course.student_aid:
        data["financialAidEligible"] = "Studiemedel från CSN"
    if course.points:
        data["numberOfCredits"] = {"@type": "StructuredValue", "value": course.points, "unitText": "gymnasiepoäng"}
    return data


def _organisation(course: Course) -> dict[str, Any]:
    return {"@type": "Organization", "name": course.provider.name, "url": course.provider.url}


COURSE_MODES = {"plats": "onsite", "distans": "online", "flex": "blended", "larling": "onsite"}


def _course_instances(course: Course) -> list[dict[str, Any]]:
    """One CourseInstance per open intake; what they share is made once (orjson writes it again
    for each)."""
    modes = sorted({COURSE_MODES[f] for f in course.study_forms})
    location = {"@type": "Place", "name": course.location, "address": {
        "@type": "PostalAddress", "addressLocality": course.location, "addressRegion": "Dalarna", "addressCountry": "SE",
    }}
    organizer = _organisation(course)
    instances = []
    for intake in course.intakes:
        instance = {"@type": "CourseInstance", "courseMode": modes, "location": location, "organizer": organizer}
        if intake.continuous:  # no start date: one can start any time until the last day it is offered
            instance["description"] = f"Löpande start, ansök senast {intake.apply_by.isoformat()}"
        else:
            instance["startDate"] = intake.start.isoformat()
        if course.places:
            instance["maximumAttendeeCapacity"] = course.places
        instances.append(instance)
    return instances


def script_json(data: Any) -> Markup:
    """JSON for a <script> element: <, > and & escaped so no text can close the element.

    orjson writes the same compact UTF-8 JSON as json.dumps(ensure_ascii=False, separators=(",",
    ":")) several times faster, and every course page has its JSON-LD."""
    raw = orjson.dumps(data)
    for char, escaped in _SCRIPT_ESCAPES:  # in the UTF-8 bytes: a search of bytes, not of wide characters
        raw = raw.replace(char, escaped)
    return Markup(raw.decode("utf-8"))


# What could end a <script> element or a line of JavaScript, and how JSON writes it instead.
_SCRIPT_ESCAPES = tuple((char.encode("utf-8"), f"\\u{ord(char):04x}".encode()) for char in "<>&\u2028\u2029")
