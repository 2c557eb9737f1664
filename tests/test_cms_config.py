"""The form editor's configuration says what the schema says: field by field, nested fields too."""
from __future__ import annotations

import dataclasses
import functools
import json
import re

import yaml

from dalawux_site import pipeline
from dalawux_site.cms_config import KIND_KEY, LOCAL_PROXY, local_cms_config
from dalawux_site.model import LANGUAGE_LABELS, STUDY_FORM_LABELS
from dalawux_site.validate import schema

from .conftest import SAMPLE, TODAY


@functools.cache
def _files() -> dict[str, bytes]:
    return pipeline.render(SAMPLE, TODAY).files


def _text() -> str:
    return _files()["admin/config.yml"].decode("utf-8")


def _config() -> dict:
    return yaml.safe_load(_text())


def _by_name(items: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in items}


def _definitions() -> dict:
    return schema("course")["definitions"]


def _resolve(spec: dict) -> dict:
    return _definitions()[spec["$ref"].rsplit("/", 1)[1]] if "$ref" in spec else spec


def test_every_save_becomes_a_pull_request():
    config = _config()
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["name"] == "github" and config["backend"]["repo"] == "dalawux/yrkesvuxdalarna"
    assert config["locale"] == "sv"
    assert "local_backend" not in config  # only the dev server of `make editor` adds it


def test_the_local_editor_saves_through_decap_server_without_a_workflow():
    """`make editor` builds its own configuration (the dev server passes --editor-proxy to every
    build), so /admin/ never shows the live site's GitHub login between two builds."""
    output = dataclasses.replace(pipeline.DEFAULT_OUTPUT, editor_proxy=LOCAL_PROXY)
    built = pipeline.render(SAMPLE, TODAY, output=output).files["admin/config.yml"].decode("utf-8")
    assert built == local_cms_config(_text())
    local = yaml.safe_load(built)
    assert local["local_backend"] == {"url": LOCAL_PROXY} and LOCAL_PROXY.startswith("http://127.0.0.1:")
    assert local["publish_mode"] == "simple"  # decap-server's file mode writes the files, no pull requests
    assert local["collections"] == _config()["collections"]


def test_one_collection_of_per_course_files_per_municipality():
    config = _config()
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    collections = _by_name(config["collections"])
    assert [c["name"] for c in config["collections"]] == [p.id for p in catalogue.providers] + ["infobrev"]
    for provider in catalogue.providers:
        collection = collections[provider.id]
        assert collection["label"] == provider.name
        assert collection["folder"] == f"content/courses/{provider.id}"
        assert (collection["extension"], collection["format"], collection["create"]) == ("yaml", "course-file", True)
        assert collection["slug"] == "{{slug}}-" + provider.id and collection["identifier_field"] == "name"
    assert config["slug"]["encoding"] == "ascii" and config["slug"]["clean_accents"] is True  # file names a–z, 0–9, -


def _check_fields(fields: list[dict], object_schema: dict, where: str, catalogue) -> None:
    """Each field against its property: the same names in the schema's order, and the label,
    hint, required flag, pattern and choices the schema gives."""
    properties = object_schema["properties"]
    required = set(object_schema.get("required", []))
    # a file's name is its id; susa_id is written by the import, never asked for
    assert [f["name"] for f in fields] == [n for n in properties if n not in ("id", "susa_id")], where
    for field in fields:
        name, spec = field["name"], _resolve(properties[field["name"]])
        at = f"{where}.{name}"
        assert field["label"] == spec["title"], at
        assert field["hint"] == spec["description"], at
        assert field["required"] is (name in required), at
        if spec.get("format") == "date":
            assert field["widget"] == "datum" and field["pattern"][0] == spec["pattern"], at
        elif "enum" in spec.get("items", {}):
            assert [o["value"] for o in field["options"]] == spec["items"]["enum"], at
            assert [o["label"] for o in field["options"]] == [STUDY_FORM_LABELS[v] for v in spec["items"]["enum"]], at
            assert field["min"] == spec["minItems"], at
        elif spec.get("type") == "boolean":
            assert field["widget"] == "boolean", at
        elif spec.get("type") == "string" and "enum" in spec:
            assert [o["value"] for o in field["options"]] == spec["enum"], at
            assert [o["label"] for o in field["options"]] == [LANGUAGE_LABELS[v] for v in spec["enum"]], at
        elif spec.get("type") == "integer":
            assert (field["widget"], field["value_type"], field["min"], field["max"]) == ("number", "int", spec["minimum"], spec["maximum"]), at
        elif name == "area":
            assert [o["value"] for o in field["options"]] == [a.id for a in catalogue.areas], at
        elif name in ("description", "prerequisites"):
            assert field["widget"] == "markdown", at
        elif spec.get("type") == "string":
            assert field["widget"] == "string" and field["pattern"][0] == spec["pattern"], at
            assert field["pattern"][1].lower().startswith(spec["errorMessage"][:12].lower()), at


