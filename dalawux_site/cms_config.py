"""The form editor's configuration (Decap CMS `config.yml`), generated from the content schemas.

Field names, required flags, patterns and choices come from content/schemas/course.schema.json
and infobrev.schema.json, so the editor can never ask for something the build refuses.
"""
from __future__ import annotations

from typing import Any

import yaml

from .model import LANGUAGE_LABELS, STUDY_FORM_LABELS, Catalogue
from .validate import schema

DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False, "picker_utc": True}
LABELS = {  # field -> what editors read in the form
    "id": "Egen adress (id)", "name": "Namn (som kommunen kallar utbildningen)", "location": "Ort",
    "area": "Område", "study_forms": "Studieform", "pace": "Studietakt (procent)", "weeks": "Längd i veckor",
    "points": "Poäng", "intakes": "Starter", "start": "Startdatum", "apply_by": "Sista ansökningsdag",
    "period": "Gemensam ansökningsperiod", "apply_url": "Länk till ansökan", "description": "Beskrivning",
    "prerequisites": "Förkunskaper", "contact": "Kontaktperson", "title": "Rubrik", "email": "E-post",
    "phone": "Telefon", "added": "Publicerad första gången", "date": "Datum", "summary": "Sammanfattning",
    **{  # the fields shared with Skolverket's data model
        "continuous": "Löpande start", "places": "Antal platser", "student_aid": "Ger studiemedel från CSN",
        "language": "Undervisningsspråk", "susa_id": "Id i Susa-navet (skrivs av importen)",
    },
}
MARKDOWN_FIELDS = {"description", "prerequisites"}


def cms_config(catalogue: Catalogue, repository: str) -> str:
    """config.yml for Decap CMS: course files and infobrev, saved as pull requests."""
    config = {
        "backend": {
            "name": "github", "repo": repository, "branch": "main",
            "base_url": "https://api.netlify.com", "auth_endpoint": "auth", "squash_merges": True,
        },
        "publish_mode": "editorial_workflow",
        "locale": "sv",
        "site_url": catalogue.site.base_url,
        "display_url": catalogue.site.base_url,
        "media_folder": "content/media",
        "collections": [_courses_collection(catalogue), _infobrev_collection()],
    }
    header = "# Skapad av bygget från content/schemas/ – ändra inte för hand.\n"
    # libyaml's emitter where PyYAML has it: the same text, six times faster than the Python one.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return header + yaml.dump(config, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def _courses_collection(catalogue: Catalogue) -> dict[str, Any]:
    course = schema("course")["definitions"]["course"]
    return {
        "name": "utbildningar",
        "label": "Utbildningar",
        "label_singular": "Kommunens utbildningar",
        "description": "En fil per kommun. Varje sparad ändring blir en pull request som granskas innan den publiceras.",
        "format": "yaml-course-list",  # registered in assets/js/admin.js: each file is a list at its root
        "extension": "yaml",
        "editor": {"preview": False},  # the form alone: the real page is seen in the pull request's preview
        "files": [
            {
                "name": provider.id,
                "label": provider.name,
                "file": f"content/courses/{provider.id}.yaml",
                "fields": [{
                    "name": "courses", "label": "Utbildningar", "label_singular": "utbildning",
                    "widget": "list", "summary": "{{fields.name}} ({{fields.location}})", "collapsed": True,
                    "fields": _fields(course, catalogue),
                }],
            }
            for provider in catalogue.providers
        ],
    }


def _infobrev_collection() -> dict[str, Any]:
    infobrev = schema("infobrev")
    return {
        "name": "infobrev", "label": "Infobrev", "label_singular": "infobrev",
        "folder": "content/infobrev", "create": True, "extension": "md", "format": "frontmatter",
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
        "editor": {"preview": False},
        "fields": _fields(infobrev, None) + [{"name": "body", "label": "Text", "widget": "markdown"}],
    }


def _fields(object_schema: dict, catalogue: Catalogue | None) -> list[dict[str, Any]]:
    required = set(object_schema.get("required", []))
    names = sorted(object_schema["properties"], key=lambda name: name == "id")  # the rarely needed id last
    return [_field(name, object_schema["properties"][name], name in required, catalogue) for name in names]


def _field(name: str, spec: dict, required: bool, catalogue: Catalogue | None) -> dict[str, Any]:
    spec = _resolve(spec)
    field: dict[str, Any] = {"name": name, "label": LABELS.get(name, name), "required": required}
    if spec.get("description"):
        field["hint"] = spec["description"]
    field.update(_widget(name, spec, catalogue))
    if field["widget"] == "object" and not required:
        _optional_object(field)
    if spec.get("pattern") and field["widget"] == "string":
        field["pattern"] = [spec["pattern"], _capitalised(spec.get("errorMessage", "Fel form"))]
    return field


def _widget(name: str, spec: dict, catalogue: Catalogue | None) -> dict[str, Any]:
    if spec.get("format") == "date":
        return dict(DATE)
    if name in MARKDOWN_FIELDS:
        return {"widget": "markdown", "buttons": ["bold", "italic", "link", "heading-three", "bulleted-list", "numbered-list"],
                "editor_components": [], "modes": ["rich_text", "raw"]}
    if name == "area" and catalogue:
        return {"widget": "select", "options": [{"label": a.name, "value": a.id} for a in catalogue.areas]}
    if name == "period" and catalogue:
        return {"widget": "select", "options": [{"label": p.label, "value": p.id} for p in catalogue.site.periods]}
    if spec.get("type") == "array" and "enum" in spec.get("items", {}):
        options = [{"label": STUDY_FORM_LABELS.get(v, v), "value": v} for v in spec["items"]["enum"]]
        return {"widget": "select", "multiple": True, "min": spec.get("minItems", 0), "options": options}
    if spec.get("type") == "boolean" or (spec.get("type") == "string" and "enum" in spec):
        return _choice_widget(spec)
    if spec.get("type") == "integer":
        return {"widget": "number", "value_type": "int", "min": spec.get("minimum"), "max": spec.get("maximum")}
    if spec.get("type") == "array":
        item = _resolve(spec["items"])
        return {"widget": "list", "fields": _fields(item, catalogue), "min": spec.get("minItems", 0)}
    if spec.get("type") == "object":
        return {"widget": "object", "fields": _fields(spec, catalogue)}
    return {"widget": "string"}


def _choice_widget(spec: dict) -> dict[str, Any]:
    """A yes/no field as a switch, a fixed list of texts (the teaching language) as a menu."""
    if spec.get("type") == "boolean":
        return {"widget": "boolean"}
    return {"widget": "select", "options": [{"label": LANGUAGE_LABELS.get(v, v), "value": v} for v in spec["enum"]]}


def _optional_object(field: dict[str, Any]) -> dict[str, Any]:
    """Decap checks the fields inside an optional object even when it is left empty, so they are
    optional in the form; the build still refuses a contact without a name."""
    for inner in field.get("fields", []):
        inner["required"] = False
    return field



def _resolve(spec: dict) -> dict:
    ref = spec.get("$ref")
    return schema("course")["definitions"][ref.rsplit("/", 1)[1]] if ref else spec


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
