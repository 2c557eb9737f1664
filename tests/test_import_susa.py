"""import-susa: saved Susa-navet responses (tests/susa/, written from the OpenAPI description) into
per-course files, never over a person's work, with the comparison report."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import pyromark
import pytest
import yaml
from bs4 import BeautifulSoup

from dalawux_site import cli, import_susa, pipeline, susa
from dalawux_site.course_file import format_course, read_course
from dalawux_site.load import parse_yaml
from dalawux_site.markup import MarkdownRenderer
from dalawux_site.validate import schema

from .conftest import TODAY

FIXTURES = Path(__file__).parent / "susa"
RESPONSES = sorted(p for p in FIXTURES.glob("*.json") if p.name != "not-a-response.json")
WRITTEN = {
    "courses/borlange/svetsare-borlange.yaml",
    "courses/mora/underskoterska-mora.yaml",
    "courses/vansbro/restaurangbitrade-vansbro.yaml",
}


CODES = {"avesta": "2084", "borlange": "2081", "falun": "2080", "gagnef": "2026", "hedemora": "2083", "leksand": "2029",
         "ludvika": "2085", "malung-salen": "2023", "mora": "2062", "orsa": "2034", "rattvik": "2031", "smedjebacken": "2061",
         "sater": "2082", "vansbro": "2021", "alvdalen": "2039"}


def with_codes(content: Path) -> Path:
    """The sample's municipalities with their municipality codes, as content/municipalities.yaml has them."""
    path = content / "municipalities.yaml"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        lines.append(line)
        if line.startswith("- id: "):
            lines.append(f'  code: "{CODES[line[6:].strip()]}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return content


@pytest.fixture
def content(content: Path) -> Path:
    return with_codes(content)


def tree(content: Path) -> dict[str, str]:
    """Every file under content with the hash of its bytes."""
    return {p.relative_to(content).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(content.rglob("*")) if p.is_file()}


def run(content: Path, *extra: str, files: list[Path] = RESPONSES, today: dt.date = TODAY) -> int:
    return cli.main(["import-susa", *map(str, files), "--content", str(content), "--today", today.isoformat(), *extra])


def entries(plan: import_susa.Plan, kind: str) -> dict[str, str]:
    return {f"{e.municipality}: {e.title}": e.detail for e in plan.entries if e.kind == kind}


# --- reading the responses -----------------------------------------------------------------------

def test_all_pages_of_all_three_kinds_are_read():
    read = susa.read_responses(RESPONSES)
    assert (len(read.events), len(read.infos), len(read.providers)) == (11, 7, 9)
    assert read.providers["p.2062.komvux"].name == "Vuxenutbildningen Mora"


def test_messy_values_are_cleaned_not_trusted():
    read = susa.read_responses(RESPONSES)
    nurse = read.events["e.2062.usk.2027ht"]
    assert nurse.title == "Vård- och omsorgsutbildning"  # <![CDATA[…]]> unwrapped
    assert nurse.description == "Du lär dig att arbeta som undersköterska.\n\nDu gör APL på lasarettet i Mora."
    weld = read.events["e.2081.svets.lop"]
    assert weld.application_last is None and weld.continuous and weld.start is None  # 2099-12-31 is no date
    assert weld.distance and weld.expires == dt.date(2027, 9, 30)
    assert read.events["e.2084.rest.1"].pace is None
    assert read.infos["i.vuxgy.svets"].weeks == 30 and read.infos["i.vuxgy.svets"].points == 1000


@pytest.mark.parametrize(("text", "message"), [
    ('{"timestamp": "2026-11-22T09:00:00+01:00", "status": 503}',
     "filen är inget svar från Susa-navet – den ska ha en lista educationEvents, educationInfos eller educationProviders (och page)"),
    ("<html>Service Unavailable</html>", "filen är inte JSON – spara svaret från Susa-navets API som det är"),
    ('{"educationEvents": [{"id": "x", "content": {"title": {}}}], "page": {}}',
     "post 1 i educationEvents har ingen content med identifier – är filen ändrad för hand?"),
])
def test_a_file_that_is_not_a_response_is_named_and_nothing_is_written(content, tmp_path, capsys, text, message):
    bad = tmp_path / "svar.json"
    bad.write_text(text, encoding="utf-8")
    before = tree(content)
    assert run(content, files=[*RESPONSES, bad]) == 1
    assert capsys.readouterr().err == f"Inget skrevs: {bad}: {message}\n"
    assert tree(content) == before


def test_the_saved_error_response_is_refused(content, capsys):
    before = tree(content)
    assert run(content, files=[FIXTURES / "events-page0.json", FIXTURES / "not-a-response.json"]) == 1
    assert str(FIXTURES / "not-a-response.json") in capsys.readouterr().err
    assert tree(content) == before


# --- what is written ---------------------------------------------------------------------------

@pytest.fixture
def imported(content):
    before = tree(content)
    plan = import_susa.import_susa(RESPONSES, content, TODAY)
    return content, before, plan


def test_only_the_vocational_events_of_dalarna_that_are_open_are_written(imported):
    content, before, plan = imported
    after = tree(content)
    assert set(after) - set(before) == WRITTEN
    assert {k: v for k, v in after.items() if k in before} == before  # no other file changed
    assert {e.file.split("/content/", 1)[-1].removeprefix("content/") for e in plan.entries if e.kind == import_susa.IMPORTED} == WRITTEN
    assert plan.outside == 1 and plan.other_types == {"falun": 1}


def test_each_written_file_is_a_valid_course_with_its_susa_id(imported):
    content, _, _ = imported
    validator = jsonschema.Draft7Validator(schema("course"), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    ids = set()
    for rel in WRITTEN:
        text = (content / rel).read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schemas/course-file.schema.json\n# Importerad från Susa-navet.")
        data, _, _ = parse_yaml(text)  # as the build reads it
        assert list(validator.iter_errors([data])) == [], rel
        ids.add(data["susa_id"])
    assert ids == {"e.2081.svets.lop", "e.2062.usk.2027ht", "e.2021.kok.lang"}


def test_written_fields_follow_susa_navet(imported):
    content, _, _ = imported
    nurse = yaml.safe_load((content / "courses/mora/underskoterska-mora.yaml").read_text(encoding="utf-8"))
    assert nurse == {
        "name": "Vård- och omsorgsutbildning", "location": "Mora", "area": "vard-omsorg", "study_forms": ["plats"],
        "pace": 100, "points": 1500, "places": 24, "student_aid": True,
        "intakes": [{"start": dt.date(2027, 8, 16), "apply_by": dt.date(2027, 5, 15)}],
        "description": "Du lär dig att arbeta som undersköterska.\n\nDu gör APL på lasarettet i Mora.",
        "prerequisites": "Du behöver kunna svenska på nivå motsvarande SFI D.",
        "added": dt.date(2026, 11, 22), "susa_id": "e.2062.usk.2027ht",
    }
    kitchen = yaml.safe_load((content / "courses/vansbro/restaurangbitrade-vansbro.yaml").read_text(encoding="utf-8"))
    assert (kitchen["study_forms"], kitchen["language"], kitchen["student_aid"], kitchen["pace"]) == (["larling"], "en", False, 75)
    weld = yaml.safe_load((content / "courses/borlange/svetsare-borlange.yaml").read_text(encoding="utf-8"))
    assert weld["intakes"] == [{"continuous": True, "apply_by": dt.date(2027, 9, 30)}]  # expires, not 2099-12-31
    assert weld["study_forms"] == ["distans"] and weld["apply_url"] == "https://www.borlange.se/vuxenutbildning/svets"
    assert "student_aid" in weld and "language" not in weld  # Swedish is the default: not written


def test_imported_text_is_shown_as_plain_text_not_markdown(imported):
    content, _, _ = imported
    kitchen = yaml.safe_load((content / "courses/vansbro/restaurangbitrade-vansbro.yaml").read_text(encoding="utf-8"))
    rendered = MarkdownRenderer(top_heading=3).render(kitchen["description"])
    soup = BeautifulSoup(rendered.html, "html.parser")
    assert [p.get_text() for p in soup.find_all("p")] == [
        "Du lär dig *laga* mat & baka.", "# Inte en rubrik", "Se [länk](javascript:alert(1)) nu.",
    ]
    assert not soup.find(["a", "em", "strong", "h3", "script", "b"])


def test_a_continuous_intake_never_reaches_beyond_twelve_months(content, tmp_path):
    data = json.loads((FIXTURES / "events-page0.json").read_text(encoding="utf-8"))
    [weld] = [e for e in data["educationEvents"] if e["id"] == "e.2081.svets.lop"]
    weld["content"]["expires"] = "2099-12-31T00:00:00"
    changed = tmp_path / "events-page0.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    import_susa.import_susa([changed, FIXTURES / "infos-page0.json", FIXTURES / "infos-page1.json"], content, TODAY)
    weld = yaml.safe_load((content / "courses/borlange/svetsare-borlange.yaml").read_text(encoding="utf-8"))
    assert weld["intakes"] == [{"continuous": True, "apply_by": dt.date(2027, 11, 22)}]


def test_events_not_imported_are_listed_with_why(imported):
    _, _, plan = imported
    assert entries(plan, import_susa.SKIPPED) == {
        "avesta: Restaurangbiträde (Avesta)": "studietakt saknas i Susa-navet (paceOfStudy)",
        "mora: Svetsare (Mora)": "inställd i Susa-navet (isCancelled)",
        "ludvika: Drönarpilot (Ludvika)":
            'namnet "Drönarpilot" finns inte i names.yaml – lägg till det som alias under rätt gemensamt namn och importera igen',
        "orsa: Barnskötare (Orsa)": "ansökan stängde 2026-11-01",
    }


def test_hand_made_courses_are_compared_not_touched(imported):
    _, _, plan = imported
    assert entries(plan, import_susa.DATES_DIFFER) == {
        "falun: Svetsare (Falun)": "Susa-navet: start 2027-03-01, sista ansökningsdag 2027-01-15. "
                                   "Katalogen: start 2027-02-01, sista ansökningsdag 2026-12-01",
        "hedemora: Barnskötarutbildning (Hedemora)": "Susa-navet: löpande start. Katalogen: start 2027-01-18, sista ansökningsdag 2026-11-22",
    }
    assert set(entries(plan, import_susa.ONLY_CATALOGUE)) == {
        "falun: Restaurangbiträde (Borlänge)", "hedemora: Restaurangbiträde (Hedemora)", "mora: Timmerhusbyggare (Mora)",
    }


# --- never over a person's work ----------------------------------------------------------------

def test_importing_twice_changes_nothing(imported):
    content, _, _ = imported
    once = tree(content)
    again = import_susa.import_susa(RESPONSES, content, TODAY)
    assert tree(content) == once and again.writes == {}
    assert len(entries(again, import_susa.UNCHANGED)) == 3 and not entries(again, import_susa.IMPORTED)


def test_a_file_changed_by_hand_is_reported_and_kept(imported):
    content, _, _ = imported
    path = content / "courses/mora/underskoterska-mora.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("places: 24", "places: 18"), encoding="utf-8")
    edited = path.read_bytes()
    plan = import_susa.import_susa(RESPONSES, content, TODAY)
    assert path.read_bytes() == edited
    assert entries(plan, import_susa.KEPT) == {"mora: Vård- och omsorgsutbildning (Mora)":
        "filen är ändrad för hand sedan den importerades – jämför med Susa-navet och uppdatera den själv, "
        "eller ta bort filen så importeras den på nytt"}


def test_a_removed_hash_line_counts_as_a_change_by_hand(imported):
    content, _, _ = imported
    path = content / "courses/mora/underskoterska-mora.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "susa_hash" not in line), encoding="utf-8")
    edited = path.read_bytes()
    import_susa.import_susa(RESPONSES, content, TODAY)
    assert path.read_bytes() == edited


def test_an_untouched_import_is_updated_from_susa_navet_and_keeps_its_added_date(imported, tmp_path):
    content, _, _ = imported
    data = json.loads((FIXTURES / "events-page0.json").read_text(encoding="utf-8"))
    [nurse] = [e for e in data["educationEvents"] if e["id"] == "e.2062.usk.2027ht"]
    nurse["content"]["places"] = 30
    changed = tmp_path / "events-page0.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    plan = import_susa.import_susa([changed, *RESPONSES[1:]], content, TODAY + dt.timedelta(days=3))
    nurse = yaml.safe_load((content / "courses/mora/underskoterska-mora.yaml").read_text(encoding="utf-8"))
    assert nurse["places"] == 30 and nurse["added"] == dt.date(2026, 11, 22)
    assert "mora: Vård- och omsorgsutbildning (Mora)" in entries(plan, import_susa.UPDATED)
    assert import_susa.is_untouched((content / "courses/mora/underskoterska-mora.yaml").read_text(encoding="utf-8"))


def test_a_susa_id_in_a_list_file_is_never_written(content):
    falun = content / "courses" / "falun.yaml"
    falun.write_text(falun.read_text(encoding="utf-8").replace(
        "  apply_url: https://www.falun.se/svets\n", "  apply_url: https://www.falun.se/svets\n  susa_id: e.2081.svets.lop\n"), encoding="utf-8")
    before = tree(content)
    plan = import_susa.import_susa(RESPONSES, content, TODAY)
    assert "courses/borlange/svetsare-borlange.yaml" not in tree(content)
    assert {k: v for k, v in tree(content).items() if k in before} == before
    falun_name = import_susa._shown(falun, content)
    assert entries(plan, import_susa.KEPT) == {"borlange: MIG/MAG-svetsare (Borlänge)": f"står i {falun_name}, som importen inte ändrar"}


def test_content_with_errors_is_not_imported_into(content, capsys):
    falun = content / "courses" / "falun.yaml"
    falun.write_text(falun.read_text(encoding="utf-8").replace("pace: 100", "pace: hundra", 1), encoding="utf-8")
    before = tree(content)
    assert run(content) == 1
    assert "Inget skrevs: innehållet i" in capsys.readouterr().err and tree(content) == before


# --- the report --------------------------------------------------------------------------------

def test_text_report_lists_each_municipality_in_swedish(content, capsys):
    assert run(content) == 0
    out = capsys.readouterr().out
    assert out.startswith("Jämförelse mellan Susa-navet och katalogen\n")
    mora = out.split("\nMora kommun\n", 1)[1].split("\n\n", 1)[0]
    assert mora.splitlines() == [
        "  Importerade (1):",
        "    - Vård- och omsorgsutbildning (Mora): start 2027-08-16, sista ansökningsdag 2027-05-15 "
        f"[{import_susa._shown(content / 'courses/mora/underskoterska-mora.yaml', content)}]",
        "  I Susa-navet men inte importerade (1):",
        "    - Svetsare (Mora): inställd i Susa-navet (isCancelled)",
        "  I katalogen men inte i Susa-navet (1):",
        f"    - Timmerhusbyggare (Mora): finns inte i Susa-navet – anmäl den dit via kommunens system, så hittar fler den "
        f"[{import_susa._shown(content / 'courses/mora/timmerhusbyggare-mora.yaml', content)}]",
    ]
    assert out.endswith("1 utbildningstillfälle ges utanför Dalarnas 15 kommuner och hoppades över.\n\n"
                        "11 utbildningstillfällen lästa: 3 importerade, 0 uppdaterade, 0 oförändrade, 0 ändrade för hand "
                        "(inte överskrivna), 4 inte importerade, 3 bara i katalogen, 2 med olika datum.\n")


def test_github_format_gives_one_annotation_per_course(content, capsys):
    assert run(content, "--format", "github") == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.startswith(("::notice ", "::warning ")) for line in lines)
    falun = import_susa._shown(content / "courses/falun.yaml", content)
    assert (f"::warning file={falun},title=Olika datum i Susa-navet och katalogen – Falu kommun::Svetsare (Falun): "
            "Susa-navet: start 2027-03-01, sista ansökningsdag 2027-01-15. Katalogen: start 2027-02-01, sista ansökningsdag 2026-12-01") in lines
    assert "::warning title=I Susa-navet men inte importerade – Ludvika kommun::Drönarpilot (Ludvika): namnet \"Drönarpilot\" finns inte i names.yaml – lägg till det som alias under rätt gemensamt namn och importera igen" in lines
    assert lines[-1].startswith("::notice title=Import från Susa-navet::11 utbildningstillfällen lästa: 3 importerade")


def test_markdown_report_for_the_communications_group(content, tmp_path):
    report = tmp_path / "jamforelse.md"
    assert run(content, "--report", str(report)) == 0
    soup = BeautifulSoup(pyromark.html(report.read_text(encoding="utf-8")), "html.parser")
    assert soup.h1.get_text() == "Susa-navet och katalogen"
    municipalities = [h.get_text() for h in soup.find_all("h2")]
    assert municipalities == ["Avesta kommun", "Borlänge kommun", "Falu kommun", "Hedemora kommun", "Ludvika kommun",
                              "Mora kommun", "Orsa kommun", "Vansbro kommun"]
    ludvika = soup.find("h2", string="Ludvika kommun")
    assert ludvika.find_next("h3").get_text() == "I Susa-navet men inte importerade (1)"
    item = ludvika.find_next("li")
    assert item.strong.get_text() == "Drönarpilot (Ludvika)" and "finns inte i names.yaml" in item.get_text()


def _with_event(tmp_path: Path, ident: str, change) -> list[Path]:
    """The responses with one event changed by change(content)."""
    files = []
    for path in RESPONSES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("educationEvents", []):
            if item["id"] == ident:
                change(item["content"])
        files.append(tmp_path / path.name)
        files[-1].write_text(json.dumps(data), encoding="utf-8")
    return files


def test_an_event_without_a_municipality_code_is_placed_by_its_provider(content, tmp_path):
    def no_code(event):
        event["locations"] = [{"town": "Mora"}]
    plan = import_susa.import_susa(_with_event(tmp_path, "e.2062.usk.2027ht", no_code), content, TODAY)
    assert "mora: Vård- och omsorgsutbildning (Mora)" in entries(plan, import_susa.IMPORTED)


def test_an_expired_event_and_numbers_written_as_text(content, tmp_path):
    def expired(event):
        event["expires"] = "2026-11-01T00:00:00"

    def text_numbers(event):
        event["paceOfStudy"] = {"percentage": "50"}
        event["places"] = "16"
    files = _with_event(tmp_path, "e.2021.kok.lang", expired)
    plan = import_susa.import_susa(files, content, TODAY)
    assert entries(plan, import_susa.SKIPPED)["vansbro: Köksbiträde (Vansbro)"] == "utgången i Susa-navet (expires 2026-11-01)"
    import_susa.import_susa(_with_event(tmp_path, "e.2062.usk.2027ht", text_numbers), content, TODAY)
    nurse = yaml.safe_load((content / "courses/mora/underskoterska-mora.yaml").read_text(encoding="utf-8"))
    assert (nurse["pace"], nurse["places"]) == (50, 16)


def test_a_hand_changed_import_with_other_dates_is_also_compared(imported):
    content, _, _ = imported
    path = content / "courses/mora/underskoterska-mora.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("apply_by: 2027-05-15", "apply_by: 2027-06-01"), encoding="utf-8")
    plan = import_susa.import_susa(RESPONSES, content, TODAY)
    assert entries(plan, import_susa.DATES_DIFFER)["mora: Vård- och omsorgsutbildning (Mora)"] == (
        "Susa-navet: start 2027-08-16, sista ansökningsdag 2027-05-15. Katalogen: start 2027-08-16, sista ansökningsdag 2027-06-01")


def test_a_per_course_file_without_susa_id_is_never_touched(content):
    own = content / "courses" / "mora" / "underskoterska-mora.yaml"
    own.parent.mkdir(exist_ok=True)
    own.write_text(
        "# yaml-language-server: $schema=../../schemas/course-file.schema.json\n"
        "name: Undersköterska\nlocation: Mora\narea: vard-omsorg\nstudy_forms: [plats]\npace: 100\npoints: 1500\n"
        "intakes:\n  - start: 2027-08-16\n    apply_by: 2027-04-15\ndescription: Vår egen text.\n", encoding="utf-8")
    before = own.read_bytes()
    import_susa.import_susa(RESPONSES, content, TODAY)
    assert own.read_bytes() == before


def test_without_municipality_codes_nothing_is_imported(tmp_path):
    from .conftest import SAMPLE
    shutil.copytree(SAMPLE, tmp_path / "content")
    before = tree(tmp_path / "content")
    with pytest.raises(import_susa.ImportRefused, match="ingen kommun i municipalities.yaml har code"):
        import_susa.import_susa(RESPONSES, tmp_path / "content", TODAY)
    assert tree(tmp_path / "content") == before


def test_imported_courses_pass_check_and_are_published(imported, tmp_path):
    content, _, _ = imported
    result = pipeline.build(content, tmp_path / "site", TODAY)
    assert result.report.errors == [] and result.written is not None
    page = BeautifulSoup((tmp_path / "site/utbildningar/underskoterska-mora/index.html").read_text(encoding="utf-8"), "html.parser")
    facts = {d.dt.get_text(strip=True): d.dd.get_text(" ", strip=True) for d in page.select(".course-facts .facts > div")}
    assert (facts["Utbildning"], facts["Antal platser"], facts["Studiemedel från CSN"]) == ("Undersköterska", "24", "Ja")
    weld = BeautifulSoup((tmp_path / "site/utbildningar/svetsare-borlange/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Löpande start" in weld.select_one(".course-facts").get_text()
    records = {r["id"]: r for r in json.loads((tmp_path / "site/utbildningar.json").read_text(encoding="utf-8"))}
    assert records["underskoterska-mora"]["susa_id"] == "e.2062.usk.2027ht"


def test_imported_files_are_in_the_agreed_format(imported):
    content, _, _ = imported
    for rel in WRITTEN:
        text = (content / rel).read_text(encoding="utf-8")
        assert format_course(*read_course(text)) == text, rel
