"""Stage 1: reading YAML with lines, and refusing what must never be read."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dalawux_site import load
from dalawux_site.diagnostics import Report
from dalawux_site.load import Document, _suffix, load_yaml_file, parse_yaml


def _load(tmp_path: Path, text: str | bytes) -> tuple[object, Report]:
    path = tmp_path / "content" / "courses" / "falun.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    report = Report()
    return load_yaml_file(path, tmp_path / "content", report), report


def test_values_keep_their_lines():
    data, lines, key_lines = parse_yaml("- name: Svets\n  intakes:\n    - start: 2027-01-18\n")
    assert data == [{"name": "Svets", "intakes": [{"start": "2027-01-18"}]}]
    assert lines[(0, "intakes", 0, "start")] == 3
    assert key_lines[(0, "intakes")] == 2


def test_dates_stay_text_so_the_schema_can_check_them():
    data, _, _ = parse_yaml("start: 2026-02-30\npace: 50\nok: true\n")
    assert data == {"start": "2026-02-30", "pace": 50, "ok": True}


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    doc, report = _load(tmp_path, "- name: A\n  pace: 50\n  pace: 75\n")
    assert not doc.readable
    assert [d.format().splitlines()[0] for d in report.errors] == [
        f'{doc.name}:3: fältet "pace" står två gånger (första gången på rad 2) – ett fält får bara stå en gång: behåll det som är rätt och ta bort det andra'
    ]


def test_object_constructing_tags_are_refused(tmp_path):
    _, report = _load(tmp_path, "- name: !!python/object/apply:os.system ['echo hej']\n")
    (error,) = report.errors
    assert error.line == 1
    assert 'YAML-taggen "tag:yaml.org,2002:python/object/apply:os.system" är inte tillåten' in error.message


def test_billion_laughs_is_refused(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 10) + "]")
    _, report = _load(tmp_path, "\n".join(lines) + "\n")
    (error,) = report.errors
    assert error.message.startswith("dokumentet är för stort eller för djupt")


def test_recursive_alias_is_refused(tmp_path):
    _, report = _load(tmp_path, "a: &a\n  b: *a\n")
    assert report.errors[0].message.startswith("dokumentet är för stort eller för djupt")


def test_non_utf8_file_is_refused_at_the_line(tmp_path):
    _, report = _load(tmp_path, "- name: Kock\n  location: G\xe4vle\n".encode("latin-1"))
    (error,) = report.errors
    assert error.line == 2
    assert error.message.startswith("filen är inte sparad som UTF-8")


def test_huge_file_is_refused(tmp_path):
    _, report = _load(tmp_path, "# " + "x" * (3 * 1024 * 1024) + "\n")
    assert report.errors[0].message.startswith("filen är för stor")


def test_syntax_error_is_explained_in_swedish(tmp_path):
    doc, report = _load(tmp_path, "- name: Kock\n  location: Falun: centrum\n")
    (error,) = report.errors
    assert error.format() == (
        f"{doc.name}:2: filen kan inte läsas som YAML: ett kolon (:) står där det inte får stå – "
        'sätt texten inom citattecken, t.ex. "Svets: grund"\n    location: Falun: centrum'
    )


def test_tab_indent_is_explained(tmp_path):
    _, report = _load(tmp_path, "- name: Kock\n\tlocation: Falun\n")
    assert "tabbtecken" in report.errors[0].message


def test_scalars_get_the_same_values_as_from_pyyamls_safe_loader():
    """load builds each scalar with SafeConstructor's own construct_yaml_* methods (public names, not
    in PyYAML's documentation): every kind of plain and quoted value must come out as safe_load
    makes it, but dates, which stay text for the schema to check."""
    import datetime as dt

    import yaml

    values = [
        "Svetsare", "heltid", "flex", "tisdag", "yes", "No", "on", "OFF", "true", "False", "y", "n", "~", "null",
        "Null", "0", "012", "0x1F", "0o17", "0b101", "1_000", "-3", "+4", "1.5", "-.5", ".inf", "-.INF", "1e3", "6.8523015e+5",
        "2027-01-15", "2027-1-5", "2027-01-15 10:00:00", "2027-01-15T10:00:00Z", "12:30", "190:20:30",
        "-", "+", ".", "Östersund", "år 2027", "1 januari",
    ]
    for text in ("".join(f"- {v}\n" for v in values) + "- \n- ''\n", "".join(f"- '{v}'\n- \"{v}\"\n" for v in values)):
        ours, reference = parse_yaml(text)[0], yaml.safe_load(text)
        assert len(ours) == len(reference)
        for mine, theirs in zip(ours, reference):
            if isinstance(theirs, (dt.date, dt.datetime)):
                assert isinstance(mine, str)
            else:
                assert (type(mine), mine) == (type(theirs), theirs)
    assert parse_yaml("- .nan\n")[0][0] != parse_yaml("- .nan\n")[0][0]  # NaN, as safe_load makes it
    assert parse_yaml("- yes\n- 'yes'\n- 012\n- Svetsare\n")[0] == [True, "yes", 10, "Svetsare"]


@pytest.mark.parametrize("where", ["above", "content", "courses", "falun", "elsewhere"])
def test_course_files_are_named_as_each_file_is_on_its_own(tmp_path, monkeypatch, where):
    """load_course_files works each folder's names out once: every file gets the display name and
    path in the content folder that load_yaml_file gives it, from any working folder."""
    from dalawux_site.load import load_course_files

    content = tmp_path / "content"
    paths = [content / "courses" / "falun.yaml", content / "courses" / "falun" / "svets-falun.yaml",
             content / "courses" / "mora" / "kock-mora.yaml"]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("name: Kock\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    folder = {"above": tmp_path, "content": content, "courses": content / "courses", "falun": content / "courses" / "falun",
              "elsewhere": tmp_path / "elsewhere"}[where]
    monkeypatch.chdir(folder)
    together = load_course_files(paths, content, Report())
    alone = [load_yaml_file(path, content, Report()) for path in paths]
    assert [(doc.name, doc.rel) for doc in together] == [(doc.name, doc.rel) for doc in alone]
    assert together[1].rel == "courses/falun/svets-falun.yaml"
    assert together[1].name == {
        "above": "content/courses/falun/svets-falun.yaml", "content": "courses/falun/svets-falun.yaml",
        "courses": "falun/svets-falun.yaml", "falun": "svets-falun.yaml", "elsewhere": "content/courses/falun/svets-falun.yaml",
    }[where]


@given(st.lists(st.text(st.sampled_from("ab.-_ å"), min_size=1, max_size=8).filter(lambda part: part not in (".", "..")), min_size=1, max_size=3))
def test_a_documents_stem_and_a_names_suffix_are_as_pathlib_has_them(parts):
    rel = Path(*parts).as_posix()
    assert Document("x", rel, "").stem == Path(rel).stem
    assert _suffix(parts[-1]) == Path(parts[-1]).suffix


@pytest.mark.parametrize("expected", [1, 7, 10_001])
@pytest.mark.parametrize("limit", [5, 10_000, 10_001, 20_000])
def test_reading_gets_what_a_buffered_read_of_the_limit_gets(tmp_path, expected, limit):
    """However far the size measured before reading is from the file's (it may have grown)."""
    from dalawux_site.load import _read_at_most

    path = tmp_path / "f"
    path.write_bytes(bytes(range(256)) * 39 + b"x" * 16)
    descriptor = os.open(path, os.O_RDONLY)
    try:
        got = _read_at_most(descriptor, limit, expected)
    finally:
        os.close(descriptor)
    with open(path, "rb") as file:
        assert got == file.read(limit)


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 70_000, 2 * 1024 * 1024])
def test_a_file_is_read_whole_up_to_the_limit(tmp_path, size):
    text = ("# " + "x" * max(0, size - 3) + "\n")[:size] if size else ""
    doc, report = _load(tmp_path, text)
    assert not report.errors
    assert doc.text == text


