"""Write a content folder's courses as Hugo content, so bench/hugo/ builds the same pages.

One Markdown file per published course (JSON front matter, the description as the body), an
`_index.md` per area and municipality (taxonomy terms), the ordinary pages, and data/finder.json
(the start page's filter choices and application period). Canonical names, titles and open
intakes follow the same rules as the Python build, so both build the same site.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml

from dalawux_site import pipeline
from dalawux_site.exports import COURSE_MODES
from dalawux_site.finder import NEAR_DEFAULT_KM, NEAR_KM, finder_options
from dalawux_site.model import STUDY_FORM_LABELS
from dalawux_site.render import current_period, date_range
from dalawux_site.vocabulary import course_id, name_key

HUGO_SITE = Path(__file__).resolve().parent / "hugo"
ROOT = HUGO_SITE.parent.parent


def _yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CBaseLoader)  # all values as text


def convert(content: Path, site_dir: Path, today: dt.date) -> int:
    """Make site_dir a Hugo site (bench/hugo/ plus content/ for the courses of content); returns the number of courses."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.copytree(HUGO_SITE, site_dir)
    shutil.copy(ROOT / "templates" / "logo.svg", site_dir / "layouts" / "partials" / "logo.svg")  # the header's logo
    out = site_dir / "content"
    site = _yaml(content / "site.yaml")
    periods = {p["id"]: p for p in site["application_periods"]}
    providers = {m["id"]: m for m in _yaml(content / "municipalities.yaml")}
    areas = {a["id"]: a for a in _yaml(content / "areas.yaml")}
    names = {}
    for entry in _yaml(content / "names.yaml"):
        for text in [entry["name"], *entry.get("aliases", [])]:
            names.setdefault(name_key(text), entry["name"])
    _section(out / "utbildningar", {"title": "Utbildningar"})
    _section(out / "omraden", {"title": "Områden", "lead": "Välj ett område för att se alla utbildningar i det.",
                               "description": "Yrkesutbildningar för vuxna i Dalarna, ordnade efter yrkesområde."})
    _section(out / "kommuner", {"title": "Kommuner", "lead": "Dalarnas 15 kommuner samarbetar om yrkesutbildning för vuxna. Du kan söka till alla, var du än bor i Dalarna.",
                                "description": "De 15 kommunerna i Dalarna som ger yrkesutbildning för vuxna."})
    for area in areas.values():
        _section(out / "omraden" / area["id"], {"title": area["name"], "description": area["description"]})
    for provider in providers.values():
        _section(out / "kommuner" / provider["id"], {
            "title": provider["name"], "counsellors": provider["counsellors"], "apply_url": provider["apply_url"], "website": provider["url"]})
    count = 0
    for file in sorted((content / "courses").glob("*.yaml")):
        provider = providers[file.stem]
        for entry in _yaml(file) or []:
            count += _course(out, entry, provider, areas, names, periods, today)
    _finder_data(site_dir / "data" / "finder.json", content, today)
    for page in sorted((content / "pages").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        (out / page.name).write_text(text.replace("---\n", "---\ntype: page\n", 1), encoding="utf-8")
    (out / "kontakt.md").write_text("---\ntitle: Kontakt\ntype: page\n---\nKontakta en studie- och yrkesvägledare.\n", encoding="utf-8")
    return count


def _finder_data(file: Path, content: Path, today: dt.date) -> None:
    """The start page's filter choices and application period, as the Python build makes them
    (finder.finder_options and render.current_period on the same content)."""
    catalogue = pipeline.check(content, today, keep_raw=False).catalogue
    options, period = finder_options(catalogue), current_period(catalogue)

    def select(name: str, label: str, everything: str, choices) -> dict:
        return {"name": name, "label": label, "everything": everything, "choices": [vars(c) for c in choices]}
    data = {
        "today": today.isoformat(),
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


def _course(out: Path, entry: dict, provider: dict, areas: dict, names: dict, periods: dict, today: dt.date) -> int:
    """1 when the course is published (its front matter written, its description as the body), 0 when no intake is open."""
    intakes = []
    for item in entry["intakes"]:
        period = periods[item["period"]] if item.get("period") else None
        apply_by = period["closes"] if period else item["apply_by"]
        if dt.date.fromisoformat(apply_by) >= today:
            opens = period["opens"] if period else None
            intakes.append({"start": item["start"], "apply_by": apply_by, "period": item.get("period"),
                            "opens_later": opens if opens and opens > today.isoformat() else ""})
    if not intakes:
        return 0
    intakes.sort(key=lambda i: (i["start"], i["apply_by"]))
    local = " ".join(entry["name"].split())
    name = names.get(name_key(local), local)
    location = " ".join(entry["location"].split())
    front = {
        "title": f"{name} – {provider['name']} ({location})",
        "slug": entry.get("id") or course_id(name, provider["id"], location),
        "name": name,
        "local_name": local if name_key(local) != name_key(name) else "",
        "omraden": [entry["area"]],  # front matter names a taxonomy by its plural
        "kommuner": [provider["id"]],
        "area_name": areas[entry["area"]]["name"],
        "provider_name": provider["name"],
        "location": location,
        "study_forms": [STUDY_FORM_LABELS[f] for f in entry["study_forms"]],
        "study_form_ids": entry["study_forms"],
        "course_modes": sorted({COURSE_MODES[f] for f in entry["study_forms"]}),
        "start_months": list(dict.fromkeys(i["start"][:7] for i in intakes)),
        "accepts_applications": any(not i["opens_later"] for i in intakes),
        "provider_url": provider["url"],
        "added": entry.get("added", ""),
        "code": entry.get("code", ""),
        "pace": entry["pace"],
        "weeks": entry.get("weeks", ""),
        "points": entry.get("points", ""),
        "intakes": intakes,
        "next_start": intakes[0]["start"],
        "next_apply_by": intakes[0]["apply_by"],  # of the next intake, as the Python build shows it
        "next_opens": intakes[0]["opens_later"],
        "study_form_names": ", ".join(label for f, label in STUDY_FORM_LABELS.items() if f in entry["study_forms"]),
        "apply_url": entry.get("apply_url") or provider["apply_url"],
        "prerequisites": entry.get("prerequisites", ""),
        "contact": entry.get("contact", ""),
        "counsellors": provider["counsellors"],
    }
    body = json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + entry["description"]
    (out / "utbildningar" / f"{front['slug']}.md").write_text(body, encoding="utf-8")
    return 1
