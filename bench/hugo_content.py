"""Write a content folder's courses as Hugo content, so bench/hugo/ builds the same pages.

One Markdown file per published course (JSON front matter, the description as the body), an
`_index.md` per area and municipality (taxonomy terms) and the ordinary pages. Canonical names,
titles and open intakes follow the same rules as the Python build, so both build the same site.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml

from dalawux_site.vocabulary import course_id, name_key

HUGO_SITE = Path(__file__).resolve().parent / "hugo"
FORMS = {"plats": "På plats", "distans": "Distans", "flex": "Flex", "larling": "Lärling"}


def _yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CBaseLoader)  # all values as text


def convert(content: Path, site_dir: Path, today: dt.date) -> int:
    """Make site_dir a Hugo site (bench/hugo/ plus content/ for the courses of content); returns the number of courses."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.copytree(HUGO_SITE, site_dir)
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
    _section(out / "omraden", {"title": "Områden"})
    _section(out / "kommuner", {"title": "Kommuner"})
    for area in areas.values():
        _section(out / "omraden" / area["id"], {"title": area["name"], "description": area["description"]})
    for provider in providers.values():
        _section(out / "kommuner" / provider["id"], {"title": provider["name"]})
    count = 0
    for file in sorted((content / "courses").glob("*.yaml")):
        provider = providers[file.stem]
        for entry in _yaml(file) or []:
            count += _course(out, entry, provider, areas, names, periods, today)
    for page in sorted((content / "pages").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        (out / page.name).write_text(text.replace("---\n", "---\ntype: page\n", 1), encoding="utf-8")
    (out / "kontakt.md").write_text("---\ntitle: Kontakt\ntype: page\n---\nKontakta en studie- och yrkesvägledare.\n", encoding="utf-8")
    return count


def _section(folder: Path, front: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_index.md").write_text(json.dumps(front, ensure_ascii=False) + "\n", encoding="utf-8")


def _course(out: Path, entry: dict, provider: dict, areas: dict, names: dict, periods: dict, today: dt.date) -> int:
    intakes = []
    for item in entry["intakes"]:
        apply_by = periods[item["period"]]["closes"] if item.get("period") else item["apply_by"]
        if dt.date.fromisoformat(apply_by) >= today:
            intakes.append({"start": item["start"], "apply_by": apply_by})
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
        "omrade": [entry["area"]],
        "kommun": [provider["id"]],
        "area_name": areas[entry["area"]]["name"],
        "provider_name": provider["name"],
        "location": location,
        "study_forms": [FORMS[f] for f in entry["study_forms"]],
        "pace": entry["pace"],
        "weeks": entry.get("weeks", ""),
        "points": entry.get("points", ""),
        "intakes": intakes,
        "next_start": intakes[0]["start"],
        "next_apply_by": min(i["apply_by"] for i in intakes),
        "apply_url": entry.get("apply_url") or provider["apply_url"],
        "prerequisites": entry.get("prerequisites", ""),
        "contacts": [entry["contact"]] if entry.get("contact") else provider["counsellors"],
    }
    body = json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + entry["description"]
    (out / "utbildningar" / f"{front['slug']}.md").write_text(body, encoding="utf-8")
    return 1
