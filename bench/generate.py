"""Synthetic catalogues in the real content format, for the benchmark.

`python -m bench.generate --courses 10000 --out .bench/content-10000 --today 2026-11-22`

Copies site.yaml, municipalities.yaml, areas.yaml, names.yaml, orter.yaml and pages/ from content/ and writes
N courses spread over the 15 municipalities, one file per course (courses/<municipality>/<id>.yaml,
in course_file.format_course's bytes: a municipality's list of thousands would pass the size limit).
Everything is drawn from a seeded random number generator, so the same arguments give
byte-identical files. Every course is valid and has an intake that is open on --today, so all N
are published.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from slugify import slugify

from dalawux_site.course_file import format_course

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
COPIED = ("site.yaml", "municipalities.yaml", "areas.yaml", "names.yaml", "orter.yaml")
COMMENT = "# Syntetisk utbildning för prestandamätning (bench/generate.py)."

TOWNS = {
    "avesta": ["Avesta", "Krylbo", "Horndal"], "borlange": ["Borlänge", "Ornäs"], "falun": ["Falun", "Svärdsjö"],
    "gagnef": ["Gagnef", "Djurås", "Mockfjärd"], "hedemora": ["Hedemora", "Långshyttan"],
    "leksand": ["Leksand", "Insjön"], "ludvika": ["Ludvika", "Grängesberg"], "malung-salen": ["Malung", "Sälen"],
    "mora": ["Mora", "Venjan"], "orsa": ["Orsa"], "rattvik": ["Rättvik", "Furudal"],
    "smedjebacken": ["Smedjebacken", "Söderbärke"], "sater": ["Säter", "Gustafs"], "vansbro": ["Vansbro", "Äppelbo"],
    "alvdalen": ["Älvdalen", "Idre"],
}
# Names no entry of names.yaml knows: real catalogues always have a few (they give warnings, not errors).
UNMATCHED = [("Hovslagare", "hantverk"), ("Drönarpilot", "fordon-transport"), ("Klockmakare", "hantverk"),
             ("Sotare", "vvs-fastighet"), ("Båtmekaniker", "fordon-transport"), ("Glasblåsare", "hantverk")]

# --- phrase bank: short sentences in easy Swedish, combined differently for every course ---------
LEARN = [
    "Du lär dig grunderna i yrket steg för steg.", "Du lär dig att planera och göra arbetet säkert.",
    "Du lär dig att använda verktyg och maskiner på rätt sätt.", "Du lär dig om lagar och regler i branschen.",
    "Du lär dig att samarbeta med kollegor och kunder.", "Du lär dig att arbeta med kvalitet och miljö.",
    "Du lär dig att lösa problem som kommer upp i arbetet.", "Du tränar på att förklara ditt arbete för andra.",
    "Du lär dig om arbetsmiljö och hur du tar hand om din kropp.", "Du lär dig att läsa ritningar och instruktioner.",
    "Du får prova många olika moment under utbildningen.", "Du lär dig digitala verktyg som används på jobbet.",
    "Du tränar på att ge bra service.", "Du lär dig att hålla ordning och följa rutiner.",
]
JOBS = [
    "Efter utbildningen kan du arbeta som {name}.", "Det finns många lediga jobb som {name} i Dalarna.",
    "Många som läser utbildningen får jobb direkt efteråt.", "Du kan arbeta i ett litet företag eller i en stor organisation.",
    "Du kan också starta eget företag.", "Arbetsgivare i {town} söker ofta personal med den här utbildningen.",
    "Efter några år kan du gå vidare och bli arbetsledare.", "Utbildningen ger dig ett yrkesbevis som visar vad du kan.",
]
HOW = [
    "Du läser i skolan {days} dagar i veckan.", "En del av tiden är du ute på en arbetsplats. Det kallas APL.",
    "På APL har du en handledare som visar hur arbetet går till.", "Du studerar i en liten grupp med en lärare.",
    "Du får stöd i svenska om du behöver det.", "Lektionerna är på dagtid.", "En del lektioner är på distans.",
    "Du gör praktiska uppgifter varje vecka.", "Läraren har själv arbetat i yrket i många år.",
    "Du får läsa i din egen takt med stöd av en lärare.",
]
BULLETS = [
    "säkerhet och arbetsmiljö", "service och bemötande", "material och verktyg", "hygien och hälsa",
    "planering av arbetet", "digitala system", "kvalitet och miljö", "svenska i yrket", "matematik i yrket",
    "lagar och regler", "samarbete i arbetslag", "första hjälpen", "dokumentation", "underhåll och skötsel",
    "kundmöten", "ekonomi i vardagen", "hållbar utveckling", "praktiskt arbete",
]
PREREQ = [
    "Du behöver kunna svenska på nivå motsvarande SFI D.", "Du behöver kunna svenska på nivå motsvarande SFI C.",
    "Du behöver ha gått klart grundskolan eller ha liknande kunskaper.", "Du behöver B-körkort.",
    "Du behöver en dator och kunna använda den.", "Du behöver vara frisk och kunna lyfta tungt.",
]
FIRST_NAMES = ["Anna", "Erik", "Sara", "Johan", "Fatima", "Lars", "Maria", "Ali", "Karin", "Per", "Lina", "Omar"]
LAST_NAMES = ["Andersson", "Berg", "Dahl", "Eriksson", "Holm", "Karlsson", "Lund", "Nilsson", "Persson", "Ström"]


@dataclass(frozen=True)
class Name:
    """A name a course can be submitted under, and the area and canonical name it belongs to."""

    text: str
    canonical: str
    area: str


def name_bank(content: Path, areas: list[str]) -> list[Name]:
    """Canonical names and aliases from names.yaml, plus a few names that match nothing."""
    bank = []
    for entry in yaml.load((content / "names.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
        area = entry.get("area") or areas[len(bank) % len(areas)]
        for text in [entry["name"], *entry.get("aliases", [])]:
            bank.append(Name(text, entry["name"], area))
    return bank + [Name(text, text, area) for text, area in UNMATCHED]


def generate(out: Path, courses: int, today: dt.date, seed: int = 7, content: Path = CONTENT) -> None:
    """Write a complete content folder with `courses` courses into out (replacing it)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "courses").mkdir(parents=True)
    for name in COPIED:
        shutil.copy2(content / name, out / name)
    shutil.copytree(content / "pages", out / "pages")
    shutil.copytree(content / "schemas", out / "schemas")
    site = yaml.load((content / "site.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    municipalities = [m["id"] for m in yaml.load((content / "municipalities.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)]
    areas = [a["id"] for a in yaml.load((content / "areas.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)]
    periods = [p for p in site["application_periods"] if dt.date.fromisoformat(p["closes"]) >= today]
    rng = random.Random(seed)
    names = name_bank(content, areas)
    for municipality in municipalities:
        (out / "courses" / municipality).mkdir()
    for n in range(courses):
        municipality = municipalities[n % len(municipalities)]
        ident, data = _course(rng, n, municipality, names, periods, today)
        (out / "courses" / municipality / f"{ident}.yaml").write_text(format_course(data, (COMMENT,)), encoding="utf-8")


def _course(rng: random.Random, n: int, municipality: str, names: list[Name], periods: list[dict], today: dt.date) -> tuple[str, dict]:
    """A course's id (its file's name) and its fields, drawn in the same order for the same seed."""
    name = rng.choice(names) if rng.random() > 0.02 else rng.choice(names[-len(UNMATCHED):])
    town = rng.choice(TOWNS.get(municipality, [municipality.title()]) + ["Dalarna"] * (1 if rng.random() < 0.2 else 0))
    forms = rng.choice([["plats"], ["plats"], ["plats"], ["distans"], ["flex"], ["larling"], ["distans", "flex"], ["plats", "flex"]])
    pace = rng.choice([100, 100, 100, 75, 50, 50, 25])
    data: dict = {"name": name.text, "location": town, "area": name.area, "study_forms": forms, "pace": pace}
    weeks = rng.randint(10, 80)
    if rng.random() < 0.85:
        data["weeks"] = weeks
    data["points"] = weeks * 20
    data["intakes"] = _intakes(rng, periods, today)
    if rng.random() < 0.2:
        data["apply_url"] = f"https://www.{municipality.replace('-', '')}.se/vuxenutbildning/{slugify(name.canonical)}"
    data["description"] = _description(rng, name, town) + "\n"
    if rng.random() < 0.7:
        data["prerequisites"] = " ".join(rng.sample(PREREQ, rng.randint(1, 3))) + "\n"
    if rng.random() < 0.4:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        data["contact"] = {"name": f"{first} {last}", "email": f"{slugify(first)}.{slugify(last)}@{municipality.replace('-', '')}.se",
                           "phone": f"070-174 06 {rng.randint(5, 99):02d}"}
    if rng.random() < 0.9:
        data["added"] = today - dt.timedelta(days=rng.randint(0, 120))
    return f"{slugify(name.canonical)}-{municipality}-{n}", data


def _intakes(rng: random.Random, periods: list[dict], today: dt.date) -> list[dict]:
    """One to three intakes; the first is always open on today."""
    intakes = []
    for k in range(rng.choice([1, 1, 2, 2, 3])):
        if periods and rng.random() < 0.6:
            period = rng.choice(periods)
            closes = dt.date.fromisoformat(period["closes"])
            start = dt.date.fromisoformat(period["starts"]) if period.get("starts") else closes + dt.timedelta(days=30)
            intakes.append({"start": start, "period": period["id"]})
        else:
            apply_by = today + dt.timedelta(days=rng.randint(-30 if k else 5, 240))
            start = apply_by + dt.timedelta(days=rng.randint(14, 60))
            intakes.append({"start": start, "apply_by": apply_by})
    return intakes


def _description(rng: random.Random, name: Name, town: str) -> str:
    words = {"name": name.canonical.lower(), "town": town, "days": rng.randint(2, 5)}
    paragraphs = [
        " ".join(rng.sample(LEARN, rng.randint(2, 4))),
        "Under utbildningen läser du bland annat:\n\n" + "\n".join("- " + b for b in rng.sample(BULLETS, rng.randint(3, 6))),
        " ".join(s.format(**words) for s in rng.sample(JOBS, rng.randint(2, 4))),
        " ".join(s.format(**words) for s in rng.sample(HOW, rng.randint(2, 4))),
    ]
    if rng.random() < 0.3:
        paragraphs.append(f"Läs mer om yrket hos [Arbetsförmedlingen](https://arbetsformedlingen.se/yrken/{slugify(name.canonical)}).")
    if rng.random() < 0.3:
        paragraphs.insert(0, f"**{name.text}** i {town} är en yrkesutbildning för vuxna.")
    return "\n\n".join(paragraphs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    generate(args.out, args.courses, args.today, args.seed)
    print(f"{args.courses} utbildningar i {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
