"""The form editor's configuration (Decap CMS `config.yml`), generated from the content schemas.

Every label (the schema's `title`), hint (`description`), required flag, pattern and choice comes
from content/schemas/course.schema.json and infobrev.schema.json, so the editor can never ask for
something the build refuses. Each municipality is a collection of its per-course files
(content/courses/<municipality>/<course>.yaml), written by the file format in
assets/js/course-file.js; `course_file_spec` gives that format the key order of the schema.
"""
from __future__ import annotations

from typing import Any

import yaml

from .course_file import HEADER as SCHEMA_LINE
from .model import LANGUAGE_LABELS, STUDY_FORM_LABELS, Catalogue, Provider
from .validate import schema

FORMAT = "course-file"  # registered by assets/js/admin.js
DATE = {"widget": "datum"}  # registered by assets/js/admin.js: typed as 2027-03-15, read back in words
MARKDOWN = {
    "widget": "markdown", "buttons": ["bold", "italic", "link", "heading-three", "bulleted-list", "numbered-list"],
    "editor_components": [], "modes": ["rich_text", "raw"],
}
# A per-course file's name is its id, and susa_id is written by import-susa: both are kept as they
# are in a file, never asked for.
NOT_IN_FORM = {"id", "susa_id"}
INTAKE_KINDS = (  # (kind, label, its fields): one branch each of the schema's intake oneOf
    ("apply_by", "Start med egen sista ansökningsdag", ("start", "apply_by")),
    ("period", "Start i en gemensam ansökningsperiod", ("start", "period")),
    ("continuous", "Löpande start (sök och börja när som helst)", ("continuous", "apply_by")),
)
KIND_KEY = "_kind"  # which of INTAKE_KINDS an intake is; course-file.js adds it on reading and never writes it
LOCAL_PROXY = "http://127.0.0.1:8081/api/v1"  # decap-server, started by `make editor`


def cms_config(catalogue: Catalogue, repository: str) -> str:
    """config.yml for Decap CMS: one collection per municipality and the infobrev, saved as pull requests."""
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
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [*(_municipality(p, catalogue) for p in catalogue.providers), _infobrev_collection()],
    }
    return _dump(config)


def local_cms_config(text: str, proxy: str = LOCAL_PROXY) -> str:
    """The same configuration for `make editor`: saved straight into the working copy through
    decap-server, with no GitHub account (its file mode has no pull requests, so no workflow)."""
    config = yaml.safe_load(text)
    config["local_backend"] = {"url": proxy}
    config["publish_mode"] = "simple"
    return _dump(config)


def course_file_spec() -> dict[str, Any]:
    """What assets/js/course-file.js needs to write a course file: the first line and the key order
    of a course and of its nested mappings, as content/schemas/course.schema.json has them (and
    of an infobrev's fields, written the same way)."""
    definitions = schema("course")["definitions"]
    course = definitions["course"]["properties"]
    return {
        "schema_line": SCHEMA_LINE,
        "course": list(course),
        "nested": {"intakes": list(definitions["intake"]["properties"]), "contact": list(course["contact"]["properties"])},
        "titles": {name: spec["title"] for name, spec in course.items()},
        "infobrev": list(schema("infobrev")["properties"]),
        "kind_key": KIND_KEY,
        "kinds": [kind for kind, _, _ in INTAKE_KINDS],
    }


def _dump(config: dict[str, Any]) -> str:
    header = "# Skapad av bygget från content/schemas/ – ändra inte för hand.\n"
    # libyaml's emitter where PyYAML has it: the same text, several times faster than the Python one.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return header + yaml.dump(config, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def _municipality(provider: Provider, catalogue: Catalogue) -> dict[str, Any]:
    """A municipality's courses, one file each: its editors find their own courses under its name."""
    course = schema("course")["definitions"]["course"]
    return {
        "name": provider.id,
        "label": provider.name,
        "label_singular": "utbildning",
        "description": f"{provider.name}s utbildningar. När du sparar blir ändringen ett förslag, som granskas innan det syns på webbplatsen.",
        "folder": f"content/courses/{provider.id}",
        "extension": "yaml",
        "format": FORMAT,
        "create": True,
        "delete": False,  # a course leaves by itself the day after its last application day
        "identifier_field": "name",
        "slug": "{{slug}}-" + provider.id,  # the file name, i.e. the course's address: "svetsare-mora"
        "summary": "{{name}}, {{location}}",
        "sortable_fields": [{"field": "name", "default_sort": True}, "location"],  # by name from the start
        "editor": {"preview": False},  # the form alone: the real page is seen in the pull request's preview
        "fields": _fields(course, catalogue),
    }


