"""Write a content folder's courses as Hugo content, so bench/hugo/ builds the same pages.

One Markdown file per published course (JSON front matter, the description's Markdown as the
body), an `_index.md` per area and municipality (taxonomy terms), the ordinary pages, and
data/finder.json (the start page's filter choices, the application period, and the lists of
values the finder's files code into). Every fact comes from the pipeline's result
(pipeline.check: the catalogue's courses, providers and areas, with their canonical names, titles,
addresses and open intakes), so both build the same site; Hugo renders the Markdown and the pages.
"""
from __future__ import annotations

import dataclasses

import datetime as dt
import json
import shutil
from pathlib import Path

from dalawux_site import pipeline
from dalawux_site.exports import COURSE_MODES
from dalawux_site.finder import (CARD_CHUNK, CARDS_SHOWN, NEAR_DEFAULT_KM, NEAR_KM, SOONEST, card_data, default_order,
                                 facet_codes, facet_values, finder_options)
from dalawux_site.model import STUDY_FORM_LABELS, Course, Person
from dalawux_site.render import PAGE_SIZE, current_period, date_range

HUGO_SITE = Path(__file__).resolve().parent / "hugo"
OLD_HUGO_CONFIG = "hugo-0.111.toml"  # given after config.toml to Hugo before 0.128, which names pagination otherwise
ROOT = HUGO_SITE.parent.parent


