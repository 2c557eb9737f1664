"""Stage 2: every refusal the catalogue promises, with the exact message an editor reads."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import referencing
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dalawux_site.load import parse_yaml
from dalawux_site.validate import _passes, schema

from .conftest import SAMPLE, SVETSARE, problems

SAMPLE_PAGES = SAMPLE / "pages"

GOOD = SVETSARE


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
         'content/courses/avesta.yaml:8: fältet "start" måste vara ett riktigt datum mellan år 2000 och 2099, skrivet ÅÅÅÅ-MM-DD, t.ex. 2027-01-18, fick "2027-02-30"'),
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
         'content/courses/avesta.yaml:6: fältet "pace" står två gånger (första gången på rad 5) – ett fält får bara stå en gång: behåll det som är rätt och ta bort det andra'),
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
        '(adressen /utbildningar/svetsare-avesta-falun/) – "Svetsare" och "Svets" blir samma utbildning, "Svetsare", för att '
        '"Svets" står som alias för det namnet i content/names.yaml på rad 11. Är de olika utbildningar: ta bort aliaset '
        "ur names.yaml, eller ge båda ett eget id:, t.ex. id: svetsare-avesta-falun-kvall. Är de samma: ta bort den ena"
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
        'content/names.yaml:27: namnet "köks-biträde" finns redan under "Restaurangbiträde" (rad 6) – ett namn får bara höra till en utbildning'
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


_INTAKE_VALUES = st.sampled_from([
    "2027-02-01", "2026-12-01", "2027-02-30", "27-02-01", "start-mar-2027", "Start Mar", "", True, False, 1, 0, 1.0,
    None, [], ["2027-02-01"], {}, {"start": "2027-02-01"},
])
_INTAKES = st.one_of(
    st.dictionaries(st.sampled_from(["start", "apply_by", "period", "continuous", "starts"]), _INTAKE_VALUES, max_size=4),
    _INTAKE_VALUES,
)


@settings(max_examples=400)
@given(st.lists(st.lists(_INTAKES, max_size=3), min_size=1, max_size=6))
@example([[{"continuous": 1, "apply_by": "2026-12-01"}], [{"continuous": True, "apply_by": "2026-12-01"}]])
@example([[{"continuous": True, "apply_by": "2026-12-01"}], [{"continuous": 1.0, "apply_by": "2026-12-01"}]])
@example([[{"start": "2027-02-01", "period": "start-mar-2027"}]] * 2 + [[{"start": "2027-02-01", "period": ["start-mar-2027"]}]])
def test_a_per_course_files_fast_path_agrees_with_the_schema_on_every_intake(intake_lists):
    """The compiled check of a per-course file checks its intakes apart, each distinct one once:
    its verdict is the reference validator's, however often (and in whichever course) an intake
    comes again. True and 1 differ in the schema though Python counts them equal."""
    course, _, _ = parse_yaml(GOOD)
    reference = jsonschema.Draft7Validator(schema("course-entry"), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    for intakes in intake_lists:
        entry = {**course[0], "intakes": intakes}
        assert _passes("course-entry", entry) == reference.is_valid(entry), entry


def test_course_schema_is_valid_draft7_and_named_in_course_files():
    jsonschema.Draft7Validator.check_schema(schema("course"))
    bundled = Path(__file__).parent.parent / "content" / "courses"
    for file in bundled.glob("*.yaml"):
        assert file.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/course.schema.json\n"), file
    per_course = sorted(bundled.glob("*/*.yaml"))
    assert len(per_course) > 100
    for file in per_course:
        assert file.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/course-file.schema.json\n"), file


def test_course_file_schema_is_the_course_definition_for_editors():
    """What an editor's IDE reads for a per-course file: course.schema.json's course, by reference."""
    file_schema = schema("course-file")
    jsonschema.Draft7Validator.check_schema(file_schema)
    assert file_schema["$ref"] == "course.schema.json#/definitions/course"
    # Its reference is relative to where it lies, beside course.schema.json (as an IDE opens it).
    where = "https://yrkesvuxdalarna.se/schemas/"
    registry = referencing.Registry().with_resources([
        (where + "course.schema.json", referencing.Resource.from_contents(schema("course"))),
        (where + "course-file.schema.json", referencing.Resource.from_contents(file_schema)),
    ])
    validator = jsonschema.Draft7Validator({"$ref": where + "course-file.schema.json"}, registry=registry)
    good = parse_yaml((Path(__file__).parent / "sample" / "content" / "courses" / "mora" / "timmerhusbyggare-mora.yaml").read_text(encoding="utf-8"))[0]
    assert list(validator.iter_errors(good)) == []
    assert [e.validator for e in validator.iter_errors({**good, "pace": "hundra"})] == ["type"]


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


def test_a_duplicate_made_by_an_alias_names_names_yaml_and_the_alias(content):
    falun = content / "courses" / "falun.yaml"
    second = GOOD.replace("Svetsare", "Kallskänka").replace("location: Falun", "location: Borlänge")
    falun.write_text(falun.read_text(encoding="utf-8") + second, encoding="utf-8")
    assert [p for p in problems(content) if "varning" not in p] == []
    names = content / "names.yaml"
    text = names.read_text(encoding="utf-8")
    names.write_text(text.replace("    - Storköksbiträde\n", "    - Storköksbiträde\n    - Kallskänka\n"), encoding="utf-8")
    line = names.read_text(encoding="utf-8").splitlines().index("    - Kallskänka") + 1
    first = next(n for n, l in enumerate(falun.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("- name:"))
    added = next(n for n, l in enumerate(falun.read_text(encoding="utf-8").splitlines(), 1) if l == "- name: Kallskänka")
    assert [p for p in problems(content) if "varning" not in p] == [
        f"content/courses/falun.yaml:{added}: samma utbildning finns redan i content/courses/falun.yaml på rad {first} "
        '(adressen /utbildningar/restaurangbitrade-falun-borlange/) – "Restaurangbiträde, storkök" och "Kallskänka" blir '
        'samma utbildning, "Restaurangbiträde", för att "Kallskänka" står som alias för det namnet i content/names.yaml '
        f"på rad {line}. Är de olika utbildningar: ta bort aliaset ur names.yaml, eller ge båda ett eget id:, "
        "t.ex. id: restaurangbitrade-falun-borlange-kvall. Är de samma: ta bort den ena"
    ]


# --- characters and values the schema cannot see ------------------------------------------------

CONTROL = ("innehåller ett osynligt styrtecken ({}) – ta bort det (sådana tecken följer ofta med "
           "när text klistras in från ett annat program)")
BIDI = ("innehåller ett osynligt tecken som vänder textens riktning ({}) – ta bort det: "
        "det kan få texten att visas i en annan ordning än den är skriven")
NONCHARACTER = "innehåller ett tecken som inte får finnas i text ({}) – ta bort det"


def _replaced(content: Path, file: str, old: str, new: str) -> list[str]:
    path = content / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [p for p in problems(content) if "varning" not in p]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("courses/falun.yaml", "- name: Svetsare", '- name: "Hovslagare\\x01"',
         'content/courses/falun.yaml:19: fältet "name" ' + CONTROL.format("U+0001")),
        ("courses/falun.yaml", "location: Falun", 'location: "Falun\\e[31m"',
         'content/courses/falun.yaml:20: fältet "location" ' + CONTROL.format("U+001B")),
        ("courses/falun.yaml", "    name: Sven Svetsson", '    name: "Sven\\u202eSvetsson"',
         'content/courses/falun.yaml:33: fältet "name" ' + BIDI.format("U+202E")),
        ("courses/falun.yaml", "    Efter utbildningen kan du", "    Efter \\x7f\u2067 utbildningen kan du",
         'content/courses/falun.yaml:17: fältet "description" ' + BIDI.format("U+2067")),
        ("municipalities.yaml", "name: Avesta kommun", 'name: "Avesta\\rkommun"',
         'content/municipalities.yaml:2: fältet "name" ' + CONTROL.format("U+000D")),
        ("areas.yaml", "name: Industri", 'name: "Industri\\uFDD0"',
         'content/areas.yaml:23: fältet "name" ' + NONCHARACTER.format("U+FDD0")),
        ("names.yaml", "- name: Svetsare", '- name: "Svetsare\\U0001FFFF"',
         'content/names.yaml:8: fältet "name" ' + NONCHARACTER.format("U+1FFFF")),
        ("site.yaml", "title: Yrkesvux Dalarna", 'title: "Yrkesvux\\0 Dalarna"',
         'content/site.yaml:1: fältet "title" ' + CONTROL.format("U+0000")),
        ("pages/om.md", "title: Om Yrkesvux Dalarna", 'title: "Om\\uFFFE"',
         'content/pages/om.md:2: fältet "title" ' + NONCHARACTER.format("U+FFFE")),
        ("pages/om.md", "Yrkesvux är yrkesutbildning", "Yrkesvux är \u202dyrkesutbildning",
         "content/pages/om.md:7: texten " + BIDI.format("U+202D")),
        ("infobrev/2026-11-20-novemberbrev.md", "Ansökan till utbildningar", "Ansökan\x0c till utbildningar",
         "content/infobrev/2026-11-20-novemberbrev.md:7: texten " + CONTROL.format("U+000C")),
        ("infobrev/2026-11-20-novemberbrev.md", "title: Infobrev november 2026", 'title: "Infobrev\\x85 november"',
         'content/infobrev/2026-11-20-novemberbrev.md:2: fältet "title" ' + CONTROL.format("U+0085")),
    ],
)
def test_invisible_and_forbidden_characters_are_refused_in_every_kind_of_file(content, file, old, new, expected):
    assert _replaced(content, file, old, new) == [expected]


def test_tabs_newlines_and_crlf_files_are_fine(content):
    page = content / "pages" / "om.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n").replace(b"Den \xc3\xa4r gratis.", b"Den\t\xc3\xa4r gratis."))
    assert [p for p in problems(content) if "varning" not in p] == []


def test_every_refused_character_is_one_python_counts_as_not_printable():
    """check_text skips its regex over a text that str.isprintable accepts (once line feeds are
    left out): that holds only while no refused character is printable in this Python's Unicode."""
    from dalawux_site import validate

    everything = "".join(map(chr, range(0x110000)))
    for unsafe in (validate._UNSAFE_IN_VALUE, validate._UNSAFE_IN_BODY):
        refused = [m.group() for m in unsafe.finditer(everything)]
        assert len(refused) > 2000 and not any(char.isprintable() for char in refused)
    assert validate._first_unsafe("Svets\u00adare\tå\n", validate._UNSAFE_IN_VALUE) is None  # not printable, yet allowed
    assert validate._first_unsafe("Svets\nare\u202e", validate._UNSAFE_IN_VALUE).group() == "\u202e"


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("https://www.falun.se@evil.example/ansok",
         "adressen har ett @ före webbplatsens namn och leder då någon annanstans än det ser ut – skriv bara https:// "
         "och webbplatsens namn, t.ex. https://www.falun.se/"),
        ("https://user:pass@www.falun.se/", "adressen har ett @ före"),
        *[(f"https://{host}/sida.html", "adressen går till en dator i ett internt nät (som localhost, 127.0.0.1 eller 192.168.…), "
           "som besökare inte når – använd webbplatsens publika adress")
          for host in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.1.1", "[::ffff:127.0.0.1]",
                       "foo.localhost", "intranet.local", "0x7f.0.0.1", "127.1", "0.0.0.0")],
    ],
)
def test_web_addresses_with_a_name_before_at_or_a_private_host_are_refused(content, address, problem):
    found = _replaced(content, "municipalities.yaml", "apply_url: https://www.avesta.se/vuxenutbildning", f'apply_url: "{address}"')
    assert len(found) == 1 and found[0].startswith('content/municipalities.yaml:4: fältet "apply_url" går inte att använda: ' + problem), found


