"""content/orter.yaml: every place a course is given in has coordinates; distances between them."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dalawux_site import pipeline
from dalawux_site.geo import about_km, km
from dalawux_site.model import ACROSS_COUNTY, Place

from .conftest import SVETSARE, TODAY, problems

ROOT = Path(__file__).resolve().parent.parent
COURSE = SVETSARE.replace("location: Falun", "location: {location}")


@pytest.fixture(scope="module")
def bundled():
    result = pipeline.check(ROOT / "content", TODAY)
    assert result.catalogue is not None
    return result


def test_haversine_gives_known_distances():
    ludvika, smedjebacken = Place("Ludvika", "ludvika", 60.1333, 15.1833), Place("Smedjebacken", "smedjebacken", 60.1333, 15.4167)
    assert km(ludvika, smedjebacken) == pytest.approx(12.92, abs=0.01)
    assert km(smedjebacken, ludvika) == km(ludvika, smedjebacken)
    assert km(ludvika, ludvika) == 0
    # Stockholm (59.3293, 18.0686) to Göteborg (57.7089, 11.9746): 398 km as the crow flies
    assert km(Place("S", "s", 59.3293, 18.0686), Place("G", "g", 57.7089, 11.9746)) == pytest.approx(398, abs=1.5)


@pytest.mark.parametrize(("distance", "shown"), [(0.2, 0), (4.6, 5), (9.4, 9), (12.9, 15), (17.4, 15), (48.0, 50)])
def test_distances_are_shown_rounded(distance, shown):
    assert about_km(distance) == shown


def test_every_bundled_location_and_main_town_has_coordinates(bundled):
    catalogue = bundled.catalogue
    locations = {c.location for c in catalogue.courses} - {ACROSS_COUNTY}
    assert locations and all(catalogue.place(name) for name in locations)
    for provider in catalogue.providers:
        assert provider.main_town is not None and provider.main_town.main_town
        assert provider.main_town.municipality == provider.id
        assert 59.8 < provider.main_town.lat < 62.3 and 12.1 < provider.main_town.lon < 16.9  # inside Dalarna
    assert catalogue.place(ACROSS_COUNTY) is None
    assert {p.id: p.main_town.name for p in catalogue.providers}["gagnef"] == "Djurås"
    assert not [d for d in bundled.report.diagnostics if "orter.yaml" in d.message]


def test_every_bundled_place_lies_near_its_main_town(bundled):
    """A typo in a coordinate moves a place out of its municipality: none is over 110 km from its main town (Idre, in the vast Älvdalen, is 99)."""
    towns = {p.id: p.main_town for p in bundled.catalogue.providers}
    assert max(km(p, towns[p.municipality]) for p in bundled.catalogue.places) < 110


def test_a_location_without_coordinates_is_a_warning_with_file_and_line(content):
    (content / "courses" / "avesta.yaml").write_text(COURSE.format(location="Grängesberg"), encoding="utf-8")
    assert [p for p in problems(content) if "orter.yaml" in p] == [
        'content/courses/avesta.yaml:2: varning: orten "Grängesberg" finns inte i orter.yaml – lägg till den där med '
        "koordinater (lat och lon), annars visas utbildningen inte när någon söker utbildningar nära en kommun"
    ]
    result = pipeline.check(content, TODAY)
    assert result.catalogue is not None and "Grängesberg" in {c.location for c in result.catalogue.courses}


def test_a_misspelt_location_gets_a_suggestion_and_dalarna_needs_none(content):
    (content / "courses" / "avesta.yaml").write_text(COURSE.format(location="Borlänga") + COURSE.format(location="Dalarna").replace("Svetsare", "Kock"), encoding="utf-8")
    assert [p for p in problems(content) if "orter.yaml" in p] == [
        'content/courses/avesta.yaml:2: varning: orten "Borlänga" finns inte i orter.yaml (menade du "Borlänge"?) – lägg till den där '
        "med koordinater (lat och lon), annars visas utbildningen inte när någon söker utbildningar nära en kommun"
    ]


def _places(content: Path) -> list[dict]:
    return yaml.safe_load((content / "orter.yaml").read_text(encoding="utf-8"))


def _write_places(content: Path, places: list[dict]) -> None:
    (content / "orter.yaml").write_text(yaml.safe_dump(places, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_places_are_checked_against_each_other_and_the_municipalities(content):
    places = _places(content)
    places[0]["municipality"] = "avestaa"  # Avesta's main town now belongs to no municipality
    places.append({"name": "Falun", "municipality": "falun", "lat": 60.6, "lon": 15.6})
    places.append({"name": "Mora", "municipality": "mora", "main_town": True, "lat": 61.0, "lon": 14.5})
    _write_places(content, places)
    found = [p for p in problems(content) if p.startswith("content/orter.yaml")]
    assert found == [
        'content/orter.yaml: kommunen "avesta" har ingen centralort – skriv main_town: true under precis en av kommunens orter',
        'content/orter.yaml: kommunen "mora" har 2 centralorter (Mora, Mora) – skriv main_town: true under precis en av kommunens orter',
        'content/orter.yaml:2: kommunen "avestaa" finns inte i municipalities.yaml – menade du "avesta"?',
        'content/orter.yaml:76: orten "Falun" står redan på rad 11 – ta bort den ena',
        'content/orter.yaml:80: orten "Mora" står redan på rad 41 – ta bort den ena',
    ]


@pytest.mark.parametrize(("change", "expected"), [
    ({"lat": 15.4333, "lon": 60.4833},
     'fältet "lat" måste vara en latitud i Sverige i grader med punkt, t.ex. 60.0833 (har lat och lon bytt plats?), fick 15.4333'),
    ({"name": "Dalarna"},
     'fältet "name" måste vara ortens namn (högst 80 tecken). Dalarna är ingen ort: det betyder hela länet och står inte här, fick "Dalarna"'),
])
def test_place_schema_explains_in_swedish(content, change, expected):
    places = _places(content)
    places[1].update(change)
    _write_places(content, places)
    assert any(p.endswith(expected) and p.startswith("content/orter.yaml:") for p in problems(content)), problems(content)


def test_missing_places_file_is_reported(content):
    (content / "orter.yaml").unlink()
    assert "content/orter.yaml: filen saknas: orter.yaml måste finnas i innehållsmappen" in problems(content)


def test_nearby_courses_are_other_municipalities_within_50_km_nearest_first(bundled):
    from dalawux_site.finder import nearby

    catalogue = bundled.catalogue
    ludvika = next(p for p in catalogue.providers if p.id == "ludvika")
    found = nearby(catalogue, ludvika, 50)
    assert found and all(c.provider.id != "ludvika" and c.location != ACROSS_COUNTY for c, _ in found)
    assert [d for _, d in found] == sorted(d for _, d in found) and max(d for _, d in found) <= 50
    assert {c.location for c, _ in found} >= {"Smedjebacken"} and "Mora" not in {c.location for c, _ in found}
    expected = {c.id for c in catalogue.courses if c.provider.id != "ludvika" and catalogue.place(c.location)
                and km(ludvika.main_town, catalogue.place(c.location)) <= 50}
    assert {c.id for c, _ in found} == expected


def test_municipality_page_says_which_neighbouring_courses_are_within_50_km(site):
    section = site.soup("/kommuner/falun/").select_one("section.nearby")
    items = [li.get_text(" ", strip=True) for li in section.select(".nearby-list li")]
    # Borlänge is 20 km from Falun; Hedemora 38 km; Mora (80 km) is too far
    assert any("(Hedemora)" in item and "ca 40 km från Falun" in item for item in items)
    assert not any("(Mora)" in item for item in items)
    assert section.find("a", href="/?nara=falun&km=50")