def convert(content: Path, site_dir: Path, today: dt.date) -> int:
    """Make site_dir a Hugo site (bench/hugo/ plus content/ for the courses of content); returns the number of courses."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.copytree(HUGO_SITE, site_dir)
    with (site_dir / "config.toml").open("a", encoding="utf-8") as config:  # list pages split where ours do
        config.write(f'\n[pagination]\n  pagerSize = {PAGE_SIZE}\n  path = "sida"\n')
    (site_dir / OLD_HUGO_CONFIG).write_text(f'paginate = {PAGE_SIZE}\npaginatePath = "sida"\n', encoding="utf-8")
    shutil.copy(ROOT / "templates" / "logo.svg", site_dir / "layouts" / "partials" / "logo.svg")  # the header's logo
    out = site_dir / "content"
    result = pipeline.check(content, today)
    if result.catalogue is None:
        raise ValueError("\n".join(d.format() for d in result.report.errors))
    catalogue = result.catalogue
    _section(out / "utbildningar", {"title": "Utbildningar"})
    _section(out / "omraden", {"title": "Områden", "lead": "Välj ett område för att se alla utbildningar i det.",
                               "description": "Yrkesutbildningar för vuxna i Dalarna, ordnade efter yrkesområde."})
    _section(out / "kommuner", {"title": "Kommuner", "lead": "Dalarnas 15 kommuner samarbetar om yrkesutbildning för vuxna. Du kan söka till alla, var du än bor i Dalarna.",
                                "description": "De 15 kommunerna i Dalarna som ger yrkesutbildning för vuxna."})
    for area in catalogue.areas:
        _section(out / "omraden" / area.id, {"title": area.name, "description": area.description})
    for provider in catalogue.providers:
        _section(out / "kommuner" / provider.id, {
            "title": provider.name, "counsellors": [_person(p) for p in provider.counsellors],
            "apply_url": provider.apply_url, "website": provider.url})
    _finder_data(site_dir / "data" / "finder.json", catalogue, today)
    entries = _entries(result.raw)
    ranks = _ranks(catalogue)
    for course in catalogue.courses:
        _course(out, course, entries[course.source], today, ranks[course.id])
    for page in sorted((content / "pages").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        (out / page.name).write_text(text.replace("---\n", "---\ntype: page\n", 1), encoding="utf-8")
    (out / "kontakt.md").write_text("---\ntitle: Kontakt\ntype: page\n---\nKontakta en studie- och yrkesvägledare.\n", encoding="utf-8")
    return len(catalogue.courses)


def _entries(raw) -> dict[str, dict]:
    """Each course's data as its file gives it, by the course's source ("file:line"): for the
    Markdown of its description and prerequisites, which Hugo renders itself."""
    entries = {}
    for doc in raw.courses:
        if isinstance(doc.data, dict):
            entries[f"{doc.name}:{doc.line(())}"] = doc.data
        else:
            entries.update({f"{doc.name}:{doc.line((i,))}": entry for i, entry in enumerate(doc.data or [])})
    return entries


def _person(person: Person) -> dict:
    return {key: value for key, value in dataclasses.asdict(person).items() if value is not None}


def _ranks(catalogue) -> dict[str, tuple[int, int]]:
    """Each course's place (from 1) in the two orders the Python build lists courses in: by title
    (the area and municipality pages, render._paged) and soonest last application day first (the
    start page, finder.default_order). Hugo sorts by them, so its pages split where ours do."""
    by_title = sorted(catalogue.courses, key=lambda c: (c.title, c.id))
    soonest = default_order(catalogue.courses)
    title_rank = {c.id: n for n, c in enumerate(by_title, start=1)}
    return {c.id: (title_rank[c.id], n) for n, c in enumerate(soonest, start=1)}


def _finder_data(file: Path, catalogue, today: dt.date) -> None:
    """The start page's filter choices and application period, as the Python build makes them
    (finder.finder_options and render.current_period on the same content)."""
    options, period = finder_options(catalogue), current_period(catalogue)

    def select(name: str, label: str, everything: str, choices) -> dict:
        return {"name": name, "label": label, "everything": everything, "choices": [vars(c) for c in choices]}
    order = default_order(catalogue.courses)
    facets = {}
    for name, values in facet_values(order, [card_data(c, today) for c in order]).items():
        distinct, width, code = facet_codes(values)
        facets[name] = {"values": distinct, "width": width, "code": code}
    data = {
        "card_chunk": CARD_CHUNK,
        "cards_shown": CARDS_SHOWN,
        "facets": facets,  # each filter's values, and the code finder.js reads for each
        "today": today.isoformat(),
        "soonest": SOONEST,
        "page_size": PAGE_SIZE,
        "selects": [
            select("kommun", "Kommun", "Alla kommuner", options.providers),
            select("ort", "Ort", "Alla orter", options.locations),
            select("omrade", "Område", "Alla områden", options.areas),
            select("studieform", "Studieform", "Alla studieformer", options.study_forms),
            select("takt", "Studietakt", "Alla studietakter", options.paces),
        ],
        "near": [{**vars(choice), "town": town.name, "lat": town.lat, "lon": town.lon} for choice, town in options.near],
        "km": list(NEAR_KM),
        "km_default": NEAR_DEFAULT_KM,
        "terms": [vars(c) for c in options.terms],
        "months": [vars(c) for c in options.months],
        "period": period and {"open": period.opens <= today, "label": period.label, "dates": date_range(period.opens, period.closes)},
    }
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _section(folder: Path, front: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_index.md").write_text(json.dumps(front, ensure_ascii=False) + "\n", encoding="utf-8")


def _course(out: Path, course: Course, entry: dict, today: dt.date, ranks: tuple[int, int]) -> None:
    """The course's front matter (its facts from the catalogue) and its description's Markdown as the body."""
    intakes = [{"start": i.start.isoformat() if i.start else "", "apply_by": i.apply_by.isoformat(),
                "period": i.period.id if i.period else None,
                "opens_later": i.opens.isoformat() if i.opens and i.opens > today else ""} for i in course.intakes]
    front = {
        "title": course.title,
        "slug": course.id,
        "weight": ranks[0],  # by title, as the list pages
        "deadline_rank": ranks[1],
        "name": course.name,
        "local_name": course.local_name if course.has_local_name else "",
        "omraden": [course.area.id],  # front matter names a taxonomy by its plural
        "kommuner": [course.provider.id],
        "area_name": course.area.name,
        "provider_name": course.provider.name,
        "location": course.location,
        "study_forms": list(course.study_form_labels),
        "study_form_ids": list(course.study_forms),
        "course_modes": sorted({COURSE_MODES[f] for f in course.study_forms}),
        "start_months": card_data(course, today)["start"].split(),
        "accepts_applications": any(i.accepts_applications(today) for i in course.intakes),
        "provider_url": course.provider.url,
        "added": course.added.isoformat() if course.added else "",
        "code": course.code or "",
        "pace": str(course.pace),  # numbers as text, as the finder's data and the cards write them
        "weeks": "" if course.weeks is None else str(course.weeks),
        "points": "" if course.points is None else str(course.points),
        "places": course.places,
        "student_aid": course.student_aid,
        "susa_id": course.susa_id,
        "intakes": intakes,
        "next_start": intakes[0]["start"],
        "next_apply_by": intakes[0]["apply_by"],  # of the next intake, as the Python build shows it
        "next_opens": intakes[0]["opens_later"],
        "study_form_names": ", ".join(label for f, label in STUDY_FORM_LABELS.items() if f in course.study_forms),
        "apply_url": course.apply_url,
        "prerequisites": entry.get("prerequisites", ""),
        "contact": _person(course.contact) if course.contact else "",
        "counsellors": [_person(p) for p in course.provider.counsellors],
        "csn": "" if course.student_aid is None else int(course.student_aid),  # the finder's card, as finder.card_row
        "sprak": course.language_label if course.language != "sv" else "",
    }
    body = json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + entry["description"]
    (out / "utbildningar" / f"{course.id}.md").write_text(body, encoding="utf-8")
