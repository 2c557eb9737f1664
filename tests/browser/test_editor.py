"""The form editor at /admin/: loads under its own CSP, and a saved form is a valid course file."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from dalawux_site import pipeline
from dalawux_site.static_server import netlify_headers, serve_folder

from ..conftest import SAMPLE, TODAY
from .conftest import ROOT

COLLECT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("editor") / "_site"
    assert pipeline.build(SAMPLE, out, TODAY).written is not None
    return out


@pytest.fixture(scope="module")
def production(sample_site: Path):
    server, url = serve_folder(sample_site, netlify_headers(ROOT / "netlify.toml"))
    yield url
    server.shutdown()


def test_editor_loads_under_its_policy_and_asks_for_login(page: Page, production):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(COLLECT)
    response = page.goto(production + "/admin/")
    assert "https://api.github.com" in response.headers["content-security-policy"]
    expect(page.get_by_role("button", name="Logga in med GitHub")).to_be_visible(timeout=15000)
    assert page.evaluate("window.__violations") == [] and errors == []


def open_course_file(page: Page, production: str, sample_site: Path, provider: str = "falun") -> None:
    """Opens a course file in the editor, with Decap's in-memory test backend standing in for GitHub."""
    config = yaml.safe_load((sample_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    text = (SAMPLE / "courses" / f"{provider}.yaml").read_text(encoding="utf-8")
    page.route("**/admin/config.yml", lambda route: route.fulfill(status=200, content_type="text/yaml", body=yaml.safe_dump(config)))
    page.add_init_script("window.repoFiles = " + json.dumps({"content": {"courses": {f"{provider}.yaml": {"content": text}}, "infobrev": {}}}))
    page.goto(production + f"/admin/#/collections/utbildningar/entries/{provider}")
    page.get_by_role("button", name="Logga in").click()


def test_saved_form_is_a_valid_course_file(page: Page, production, sample_site, tmp_path):
    """The saved file goes through our build."""
    open_course_file(page, production, sample_site)
    summary = page.get_by_text("Svetsare (Falun)").first  # falun.yaml stays a list file in the sample
    summary.locator("xpath=..").locator("button").first.click()
    page.locator("input[id^='name-field']:visible").first.fill("Svetsare, grundkurs")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Status: Utkast")).to_be_visible()  # editorial workflow: a draft, i.e. a pull request

    saved = page.evaluate("Object.values(window.repoFilesUnpublished)[0].diffs[0]")
    assert saved["path"] == "content/courses/falun.yaml"
    assert saved["content"].startswith("# yaml-language-server: $schema=../schemas/course.schema.json\n- ")
    assert "name: Svetsare, grundkurs\n" in saved["content"]
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    (content / "courses" / "falun.yaml").write_text(saved["content"], encoding="utf-8")
    result = pipeline.check(content, TODAY)
    assert result.report.errors == []
    assert "Svetsare, grundkurs" in [c.local_name for c in result.catalogue.courses]


def test_list_button_reads_lagg_till_utbildning(page: Page, production, sample_site):
    """Decap's Swedish phrases fall back to English for list buttons; admin.js fills them in."""
    open_course_file(page, production, sample_site)
    expect(page.get_by_role("button", name="Lägg till utbildning")).to_be_visible(timeout=15000)
    expect(page.get_by_text("Add utbildning")).to_have_count(0)