def test_every_course_field_says_what_the_schema_says():
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    course = _definitions()["course"]
    for collection in _config()["collections"][:-1]:
        _check_fields(collection["fields"], course, collection["name"], catalogue)


def test_the_contact_person_is_asked_as_the_schema_says():
    """Its name is the person's name and required once a person is added; its title is a role."""
    contact_schema = _definitions()["course"]["properties"]["contact"]
    contact = _by_name(_config()["collections"][0]["fields"])["contact"]
    assert contact["required"] is False and contact["widget"] == "list" and (contact["min"], contact["max"]) == (0, 1)
    _check_fields(contact["fields"], contact_schema, "contact", None)
    inner = _by_name(contact["fields"])
    assert (inner["name"]["label"], inner["name"]["required"]) == ("Namn", True)
    assert inner["title"]["label"] == "Roll"
    assert "(frivillig)" not in inner["name"]["label"] and "utbildningen" not in inner["name"]["label"]


def test_a_start_has_a_last_application_day_or_a_period_or_is_continuous_never_two():
    """Each kind of start in the form is one branch of the schema's intake oneOf, with its fields required."""
    intake_schema = _definitions()["intake"]
    intakes = _by_name(_config()["collections"][0]["fields"])["intakes"]
    assert intakes["typeKey"] == KIND_KEY and intakes["min"] == 1 and intakes["required"] is True
    branches = sorted(sorted(b["required"]) for b in intake_schema["oneOf"])
    kinds = _by_name(intakes["types"])
    assert set(kinds) == {"apply_by", "period", "continuous"}
    assert sorted(sorted(f["name"] for f in kind["fields"]) for kind in kinds.values()) == branches
    for kind in kinds.values():
        assert all(f["required"] for f in kind["fields"]), kind["name"]
        for field in kind["fields"]:
            spec = intake_schema["properties"][field["name"]]
            assert field["label"] == spec["title"]
            if field["widget"] == "hidden":  # the continuous mark: set by choosing the kind
                assert (field["name"], field["default"]) == ("continuous", True)
            else:
                assert field["hint"] == spec["description"]


def test_only_periods_still_open_on_the_build_day_are_offered():
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    period = _by_name(_by_name(_by_name(_config()["collections"][0]["fields"])["intakes"]["types"])["period"]["fields"])["period"]
    still_open = [p for p in catalogue.site.periods if p.closes >= TODAY]
    assert len(still_open) < len(catalogue.site.periods)  # the sample has a closed period to leave out
    assert period["options"] == [{"label": p.label, "value": p.id} for p in still_open]


def test_texts_in_the_form_are_plain_swedish_without_file_syntax():
    course = _definitions()["course"]
    keys = set(course["properties"]) | set(_definitions()["intake"]["properties"]) | set(course["properties"]["contact"]["properties"])
    said: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            said.extend(str(value[k]) for k in ("label", "hint", "label_singular", "description") if k in value)
            said.extend(str(value["pattern"][1]) for _ in [0] if isinstance(value.get("pattern"), list))
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(_config()["collections"])
    assert said
    for text in said:
        assert not re.search(r"\b(" + "|".join(keys) + r"):", text), text
        assert not re.search(r"\.(yaml|json|md)\b|\bid\b", text), text


def test_infobrev_fields_say_what_the_schema_says():
    infobrev = _by_name(_config()["collections"])["infobrev"]
    assert infobrev["folder"] == "content/infobrev" and infobrev["create"] is True
    fields = [f for f in infobrev["fields"] if f["name"] != "body"]
    _check_fields(fields, schema("infobrev"), "infobrev", None)


def test_the_course_file_format_gets_the_schema_order():
    spec = json.loads(_files()["admin/course-file.json"])
    assert spec["course"] == list(_definitions()["course"]["properties"])
    assert spec["nested"] == {"intakes": list(_definitions()["intake"]["properties"]),
                              "contact": list(_definitions()["course"]["properties"]["contact"]["properties"])}
    assert spec["schema_line"] == "# yaml-language-server: $schema=../../schemas/course-file.schema.json"