# --- only regular files inside content/ are read ----------------------------------------------

SECRET = "HEMLIGT-lösenord-4711"


def _secret_outside(tmp_path: Path) -> Path:
    """A file outside the content folder that looks like content (so a followed link would be read)."""
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n- name: {SECRET}\n", encoding="utf-8")
    return secret


def _run(args: list[str], capsys) -> tuple[int, str]:
    from dalawux_site import cli

    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _check_output(content: Path, capsys) -> tuple[int, list[str]]:
    code, output = _run(["check", "--content", str(content), "--today", "2026-11-22"], capsys)
    return code, output


LINK = "är en länk (genväg) till en annan fil eller mapp, och länkar läses inte – lägg en kopia av själva filen här i stället för länken"


@pytest.mark.parametrize("rel", ["pages/hemlig.md", "infobrev/2026-11-30-brev.md", "courses/gagnef.yaml", "site.yaml"])
def test_a_link_to_a_file_outside_is_an_error_and_none_of_its_bytes_appear(content, tmp_path, capsys, rel):
    secret = _secret_outside(tmp_path)
    link = content / rel
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    code, output = _check_output(content, capsys)
    assert code == 1
    assert f"content/{rel}: {link.name} {LINK}" in output.splitlines()
    assert SECRET not in output
    out = tmp_path / "_site"
    code, output = _run(["build", "--content", str(content), "--out", str(out), "--today", "2026-11-22"], capsys)
    assert code == 1 and SECRET not in output and not out.exists()
    code, output = _run(["check", "--content", str(content), "--today", "2026-11-22", "--format", "github"], capsys)
    assert code == 1 and SECRET not in output


