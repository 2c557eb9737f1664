"""The form editor's configuration follows the schema: same fields, required flags and choices."""
from __future__ import annotations

import yaml

from dalawux_site import pipeline
from dalawux_site.model import STUDY_FORM_LABELS
from dalawux_site.validate import schema

from .conftest import SAMPLE, TODAY


def _config() -> dict:
    return yaml.safe_load(pipeline.render(SAMPLE, TODAY).files["admin/config.yml"])


def _by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def test_every_save_becomes_a_pull_request():
    config = _config()
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["name"] == "github" and config["backend"]["repo"] == "dalawux/yrkesvuxdalarna"
    assert config["locale"] == "sv"


def test_one_editable_file_per_municipality():
    courses = _by_name(_config()["collections"])["utbildningar"]
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    assert [f["file"] for f in courses["files"]] == [f"content/courses/{p.id}.yaml" for p in catalogue.providers]
    assert courses["format"] == "yaml-course-list"


def test_course_fields_match_the_schema():
    course_schema = schema("course")["definitions"]["course"]
    fields = _by_name(_by_name(_config()["collections"])["utbildningar"]["files"][0]["fields"][0]["fields"])
    assert set(fields) == set(course_schema["properties"])
    assert {name for name, f in fields.items() if f["required"]} == set(course_schema["required"])
    forms = fields["study_forms"]
    assert [o["value"] for o in forms["options"]] == course_schema["properties"]["study_forms"]["items"]["enum"]
    assert [o["label"] for o in forms["options"]] == [STUDY_FORM_LABELS[v] for v in STUDY_FORM_LABELS]
    assert (fields["pace"]["min"], fields["pace"]["max"]) == (1, 100)
    intake = _by_name(fields["intakes"]["fields"])
    intake_schema = schema("course")["definitions"]["intake"]
    assert set(intake) == set(intake_schema["properties"])
    assert {n for n, f in intake.items() if f["required"]} == set(intake_schema["required"])
    assert intake["start"]["format"] == "YYYY-MM-DD"
    assert fields["description"]["widget"] == "markdown"


def test_choices_come_from_the_content():
    catalogue = pipeline.check(SAMPLE, TODAY).catalogue
    fields = _by_name(_by_name(_config()["collections"])["utbildningar"]["files"][0]["fields"][0]["fields"])
    assert [o["value"] for o in fields["area"]["options"]] == [a.id for a in catalogue.areas]
    period = _by_name(fields["intakes"]["fields"])["period"]
    assert [o["value"] for o in period["options"]] == [p.id for p in catalogue.site.periods]


def test_infobrev_fields_match_the_schema():
    infobrev = _by_name(_config()["collections"])["infobrev"]
    fields = _by_name(infobrev["fields"])
    assert set(fields) - {"body"} == set(schema("infobrev")["properties"])
    assert {n for n, f in fields.items() if f.get("required", True) and n != "body"} == set(schema("infobrev")["required"])
    assert infobrev["folder"] == "content/infobrev" and infobrev["create"] is True
