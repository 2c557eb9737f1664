"""The form editor speaks Swedish where Decap's own Swedish phrases fall back to English."""
from __future__ import annotations

import json

import yaml
from playwright.sync_api import Page, expect

from ..conftest import SAMPLE
from .test_editor import production, sample_site  # noqa: F401  (fixtures)


def test_list_button_reads_lagg_till_utbildning(page: Page, production, sample_site):  # noqa: F811
    config = yaml.safe_load((sample_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    mora = (SAMPLE / "courses" / "mora.yaml").read_text(encoding="utf-8")
    page.route("**/admin/config.yml", lambda route: route.fulfill(status=200, content_type="text/yaml", body=yaml.safe_dump(config)))
    page.add_init_script("window.repoFiles = " + json.dumps({"content": {"courses": {"mora.yaml": {"content": mora}}, "infobrev": {}}}))
    page.goto(production + "/admin/#/collections/utbildningar/entries/mora")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Lägg till utbildning")).to_be_visible(timeout=15000)
    expect(page.get_by_text("Add utbildning")).to_have_count(0)
