"""One course per file: the agreed format (format_course is its reference), `build.py split`, and
how per-course files are checked and built."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dalawux_site import cli, pipeline
from dalawux_site.course_file import HEADER, format_course, read_course
from dalawux_site.load import parse_yaml

from .conftest import SAMPLE, SVETSARE, TODAY, problems

COURSE = {
    "added": "2026-10-09",
    "contact": {"phone": "070-174 06 45", "email": "sofia.mattsson@mora.se", "name": "Sofia Mattsson"},
    "name": "Måltidsbiträde",
    "location": "Mora",
    "area": "restaurang-livsmedel",
    "study_forms": ["plats", "distans"],
    "pace": 100,
    "weeks": 30,
    "intakes": [{"period": "start-mar-2027", "start": "2027-03-15"}, {"start": "2027-08-16", "apply_by": "2027-05-01"}],
    "description": "Du lär dig att laga mat.\n\nDu gör APL i Mora.\n",
    "prerequisites": "SFI C",
}


def test_format_course_writes_the_agreed_format():
    assert format_course(COURSE, ("# Exempel",)) == (
        f"{HEADER}\n"
        "# Exempel\n"
        "name: Måltidsbiträde\n"
        "location: Mora\n"
        "area: restaurang-livsmedel\n"
        "study_forms: [plats, distans]\n"
        "pace: 100\n"
        "weeks: 30\n"
        "intakes:\n"
        "  - start: 2027-03-15\n"
        "    period: start-mar-2027\n"
        "  - start: 2027-08-16\n"
        "    apply_by: 2027-05-01\n"
        "description: |\n"
        "  Du lär dig att laga mat.\n"
        "\n"
        "  Du gör APL i Mora.\n"
        "prerequisites: SFI C\n"
        "contact:\n"
        "  name: Sofia Mattsson\n"
        "  email: sofia.mattsson@mora.se\n"
        "  phone: 070-174 06 45\n"
        "added: 2026-10-09\n"
    )


@pytest.mark.parametrize("value, written", [
    ("Svetsare", "Svetsare"),
    ("Kock, à la carte", "Kock, à la carte"),
    ("Svets: grund", '"Svets: grund"'),
    ("Svets #1", '"Svets #1"'),
    ("- Svets", '"- Svets"'),
    ("@falun", '"@falun"'),
    ("yes", '"yes"'),
    ("100", '"100"'),
    ("0701740645", '"0701740645"'),
    ("2027-03-15", "2027-03-15"),
    ("2027-03-15 10:00:00", '"2027-03-15 10:00:00"'),
    ("10:30", '"10:30"'),
    ("null", '"null"'),
    ("", '""'),
    (" Svets", '" Svets"'),
    ("Slut:", '"Slut:"'),
    ("“Svets”", "“Svets”"),
    ("a\u2028b", '"a\\u2028b"'),
    ("a\x7fb", '"a\\u007fb"'),
    ("rad ett\nrad två", "|-\n  rad ett\n  rad två"),
    ("rad ett\n  indrag\n", "|\n  rad ett\n    indrag"),
    (" inleds med mellanslag\nrad två", '" inleds med mellanslag\\nrad två"'),
    ("två tomma rader på slutet\n\n", '"två tomma rader på slutet\\n\\n"'),
    ("blank rad med mellanslag\n   \nrad", '"blank rad med mellanslag\\n   \\nrad"'),
])
def test_a_text_is_plain_only_when_it_reads_back_the_same(value, written):
    text = format_course({"name": value})
    assert text == f"{HEADER}\nname: {written}\n"
    assert parse_yaml(text)[0] == {"name": value}


def test_a_flow_list_quotes_what_would_split_it():
    text = format_course({"study_forms": ["plats", "a, b", "[x]"]})
    assert text == f'{HEADER}\nstudy_forms: [plats, "a, b", "[x]"]\n'
    assert parse_yaml(text)[0] == {"study_forms": ["plats", "a, b", "[x]"]}


@pytest.mark.parametrize("value", [1.5, float("inf"), float("-inf"), True, None, 0])
def test_other_scalars_read_back_the_same(value):
    data = parse_yaml(format_course({"weeks": value}))[0]
    assert data == {"weeks": value} and type(data["weeks"]) is type(value)


def test_a_comment_must_be_a_comment_line():
    with pytest.raises(ValueError):
        format_course({"name": "Svets"}, ("inte en kommentar",))


def test_keys_the_schema_does_not_know_come_last_and_are_kept():
    text = format_course({"okänt": 1, "name": "Svets"})
    assert text == f"{HEADER}\nname: Svets\nokänt: 1\n"


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_value = st.one_of(_text, st.integers(-10**6, 10**6), st.booleans(), st.none())
_course = st.fixed_dictionaries(
    {"name": _text, "pace": st.integers(1, 100)},
    optional={
        "description": st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
        "study_forms": st.lists(_text, max_size=4),
        "intakes": st.lists(st.dictionaries(st.sampled_from(["start", "apply_by", "period"]), _text, min_size=1), max_size=3),
        "contact": st.dictionaries(st.sampled_from(["name", "email", "phone", "title"]), _value, min_size=1),
        "added": _value,
    },
)


@settings(max_examples=300, deadline=None)
@given(_course, st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20).map(lambda t: "# " + t.strip()), max_size=2))
def test_format_round_trips_and_is_idempotent(course, comments):
    text = format_course(course, tuple(comments))
    data, kept = read_course(text)
    assert data == course
    assert kept == tuple(comments)
    assert format_course(data, kept) == text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_every_bundled_course_file_is_in_the_agreed_format():
    bundled = Path(__file__).parent.parent / "content" / "courses"
    files = sorted(bundled.glob("*/*.yaml"))
    assert len(files) > 100
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert format_course(*read_course(text)) == text, file


# --- split ------------------------------------------------------------------------------------

def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _split(list_file: Path, capsys) -> tuple[int, str]:
    code = cli.main(["split", str(list_file)])
    return code, capsys.readouterr().err


COMMENTED = """\
# yaml-language-server: $schema=../schemas/course.schema.json
# Om filen
- name: Svetsare
  location: Falun
  area: industri
  study_forms: [plats]
  pace: 100  # heltid
  weeks: 20
  intakes:
    - start: 2027-01-18
      apply_by: 2026-12-01
  description: |
    Du lär dig att svetsa.
    # Inte en kommentar, en rubrik i texten
  # ring Anna innan start
  contact:
    name: Anna Berg