def _infobrev_collection() -> dict[str, Any]:
    infobrev = schema("infobrev")
    return {
        "name": "infobrev", "label": "Infobrev", "label_singular": "infobrev",
        "folder": "content/infobrev", "create": True, "extension": "md", "format": "infobrev",  # admin.js
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
        "editor": {"preview": False},
        "fields": _fields(infobrev, None) + [{"name": "body", "label": "Text", "widget": "markdown"}],
    }


def _fields(object_schema: dict, catalogue: Catalogue | None) -> list[dict[str, Any]]:
    required = set(object_schema.get("required", []))
    return [
        _field(name, spec, name in required, catalogue)
        for name, spec in object_schema["properties"].items() if name not in NOT_IN_FORM
    ]


def _field(name: str, spec: dict, required: bool, catalogue: Catalogue | None) -> dict[str, Any]:
    spec = _resolve(spec)
    field: dict[str, Any] = {"name": name, "label": spec["title"], "required": required, "hint": spec["description"]}
    field.update(_widget(name, spec, catalogue))
    if spec.get("pattern") and field["widget"] in ("string", "datum"):
        field["pattern"] = [spec["pattern"], _form_message(spec["errorMessage"])]
    return field


def _widget(name: str, spec: dict, catalogue: Catalogue | None) -> dict[str, Any]:
    if spec.get("format") == "date":
        return dict(DATE)
    if name in ("description", "prerequisites"):
        return dict(MARKDOWN)
    if name == "area" and catalogue:
        return {"widget": "select", "options": [{"label": a.name, "value": a.id} for a in catalogue.areas]}
    if name == "period" and catalogue:
        still_open = [p for p in catalogue.site.periods if p.closes >= catalogue.today]
        return {"widget": "select", "options": [{"label": p.label, "value": p.id} for p in still_open]}
    if spec.get("type") == "array" and "enum" in spec.get("items", {}):
        options = [{"label": STUDY_FORM_LABELS.get(v, v), "value": v} for v in spec["items"]["enum"]]
        return {"widget": "select", "multiple": True, "min": spec.get("minItems", 0), "options": options}
    if spec.get("type") == "boolean" or (spec.get("type") == "string" and "enum" in spec):
        return _choice_widget(spec)
    if spec.get("type") == "integer":
        return {"widget": "number", "value_type": "int", "min": spec.get("minimum"), "max": spec.get("maximum")}
    if name == "intakes":
        return _intakes(spec, catalogue)
    if spec.get("type") == "object":
        # One optional person, as a list of at most one: Decap checks the fields of an object even
        # when it is left empty, but an item of a list only once it is added.
        return {
            "widget": "list", "label_singular": "kontaktperson", "max": 1, "min": 0, "collapsed": False,
            "summary": "{{fields.name}}", "fields": _fields(spec, catalogue),
        }
    return {"widget": "string"}


def _intakes(spec: dict, catalogue: Catalogue | None) -> dict[str, Any]:
    """The starts, each of one kind: its own last application day, a common period, or continuous."""
    intake = _resolve(spec["items"])
    fields = {f["name"]: f for f in _fields(intake, catalogue)}
    types = []
    for kind, label, names in INTAKE_KINDS:
        # Every field of a kind is required in it; the other kinds' fields are not in it at all.
        own = [_kind_field(fields[name]) for name in intake["properties"] if name in names]
        summary = "Löpande start, sök senast {{fields.apply_by}}" if kind == "continuous" else "Start {{fields.start}}"
        types.append({"name": kind, "label": label, "widget": "object", "summary": summary, "fields": own})
    return {
        "widget": "list", "label_singular": "start", "min": spec.get("minItems", 0), "collapsed": False,
        "typeKey": KIND_KEY, "types": types,
    }


def _kind_field(field: dict[str, Any]) -> dict[str, Any]:
    """A field of one kind of start: required; the continuous mark is set by choosing the kind."""
    if field["name"] == "continuous":
        return {"name": "continuous", "label": field["label"], "widget": "hidden", "default": True, "required": True}
    return {**field, "required": True}


def _choice_widget(spec: dict) -> dict[str, Any]:
    """A yes/no field as a switch, a fixed list of texts (the teaching language) as a menu."""
    if spec.get("type") == "boolean":
        return {"widget": "boolean"}
    return {"widget": "select", "options": [{"label": LANGUAGE_LABELS.get(v, v), "value": v} for v in spec["enum"]]}


def _form_message(message: str) -> str:
    """A schema message as the form says it: capitalised, without the advice about quotes, which
    is for files typed by hand (the form writes the quotes itself)."""
    message = message.replace(' (inom citattecken)', "").replace('"', "")
    return message[:1].upper() + message[1:]


def _resolve(spec: dict) -> dict:
    ref = spec.get("$ref")
    return schema("course")["definitions"][ref.rsplit("/", 1)[1]] if ref else spec