def test_a_course_apply_url_and_the_base_url_are_checked_too(content):
    found = _replaced(content, "courses/falun.yaml", "apply_url: https://www.falun.se/svets", "apply_url: https://www.falun.se@evil.example/")
    assert [p.split(" går")[0] for p in found] == ['content/courses/falun.yaml:28: fältet "apply_url"']
    found = _replaced(content, "site.yaml", "base_url: https://yrkesvuxdalarna.se", "base_url: https://192.168.1.10.")
    assert any(p.startswith('content/site.yaml:2: fältet "base_url" går inte att använda: adressen går till en dator') for p in found)


@pytest.mark.parametrize("email", ["syv@falun.se?bcc=evil.example", "syv@falun.se,evil@x.se", "mailto:syv@falun.se",
                                   "syv @falun.se", "syv@falun.se&cc=x.se", "\"a\"@falun.se", "syv@falun.se%0Abcc"])
def test_email_fields_are_plain_addresses(content, email):
    found = _replaced(content, "municipalities.yaml", "email: syv@avesta.se", f"email: '{email}'")
    assert found == [f'content/municipalities.yaml:7: fältet "email" måste vara bara en e-postadress, t.ex. syv@falun.se '
                     f'(utan mellanslag, mailto: eller ?), fick "{email}"']


