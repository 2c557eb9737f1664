"""Stage 2: every refusal the catalogue promises, with the exact message an editor reads."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from dalawux_site.load import parse_yaml
from dalawux_site.validate import _passes, schema

from .conftest import problems

GOOD = """\
- name: Svetsare
  location: Falun
  area: industri
  study_forms: [plats]
  pace: 100
  weeks: 20
  intakes:
    - start: 2027-02-01
      apply_by: 2026-12-01
  description: Du lär dig att svetsa.
"""


def _with(content: Path, text: str, file: str = "courses/avesta.yaml") -> list[str]:
    """The problems found in one course file after writing text into it."""
    (content / file).write_text(text, encoding="utf-8")
    return [line for line in problems(content) if line.startswith(f"content/{file}")]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("pace: 100", 'pace: "hundra"',
         'content/courses/avesta.yaml:5: fältet "pace" måste vara ett heltal mellan 1 och 100 (studietakt i procent, 100 = heltid), fick "hundra"'),
        ("pace: 100", "pace: 150",
         'content/courses/avesta.yaml:5: fältet "pace" måste vara ett heltal mellan 1 och 100 (studietakt i procent, 100 = heltid), fick 150'),
        ("  description:", "  descripton: x\n  description:",
         'content/courses/avesta.yaml:10: okänt fält "descripton" – menade du "description"?'),
        ("  area: industri\n", "",
         'content/courses/avesta.yaml:1: fältet "area" saknas – lägg till t.ex. area: restaurang-livsmedel'),
        ("name: Svetsare", 'name: "  "',
         'content/courses/avesta.yaml:1: fältet "name" måste vara en text (högst 120 tecken) och får inte vara tomt, fick "  "'),
        ("start: 2027-02-01", "start: 2027-02-30",
         'content/courses/avesta.yaml:8: fältet "start" måste vara ett riktigt datum skrivet ÅÅÅÅ-MM-DD, t.ex. 2027-01-18, fick "2027-02-30"'),
        ("start: 2027-02-01", "start: 2026-11-30",
         "content/courses/avesta.yaml:8: starten 2026-11-30 är före sista ansökningsdag 2026-12-01 – sista ansökningsdag måste komma före starten"),
        ("area: industri", "area: industr",
         'content/courses/avesta.yaml:3: området "industr" finns inte i areas.yaml – menade du "industri"?'),
        ("apply_by: 2026-12-01", "period: start-maj-2027",
         'content/courses/avesta.yaml:9: ansökningsperioden "start-maj-2027" finns inte i site.yaml – menade du "start-mar-2027"?'),
        ("[plats]", "[plats, hemma]",
         'content/courses/avesta.yaml:4: fältet "study_forms" innehåller "hemma", som inte går – måste vara plats, distans, flex eller larling'),
        ("  weeks: 20\n", "",
         "content/courses/avesta.yaml:1: saknar längd – ange weeks (antal veckor) eller points (gymnasiepoäng), eller båda"),
        ("  description: Du", "  apply_url: http://www.avesta.se\n  description: Du",
         'content/courses/avesta.yaml:10: fältet "apply_url" måste vara en fullständig webbadress som börjar med https://, fick "http://www.avesta.se"'),
        ("      apply_by: 2026-12-01\n", "",
         "content/courses/avesta.yaml:8: varje start ska ha start: och antingen apply_by: (sista ansökningsdag) eller period: (en gemensam ansökningsperiod), inte båda – eller vara löpande: continuous: true och apply_by: (sista dagen att söka), utan start:"),
        ("      apply_by: 2026-12-01\n", "      apply_by: 2026-12-01\n      period: start-mar-2027\n",
         "content/courses/avesta.yaml:8: varje start ska ha start: och antingen apply_by: (sista ansökningsdag) eller period: (en gemensam ansökningsperiod), inte båda – eller vara löpande: continuous: true och apply_by: (sista dagen att söka), utan start:"),
        ("pace: 100", "pace: 100\n  pace: 50",
         'content/courses/avesta.yaml:6: fältet "pace" står två gånger (första gången på rad 5) – ta bort det ena'),
        ("name: Svetsare", "name: !!python/object:os.system Svetsare",
         'content/courses/avesta.yaml:1: YAML-taggen "tag:yaml.org,2002:python/object:os.system" är inte tillåten – ta bort den (innehållet får bara vara text, tal, datum och listor)'),
        ("  study_forms: [plats]", "  study_forms: [plats",
         "content/courses/avesta.yaml:4: filen kan inte läsas som YAML: en lista inom [ ] avslutas aldrig – kontrollera att den slutar med ]"),
    ],
)
def test_bad_course_is_refused_with_a_clear_message(content, old, new, expected):
    assert old in GOOD
    found = _with(content, GOOD.replace(old, new))
    assert expected in found, found
    assert sum(1 for line in found if "avesta.yaml" in line and "varning" not in line) == 1, found


def test_good_course_has_no_problem(content):
    assert _with(content, GOOD) == []


def test_all_problems_are_reported_in_one_run(content):
    bad = GOOD.replace("pace: 100", "pace: 0").replace("area: industri", "area: nope") + GOOD.replace("weeks: 20", "weeks: x")
    found = _with(content, bad)
    assert [line.split(": ", 1)[0] for line in found] == [
        "content/courses/avesta.yaml:3", "content/courses/avesta.yaml:5", "content/courses/avesta.yaml:16",
    ]


def test_same_course_twice_is_refused(content):
    found = _with(content, GOOD + GOOD.replace("Svetsare", "Svets"))
    assert found == [
        "content/courses/avesta.yaml:11: samma utbildning finns redan i content/courses/avesta.yaml på rad 1 "
        "(adressen /utbildningar/svetsare-avesta-falun/) – ta bort den ena, eller ge båda ett eget id:, t.ex. id: svetsare-avesta-falun-kvall"
    ]


def test_same_course_twice_is_fine_with_own_ids(content):
    twice = GOOD.replace("- name:", "- id: svets-dag\n  name:") + GOOD.replace("- name:", "- id: svets-kvall\n  name:")
    assert _with(content, twice) == []


def test_course_file_must_match_a_municipality(content):
    found = _with(content, GOOD, "courses/faluun.yaml")
    assert found == [
        'content/courses/faluun.yaml: filen hör inte till någon kommun i municipalities.yaml – filnamnet ska vara kommunens id (menade du "falun"?)'
    ]


def test_wrong_file_ending_is_reported(content):
    found = _with(content, GOOD, "courses/avesta.yml")
    assert found == ["content/courses/avesta.yml: filen har fel ändelse och läses inte – byt namn till avesta.yaml"]


def test_non_utf8_course_file_is_refused(content):
    (content / "courses" / "avesta.yaml").write_bytes(GOOD.replace("Falun", "Gävle").encode("latin-1"))
    assert [p for p in problems(content) if "avesta" in p] == [
        "content/courses/avesta.yaml:2: filen är inte sparad som UTF-8 – spara den som UTF-8 i din textredigerare (å, ä och ö blir annars fel)"
    ]


def test_an_alias_may_belong_to_one_name_only(content):
    names = (content / "names.yaml").read_text(encoding="utf-8")
    (content / "names.yaml").write_text(names + "- name: Kock\n  aliases:\n    - köks-biträde\n", encoding="utf-8")
    assert [p for p in problems(content) if "varning" not in p] == [
        'content/names.yaml:24: namnet "köks-biträde" finns redan under "Restaurangbiträde" (rad 6) – ett namn får bara höra till en utbildning'
    ]


def test_missing_required_file_is_reported(content):
    (content / "areas.yaml").unlink()
    assert "content/areas.yaml: filen saknas: areas.yaml måste finnas i innehållsmappen" in problems(content)


def test_page_cannot_take_a_site_address(content):
    (content / "pages" / "utbildningar.md").write_text("---\ntitle: X\n---\nText.\n", encoding="utf-8")
    assert [p for p in problems(content) if "pages" in p] == [
        "content/pages/utbildningar.md:1: sidans adress /utbildningar/ används redan av webbplatsen – byt namn på filen eller ange slug:"
    ]


# --- the schema is the single source of the rules ---------------------------------------------

EXAMPLES = Path(__file__).parent / "sample" / "schema-examples"


def _schema_verdict(text: str) -> bool:
    data, _, _ = parse_yaml(text)
    validator = jsonschema.Draft7Validator(schema("course"), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return validator.is_valid(data)


@pytest.mark.parametrize(
    "mutation",
    [
        None,
        ("pace: 100", "pace: 101"), ("pace: 100", "pace: 0"), ("pace: 100", "pace: 1"),
        ("[plats]", "[]"), ("[plats]", "[plats, plats]"), ("[plats]", "[larling, distans, flex]"),
        ("weeks: 20", "points: 400"), ("  weeks: 20\n", ""),
        ("start: 2027-02-01", "start: 2027-13-01"), ("start: 2027-02-01", "start: 27-02-01"),
        ("  description: Du", "  apply_url: https://falun.se/a\n  description: Du"),
        ("  description: Du", "  apply_url: ftp://falun.se/a\n  description: Du"),
        ("  description: Du", "  added: 2026-11-01\n  description: Du"),
        ("  description: Du", "  id: Stora Bokstäver\n  description: Du"),
        ("  description: Du", "  contact:\n    name: Ann\n    email: ann@falun.se\n  description: Du"),
        ("  description: Du", "  contact:\n    email: ann@falun.se\n  description: Du"),
        ("name: Svetsare", "name: 42"),
    ],
)
def test_build_and_schema_never_disagree(content, mutation):
    """For each example, the schema alone and the build's validation give the same verdict on shape."""
    text = GOOD if mutation is None else GOOD.replace(*mutation)
    build_ok = not [p for p in _with(content, text) if "varning" not in p]
    assert build_ok == _schema_verdict(text)
    data, _, _ = parse_yaml(text)
    assert _passes("course", data) == _schema_verdict(text)  # the compiled fast path agrees too