def test_links_inside_content_and_dangling_links_are_errors_too(content, capsys):
    (content / "courses" / "gagnef.yaml").symlink_to(content / "courses" / "falun.yaml")
    (content / "pages" / "borta.md").symlink_to(content / "pages" / "finns-inte.md")
    code, output = _check_output(content, capsys)
    assert code == 1
    lines = output.splitlines()
    assert f"content/courses/gagnef.yaml: gagnef.yaml {LINK}" in lines
    assert f"content/pages/borta.md: borta.md {LINK}" in lines


def test_a_linked_folder_is_not_read(content, tmp_path, capsys):
    secret = _secret_outside(tmp_path)
    (content / "courses" / "gagnef").symlink_to(secret.parent)  # a per-course folder pointing outside
    shutil.rmtree(content / "infobrev")
    (content / "infobrev").symlink_to(secret.parent)
    code, output = _check_output(content, capsys)
    assert code == 1
    assert f"content/courses/gagnef: gagnef {LINK}" in output.splitlines()
    assert f"content/infobrev: infobrev {LINK}" in output.splitlines()
    assert SECRET not in output


def test_a_folder_in_place_of_a_course_file_is_an_error(content, capsys):
    (content / "courses" / "mora.yaml").mkdir()
    (content / "pages" / "kontakta.md").mkdir()
    code, output = _check_output(content, capsys)
    assert code == 1
    lines = output.splitlines()
    assert (
        "content/courses/mora.yaml: mora.yaml är en mapp, inte en fil – den läses inte. En kommuns utbildningar står i "
        "filen mora.yaml eller, en fil per utbildning, i mappen mora/: byt namn på mappen till mora"
    ) in lines
    assert "content/pages/kontakta.md: kontakta.md är en mapp, inte en fil – den läses inte. Byt namn på mappen, och lägg filen kontakta.md här" in lines
    assert "0 fel" not in output