@pytest.mark.parametrize(("field", "line"), [("weeks: 20", 5), ("pace: 100", 4)])
def test_whole_numbers_are_integers_not_1_0(content, field, line):
    name, value = field.split(": ")
    found = _with(content, GOOD.replace(field, f"{name}: {value}.0"))
    assert found == [f'content/courses/avesta.yaml:{line + 1}: fältet "{name}" måste vara ett heltal utan decimaler – skriv {value} i stället för {value}.0']


def test_dates_are_years_2000_to_2099(content):
    found = _with(content, GOOD.replace("2027-02-01", "9999-12-31"))
    assert found == ['content/courses/avesta.yaml:8: fältet "start" måste vara ett riktigt datum mellan år 2000 och 2099, '
                     'skrivet ÅÅÅÅ-MM-DD, t.ex. 2027-01-18, fick "9999-12-31"']


@pytest.mark.parametrize(("name", "suggestion"), [("sitemap.xml", "sitemap-xml"), ("index.html", "index-html"),
                                                  ("Om Oss", "om-oss"), ("a" * 81, "a" * 80)])
def test_page_file_names_must_be_plain_slugs(content, name, suggestion):
    (content / "pages" / f"{name}.md").write_text("---\ntitle: X\n---\nText.\n", encoding="utf-8")
    assert [p for p in problems(content) if "pages" in p] == [
        f'content/pages/{name}.md:1: filnamnet "{name}" blir sidans adress och får bara ha små bokstäver a–z, siffror och '
        f"bindestreck (högst 80 tecken) – byt namn på filen, till exempel till {suggestion}.md, eller ange slug:"
    ]