def test_course_schema_is_valid_draft7_and_named_in_course_files():
    jsonschema.Draft7Validator.check_schema(schema("course"))
    bundled = Path(__file__).parent.parent / "content" / "courses"
    for file in bundled.glob("*.yaml"):
        assert file.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/course.schema.json\n"), file


def test_every_schema_message_is_swedish():
    for name in ("course", "site", "municipalities", "areas", "names", "page", "infobrev"):
        text = json.dumps(schema(name), ensure_ascii=False)
        assert "errorMessage" in text
        for message in _messages(schema(name)):
            assert not message.lower().startswith(("must", "should", "is ")), message


def _messages(node):
    if isinstance(node, dict):
        if isinstance(node.get("errorMessage"), str):
            yield node["errorMessage"]
        for value in node.values():
            yield from _messages(value)
    elif isinstance(node, list):
        for value in node:
            yield from _messages(value)


def test_hard_description_gets_a_lix_warning_with_figure_file_and_line(content):
    hard = GOOD.replace(
        "  description: Du lär dig att svetsa.",
        "  description: |\n    Kort inledning.\n\n    Utbildningen förbereder deltagarna för kvalificerade arbetsuppgifter inom "
        "tillverkningsindustrins produktionsanläggningar, underhållsverksamheter och konstruktionsavdelningar.",
    )
    found = _with(content, hard)
    assert found == [
        "content/courses/avesta.yaml:11: varning: texten är svår att läsa (LIX 78, över 50) – skriv kortare meningar "
        "och vanligare, kortare ord. Sikta på under 40"
    ]


def test_the_same_text_in_two_courses_is_reported_at_each_courses_own_line(content):
    """Each distinct text is rendered once; its warnings still name every course that has it."""
    course = GOOD.replace("  description: Du lär dig att svetsa.", "  description: Du lär dig att <b>svetsa</b>.")
    second = course.replace("- name: Svetsare", "- name: Svetsare\n  id: svetsare-igen")
    found = _with(content, course + second)
    lines = len(course.splitlines())
    assert found == [
        f"content/courses/avesta.yaml:{line}: varning: HTML-kod togs bort: <b> </b> – skriv texten med Markdown i stället"
        for line in (10, 10 + lines + 1)
    ]
