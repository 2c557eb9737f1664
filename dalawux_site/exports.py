"""Open data: the published catalogue in machine-readable formats."""
from __future__ import annotations

import json
from typing import Any

from .model import Catalogue, Course


def render_exports(catalogue: Catalogue) -> dict[str, bytes]:
    return {"utbildningar.json": _json(catalogue)}


def course_record(course: Course) -> dict[str, Any]:
    """One course as open data; the field names are a contract other tools rely on."""
    return {
        "id": course.id,
        "url": course.path,
        "name": course.name,
        "local_name": course.local_name,
        "title": course.title,
        "provider": course.provider.id,
        "provider_name": course.provider.name,
        "location": course.location,
        "area": course.area.id,
        "area_name": course.area.name,
        "study_forms": list(course.study_forms),
        "pace": course.pace,
        "weeks": course.weeks,
        "points": course.points,
        "intakes": [
            {
                "start": i.start.isoformat(),
                "apply_by": i.apply_by.isoformat(),
                "period": i.period.id if i.period else None,
            }
            for i in course.intakes
        ],
        "apply_url": course.apply_url,
        "added": course.added.isoformat() if course.added else None,
        "code": course.code,
        "description": course.description_text,
    }


def _json(catalogue: Catalogue) -> bytes:
    records = [course_record(c) for c in catalogue.courses]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