def test_a_page_file_name_is_fine_with_a_slug(content):
    (content / "pages" / "Sitemap.xml.md").write_text("---\ntitle: X\nslug: karta\n---\nText.\n", encoding="utf-8")
    assert [p for p in problems(content) if "pages" in p] == []


def test_no_page_takes_a_name_the_build_writes_at_the_top(site):
    """Every folder or file the build writes at the top of the site (without its ending) is reserved."""
    from dalawux_site.validate import RESERVED_SLUGS

    page_slugs = {p.name for p in (SAMPLE_PAGES).glob("*.md")}
    written = {p.name.split(".")[0] for p in site.root.iterdir() if not p.name.startswith(".")}  # no slug starts with "."
    written -= {Path(n).stem for n in page_slugs}
    assert written <= RESERVED_SLUGS, written - RESERVED_SLUGS


# --- what check prints --------------------------------------------------------------------------

def _cli(capsys, *args: str) -> tuple[int, str, str]:
    from dalawux_site import cli

    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_file_name_with_a_newline_cannot_forge_a_second_annotation(content, capsys):
    (content / "pages" / "x\n::warning file=site.yaml,line=1::forged.md").write_text("---\ntitle: X\n---\nText.\n", encoding="utf-8")
    code, out, _ = _cli(capsys, "check", "--content", str(content), "--today", "2026-11-22", "--format", "github")
    assert code == 1
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert len(commands) == len(out.splitlines())  # every line is one whole command
    assert not [line for line in commands if "forged" in line and not line.startswith("::error file=")]
    forged = next(line for line in commands if "forged" in line)
    assert forged.startswith("::error file=") and "x%0A%3A%3Awarning file=site.yaml%2Cline=1%3A%3Aforged.md,line=1::" in forged


def test_annotation_properties_and_messages_are_escaped_as_github_documents():
    from dalawux_site.diagnostics import Diagnostic

    line = Diagnostic("a:b,c%d\re\nf.md", 3, "100 % fel\r\nrad två", "warning").format_github()
    assert line == "::warning file=a%3Ab%2Cc%25d%0De%0Af.md,line=3::100 %25 fel%0D%0Arad två"


def test_text_output_shows_control_and_bidi_characters_instead_of_obeying_them():
    from dalawux_site.diagnostics import Diagnostic

    text = Diagnostic("content/pages/a\nb.md", 2, "x", source='title: "a\x1b[31m\u202eb"').format()
    assert text == 'content/pages/a\\u000ab.md:2: x\n    title: "a\\u001b[31m\\u202eb"'


def test_warnings_are_capped_per_file_with_the_rest_counted(content, capsys):
    (content / "pages" / "bred.md").write_text("---\ntitle: Bred\n---\n" + "x <b>y</b>\n\n" * 45, encoding="utf-8")
    code, _, err = _cli(capsys, "check", "--content", str(content), "--today", "2026-11-22")
    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("content/pages/bred.md")]
    assert len(lines) == 21
    assert lines[0] == "content/pages/bred.md:4: varning: HTML-kod togs bort: <b> </b> – skriv texten med Markdown i stället"
    assert lines[-1] == "content/pages/bred.md: varning: … och 25 till"
    from dalawux_site import pipeline

    warnings = pipeline.check(content, dt.date(2026, 11, 22)).report.warnings
    assert len(warnings) >= 45 and err.splitlines()[-1].endswith(f"0 fel, {len(warnings)} varningar.")


@pytest.mark.parametrize("address", ["https://www.avesta.se/\u200evuxen", "https://www.avesta.se/vuxen\u200butbildning"])
def test_web_address_fields_refuse_invisible_characters_and_spaces(content, address):
    found = _replaced(content, "municipalities.yaml", "apply_url: https://www.avesta.se/vuxenutbildning", f'apply_url: "{address}"')
    assert found == ['content/municipalities.yaml:4: fältet "apply_url" går inte att använda: adressen innehåller mellanslag '
                     "eller osynliga tecken – skriv in den igen, utan mellanslag"]
