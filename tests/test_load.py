"""Stage 1: reading YAML with lines, and refusing what must never be read."""
from __future__ import annotations

from pathlib import Path

from dalawux_site.diagnostics import Report
from dalawux_site.load import load_yaml_file, parse_yaml


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
        f'{doc.name}:3: fältet "pace" står två gånger (första gången på rad 2) – ta bort det ena'
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


def test_scalars_get_the_same_tags_as_pyyamls_safe_loader():
    """load._Loader finds tags faster; every kind of plain and quoted value must get the same tag."""
    import yaml

    from dalawux_site import load

    values = [
        "Svetsare", "heltid", "flex", "tisdag", "yes", "No", "on", "OFF", "true", "False", "y", "n", "~", "null",
        "Null", "0", "012", "0x1F", "0o17", "1_000", "-3", "+4", "1.5", "-.5", ".inf", "-.INF", ".nan", "1e3", "6.8523015e+5",
        "2027-01-15", "2027-1-5", "2027-01-15 10:00:00", "2027-01-15T10:00:00Z", "12:30", "190:20:30", "<<", "=",
        "-", "+", ".", "Östersund", "år 2027", "1 januari",
    ]
    plain = "".join(f"- {v}\n" for v in values) + "- \n" + "- ''\n"
    quoted = "".join(f"- '{v}'\n- \"{v}\"\n" for v in values)
    for text in (plain, quoted, "a: 1\nb: [x, 2, ~, true]\nc: {d: 2027-01-15, e: '3'}\n"):
        ours, theirs = load._Loader(text), load._SafeLoader(text)
        try:
            mine, reference = ours.get_single_node(), theirs.get_single_node()
        finally:
            ours.dispose()
            theirs.dispose()

        def tags(node):
            if isinstance(node, yaml.ScalarNode):
                return (node.tag, node.value)
            if isinstance(node, yaml.SequenceNode):
                return (node.tag, [tags(item) for item in node.value])
            return (node.tag, [(tags(k), tags(v)) for k, v in node.value])

        assert tags(mine) == tags(reference)
    assert parse_yaml("- yes\n- 'yes'\n- 012\n- Svetsare\n")[0] == [True, "yes", 10, "Svetsare"]  # values built from them