# Kvällskursen
# (ny i höst)
- id: svets-kvall
  name: "Svetsare"
  location: Falun
  area: industri
  study_forms: [plats]
  pace: 50
  weeks: 40
  intakes:
    - start: 2027-01-18
      apply_by: 2026-12-01
  description: Kvällskurs i svetsning.
"""


def test_split_writes_one_file_per_course_named_as_its_page_and_keeps_the_comments(content, capsys):
    list_file = content / "courses" / "gagnef.yaml"
    list_file.write_text(COMMENTED.replace("Falun", "Gagnef"), encoding="utf-8")
    code, message = _split(list_file, capsys)
    assert code == 0, message
    assert message.strip().endswith(f"Skrev 2 filer i {content}/courses/gagnef/, en per utbildning, och tog bort {list_file}.")
    assert not list_file.exists()
    folder = content / "courses" / "gagnef"
    assert sorted(p.name for p in folder.iterdir()) == ["svets-kvall.yaml", "svetsare-gagnef.yaml"]
    assert (folder / "svetsare-gagnef.yaml").read_text(encoding="utf-8") == (
        f"{HEADER}\n# Om filen\n# heltid\n# ring Anna innan start\n"
        "name: Svetsare\nlocation: Gagnef\narea: industri\nstudy_forms: [plats]\npace: 100\nweeks: 20\n"
        "intakes:\n  - start: 2027-01-18\n    apply_by: 2026-12-01\n"
        "description: |\n  Du lär dig att svetsa.\n  # Inte en kommentar, en rubrik i texten\n"
        "contact:\n  name: Anna Berg\n"
    )
    kvall = (folder / "svets-kvall.yaml").read_text(encoding="utf-8")
    assert kvall.startswith(f"{HEADER}\n# Kvällskursen\n# (ny i höst)\nid: svets-kvall\nname: Svetsare\n")
    assert [p for p in problems(content) if "gagnef" in p and "varning" not in p] == []


def test_split_keeps_the_built_site_byte_for_byte(content, tmp_path, capsys):
    before, after = tmp_path / "before", tmp_path / "after"
    pipeline.build(content, before, TODAY)
    assert _split(content / "courses" / "falun.yaml", capsys)[0] == 0
    result = pipeline.build(content, after, TODAY)
    assert result.written is not None
    assert _digest(before) == _digest(after)


def test_split_is_byte_stable(tmp_path, capsys):
    made = []
    for run in ("a", "b"):
        content = tmp_path / run / "content"
        shutil.copytree(SAMPLE, content)
        assert _split(content / "courses" / "falun.yaml", capsys)[0] == 0
        made.append(_digest(content / "courses" / "falun"))
    assert made[0] == made[1] and len(made[0]) == 3


def test_split_refuses_a_list_file_with_errors_and_writes_nothing(content, capsys):
    list_file = content / "courses" / "falun.yaml"
    text = list_file.read_text(encoding="utf-8")
    list_file.write_text(text.replace("pace: 100", "pace: hundra", 1), encoding="utf-8")
    before = _digest(content)
    code, message = _split(list_file, capsys)
    assert code == 1
    assert 'fältet "pace" måste vara ett heltal' in message
    assert message.strip().endswith("Inget skrevs: 1 fel, 0 varningar. Rätta felen och kör igen.")
    assert _digest(content) == before and not (content / "courses" / "falun").exists()


def test_split_refuses_when_a_file_to_write_exists(content, capsys):
    folder = content / "courses" / "falun"
    folder.mkdir()
    (folder / "svetsare-falun.yaml").write_text("# min egen\n", encoding="utf-8")
    before = _digest(content)
    code, message = _split(content / "courses" / "falun.yaml", capsys)
    assert code == 1
    assert message.strip() == f"Inget skrevs: {content.name}/courses/falun/svetsare-falun.yaml finns redan. Flytta eller ta bort den och kör igen."
    assert _digest(content) == before


def test_split_refuses_what_is_not_a_list_file(content, capsys):
    code, message = _split(content / "names.yaml", capsys)
    assert code == 2
    assert message.strip() == f"{content}/names.yaml är ingen kommuns lista – ange en fil som content/courses/mora.yaml"


# --- per-course files in the build -------------------------------------------------------------

# conftest.SVETSARE as a per-course file: the list item's "- " and indent taken off.
ONE = "\n".join(line[2:] for line in SVETSARE.splitlines()) + "\n"


def _course(content: Path, rel: str, text: str = ONE) -> Path:
    path = content / "courses" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_name_is_the_address_and_names_yaml_does_not_change_it(content, tmp_path):
    _course(content, "avesta/svets-avesta.yaml")
    result = pipeline.build(content, tmp_path / "site", TODAY)
    assert result.written is not None
    assert "utbildningar/svets-avesta/index.html" in result.written


def test_the_same_course_in_the_list_and_in_its_own_file_names_both_files(content):
    _course(content, "falun/svetsare-falun.yaml")
    assert [p for p in problems(content) if "varning" not in p] == [
        "content/courses/falun/svetsare-falun.yaml:1: samma utbildning finns redan i content/courses/falun.yaml på rad 19 "
        "(adressen /utbildningar/svetsare-falun/) – en utbildning står antingen i kommunens lista eller i en egen fil, inte båda: ta bort den ena"
    ]


def test_the_same_file_name_in_two_folders_names_both_files(content):
    _course(content, "avesta/svets.yaml")
    _course(content, "gagnef/svets.yaml")
    assert [p for p in problems(content) if "varning" not in p] == [
        "content/courses/gagnef/svets.yaml:1: samma utbildning finns redan i content/courses/avesta/svets.yaml på rad 1 "
        "(adressen /utbildningar/svets/) – en utbildning får bara ha en fil: ta bort den ena filen, eller byt namn på den (filnamnet är adressen)"
    ]


def test_an_id_must_be_the_file_name(content):
    _course(content, "avesta/svets-avesta.yaml", "id: svets-dag\n" + ONE)
    assert [p for p in problems(content) if "varning" not in p] == [
        'content/courses/avesta/svets-avesta.yaml:1: id: "svets-dag" är inte samma som filnamnet (svets-avesta) – '
        "filnamnet är utbildningens adress: ta bort raden id:, eller byt namn på filen till svets-dag.yaml"
    ]


def test_a_file_name_that_cannot_be_an_address_is_refused(content):
    _course(content, "avesta/Svets Åsen.yaml")
    assert [p for p in problems(content) if "varning" not in p] == [
        'content/courses/avesta/Svets Åsen.yaml: filnamnet "Svets Åsen" blir utbildningens adress (/utbildningar/Svets Åsen/) och får '
        "bara ha små bokstäver a–z, siffror och bindestreck (högst 80 tecken) – byt namn på filen, till exempel till svets-asen.yaml"
    ]


def test_a_folder_must_be_a_municipality(content):
    _course(content, "avestaa/svets.yaml")
    (content / "courses" / "Mora").mkdir()
    assert [p for p in problems(content) if "varning" not in p] == [
        'content/courses/Mora: mappen hör inte till någon kommun i municipalities.yaml – mappen ska heta som kommunens id (skriv det med små bokstäver: mora)',
        'content/courses/avestaa/svets.yaml: mappen avestaa/ hör inte till någon kommun i municipalities.yaml – mappen ska heta som kommunens id (menade du "avesta"?)',
    ]


def test_a_list_or_nothing_in_a_per_course_file_is_explained(content):
    _course(content, "avesta/lista.yaml", "- " + ONE.replace("\n", "\n  ", ONE.count("\n") - 1))
    _course(content, "avesta/tom.yaml", "# bara en kommentar\n")
    assert [p for p in problems(content) if "varning" not in p] == [
        'content/courses/avesta/lista.yaml:1: filen ska innehålla en enda utbildning, skriven utan - först: ta bort "- " före name: '
        "och flytta in de andra fälten lika långt (flera utbildningar i en fil står i kommunens lista, t.ex. courses/avesta.yaml)",
        "content/courses/avesta/tom.yaml:1: filen är tom – skriv utbildningens fält i den, som name:, location: och area: (se docs/innehall.md)",
    ]


def test_schema_errors_in_a_per_course_file_have_its_lines(content):
    _course(content, "avesta/svets-avesta.yaml", ONE.replace("pace: 100", "pace: hundra").replace("area: industri", "area: industr"))
    assert [p for p in problems(content) if "varning" not in p] == [
        'content/courses/avesta/svets-avesta.yaml:3: området "industr" finns inte i areas.yaml – menade du "industri"?',
        'content/courses/avesta/svets-avesta.yaml:5: fältet "pace" måste vara ett heltal mellan 1 och 100 (studietakt i procent, 100 = heltid), fick "hundra"',
    ]


def test_a_folder_with_no_file_builds(content, tmp_path):
    for path in (content / "courses" / "mora").iterdir():
        path.unlink()
    result = pipeline.build(content, tmp_path / "site", TODAY)
    assert result.written is not None and not [c for c in result.catalogue.courses if c.provider.id == "mora"]


def test_split_refuses_an_empty_list_file(content, capsys):
    list_file = content / "courses" / "gagnef.yaml"
    list_file.write_text("# inga utbildningar än\n", encoding="utf-8")
    code, message = _split(list_file, capsys)
    assert code == 1 and list_file.exists() and not (content / "courses" / "gagnef").exists()
    assert message.strip() == f"Inget skrevs: {content.name}/courses/gagnef.yaml har inga utbildningar att dela upp."