def test_a_fifo_or_device_is_an_error_and_never_blocks(content, capsys):
    os.mkfifo(content / "courses" / "gagnef.yaml")
    try:
        os.mknod(content / "pages" / "enhet.md", 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
        device = True
    except (PermissionError, OSError):
        device = False  # not allowed here: the FIFO stands for both
    code, output = _check_output(content, capsys)
    assert code == 1
    special = "är ingen vanlig fil (utan t.ex. en enhet eller en pipe) och läses inte – lägg en vanlig textfil här i stället"
    assert f"content/courses/gagnef.yaml: gagnef.yaml {special}" in output.splitlines()
    if device:
        assert f"content/pages/enhet.md: enhet.md {special}" in output.splitlines()


def test_reading_refuses_a_link_even_if_it_appears_after_the_listing(tmp_path):
    """load_yaml_file opens with O_NOFOLLOW: a link swapped in after the folder was listed is not read."""
    secret = _secret_outside(tmp_path)
    path = tmp_path / "content" / "courses" / "falun.yaml"
    path.parent.mkdir(parents=True)
    path.symlink_to(secret)
    report = Report()
    doc = load_yaml_file(path, tmp_path / "content", report)
    assert not doc.readable and SECRET not in doc.text
    assert [d.format() for d in report.errors] == [f"{doc.name}: falun.yaml {LINK}"]


@pytest.mark.parametrize("old, new, wanted", [
    ("courses/falun.yaml", "courses/falun.YAML", "byt namn till falun.yaml"),
    ("courses/mora/timmerhusbyggare-mora.yaml", "courses/mora/timmerhusbyggare-mora.Yaml", "byt namn till timmerhusbyggare-mora.yaml"),
    ("pages/om.md", "pages/om.MD", "byt namn till om.md"),
    ("infobrev/2026-11-20-novemberbrev.md", "infobrev/2026-11-20-novemberbrev.Md", "byt namn till 2026-11-20-novemberbrev.md"),
])
def test_a_content_file_whose_ending_differs_in_case_is_an_error(content, capsys, old, new, wanted):
    (content / old).rename(content / new)
    code, output = _check_output(content, capsys)
    assert code == 1
    assert f"content/{new}: filen har fel ändelse och läses inte – {wanted}" in output.splitlines()


@pytest.mark.parametrize("old, new", [("site.yaml", "Site.yaml"), ("names.yaml", "NAMES.yaml"), ("pages", "Pages")])
def test_a_shared_file_or_folder_whose_name_differs_in_case_is_an_error(content, capsys, old, new):
    (content / old).rename(content / new)
    code, output = _check_output(content, capsys)
    assert code == 1
    assert f"content/{new}: namnet ska skrivas med små bokstäver och läses inte som det är – byt namn till {old}" in output.splitlines()


# --- YAML messages lead to the fix -------------------------------------------------------------

def _errors(tmp_path: Path, text: str) -> list[str]:
    _, report = _load(tmp_path, text)
    return [d.format() for d in report.sorted()]


def test_a_tab_in_the_indent_is_named_and_shown_as_an_arrow(tmp_path):
    assert _errors(tmp_path, "- name: Kock\n  contact:\n  \tname: Anna\n") == [
        "content/courses/falun.yaml:3: filen kan inte läsas som YAML: det står ett tabbtecken i indraget (visas som → nedan) – "
        "YAML tillåter bara mellanslag: byt tabben mot mellanslag, så att raden börjar lika långt in som de rader den hör ihop med"
        "\n    →name: Anna"
    ]


def test_a_tab_elsewhere_on_the_line_is_named_too(tmp_path):
    assert _errors(tmp_path, "- name: Kock\n  study_forms: [plats,\tdistans\t\n  pace: 100\n")[0].startswith(
        "content/courses/falun.yaml:2: filen kan inte läsas som YAML: det står ett tabbtecken på raden (visas som → nedan)"
    )


def test_curly_quotes_around_a_text_with_a_colon_show_the_straight_ones(tmp_path):
    assert _errors(tmp_path, "- name: “Svets: grund”\n  pace: 100\n") == [
        "content/courses/falun.yaml:1: filen kan inte läsas som YAML: citattecknen “ ” (som Word och mobilen skriver) räknas "
        'inte som citattecken i YAML – skriv raka citattecken i stället: - name: "Svets: grund"'
        "\n    - name: “Svets: grund”"
    ]


def test_curly_quotes_around_a_plain_text_are_a_warning(tmp_path):
    doc, report = _load(tmp_path, "- name: “Svetsare”\n  location: ‘Falun’\n  area: industri, “svets”\n")
    assert doc.data == [{"name": "“Svetsare”", "location": "‘Falun’", "area": "industri, “svets”"}]
    assert [d.format() for d in report.sorted()] == [
        "content/courses/falun.yaml:1: varning: texten står inom citattecknen “ ” (som Word och mobilen skriver), och de "
        "syns då på webbplatsen – ta bort dem: - name: Svetsare\n    - name: “Svetsare”",
        "content/courses/falun.yaml:2: varning: texten står inom citattecknen “ ” (som Word och mobilen skriver), och de "
        "syns då på webbplatsen – ta bort dem: location: Falun\n    location: ‘Falun’",
    ]


def test_curly_quotes_in_a_page_are_shown_on_the_page_only_with_a_warning(content, tmp_path):
    from dalawux_site import pipeline

    page = content / "pages" / "om.md"
    page.write_text(re.sub(r"^title: (.*)$", r"title: “\1”", page.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    title_line = next(n for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("title: “"))
    result = pipeline.check(content, dt.date(2026, 11, 22))
    assert [d.location() for d in result.report.warnings if "citattecknen" in d.message] == [f"content/pages/om.md:{title_line}"]


def test_a_missing_dash_before_a_new_start_says_to_add_it(tmp_path):
    text = (
        "- name: Kock\n  intakes:\n    - start: 2027-01-18\n      apply_by: 2026-12-01\n"
        "      start: 2027-08-16\n      apply_by: 2027-05-01\n  pace: 100\n"
    )
    assert _errors(tmp_path, text) == [
        'content/courses/falun.yaml:5: fältet "start" står två gånger i samma kursstart (första gången på rad 3): här börjar '
        'nog en ny kursstart. Skriv "- " före start: på rad 5, så att - står rakt under - på rad 3 (ta inte bort något)'
        "\n    start: 2027-08-16"
    ]


def test_a_missing_dash_before_a_new_course_says_to_add_it(tmp_path):
    assert _errors(tmp_path, "- name: Kock\n  pace: 100\n  name: Svetsare\n  pace: 50\n")[0].startswith(
        'content/courses/falun.yaml:3: fältet "name" står två gånger i samma utbildning (första gången på rad 1): här börjar '
        'nog en ny utbildning. Skriv "- " före name: på rad 3'
    )


def test_a_block_text_line_without_indent_is_reported_where_it_is(tmp_path):
    text = "- name: Kock\n  description: |\n    Rad ett.\n  Rad två utan indrag.\n  pace: 100\n  weeks: 20\n"
    assert _errors(tmp_path, text) == [
        "content/courses/falun.yaml:4: filen kan inte läsas som YAML: raden hör till texten under description: men har för "
        "litet indrag – flytta in den lika långt som texten ovanför (rad 3)\n    Rad två utan indrag."
    ]


def test_an_indent_that_matches_no_level_is_reported_where_it_happens(tmp_path):
    assert _errors(tmp_path, "- name: Kock\n  location: Mora\n   area: industri\n  pace: 100\n") == [
        "content/courses/falun.yaml:3: filen kan inte läsas som YAML: indraget stämmer inte – raden börjar 3 mellanslag in, "
        "men fälten ovanför börjar 2 mellanslag in. Flytta raden lika långt in som de fält den hör ihop med, till exempel "
        "2 mellanslag som location: på rad 2\n    area: industri"
    ]
    text = "- name: Kock\n  intakes:\n    - start: 2027-01-18\n      apply_by: 2026-12-01\n   pace: 100\n"
    assert _errors(tmp_path, text) == [
        "content/courses/falun.yaml:5: filen kan inte läsas som YAML: indraget stämmer inte – raden börjar 3 mellanslag in, "
        "men fälten ovanför börjar 2 eller 6 mellanslag in. Flytta raden lika långt in som de fält den hör ihop med, till "
        "exempel 2 mellanslag som intakes: på rad 2\n    pace: 100"
    ]


def test_good_indents_and_long_texts_are_not_mistaken_for_mistakes(tmp_path):
    text = (
        "- name: Kock\n  location: >\n    Mora,\n    centrum\n  study_forms: [plats,\n    distans]\n"
        "  intakes:\n  - start: 2027-01-18\n    apply_by: 2026-12-01\n  description: Lång text\n    på två rader\n"
        "  contact:\n    name: Anna\n"
    )
    doc, report = _load(tmp_path, text)
    assert report.diagnostics == [] and doc.data[0]["contact"] == {"name": "Anna"}


def test_the_summary_counts_exactly_the_problems_shown(content, capsys):
    from dalawux_site import cli

    (content / "courses" / "gagnef.yaml").write_text("- name: Kock\n  location: Mora\n   area: industri\n", encoding="utf-8")
    assert cli.main(["check", "--content", str(content), "--today", "2026-11-22"]) == 1
    output = capsys.readouterr().err.splitlines()
    shown = [line for line in output if line.startswith("content/") and ": varning: " not in line]
    assert len(shown) == 1
    assert output[-1] == "Innehållet har fel: 1 fel, 0 varningar. Rätta felen och kör igen."
    report = Report()
    for _ in range(2):
        report.error("content/site.yaml", 3, "samma fel")
    assert report.summary() == "1 fel, 0 varningar."


_PLAIN_SCALARS = [
    "", "~", "null", "Null", "NULL", "nUll", "yes", "No", "oN", "OFF", "y", "true", "0", "00", "07", "08",
    "0b101", "0x1F", "-0", "+12", "1_000", "1:30", "1:30.5", "1.5", "1.", ".5", "-.inf", ".NaN", "1e5",
    "1.0e+5", "2027-03-15", "2027-3-5", "2027-03-15T10:00:00", "2027-03-15 10:00:00.5 +01:00", "<<", "<",
    "=", "==", "Falun", "1-2", "2027-03-15x", "12abc",
]


@pytest.mark.parametrize("value", _PLAIN_SCALARS)
def test_plain_scalars_get_the_tags_pyyaml_gives_them(value):
    assert load._plain_tag(value) == yaml.compose(f"key: {value}", Loader=yaml.SafeLoader).value[0][1].tag


@pytest.mark.parametrize("text", [
    "name: Svetsare\npace: 100\nok: yes\nnone:\nwhen: 2027-03-15\nlist: [1, '2', 3.5]\n"
    "nested:\n  - a: |\n      text\n    b: “citat”\n",
    "- 1\n- - 2\n  - {x: y}\n", "just text", "", "# only a comment\n", "---\n",
])
def test_the_event_builder_gives_what_the_composer_gives(text):
    quick = load._EventBuilder(3, curly=True).parse(text)
    builder = load._Builder(3, curly=True)
    node = yaml.compose(text, Loader=load._SafeLoader)
    assert quick == (builder.build(node, ()) if node is not None else None, builder.lines, builder.key_lines, builder.decorated)


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "a: 1\n---\nb: 2\n", "<<: {a: 1}\n", "a: [\n"])
def test_unusual_documents_are_left_to_the_composer(text):
    assert load._EventBuilder(1, curly=False).parse(text) is None
