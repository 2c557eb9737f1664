"""The site works under the production headers of netlify.toml: no CSP violation on any kind of page."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

from dalawux_site.static_server import netlify_headers, serve_folder

from .conftest import ROOT

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
HEADERS = netlify_headers(ROOT / "netlify.toml")


@pytest.fixture(scope="module")
def production(built_catalogue: Path):
    server, url = serve_folder(built_catalogue, HEADERS)
    yield url
    server.shutdown()


def test_headers_for_every_path():
    page, course_page, asset, start = HEADERS("/om/"), HEADERS("/utbildningar/x/"), HEADERS("/assets/css/site.0123456789.css"), HEADERS("/")
    for headers in (page, course_page, start):
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert headers["Referrer-Policy"] and headers["Permissions-Policy"]
        assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert not any("'wasm-unsafe-eval'" in h["Content-Security-Policy"] for h in (page, course_page, start))  # the finder compiles no WebAssembly
    assert asset["Cache-Control"] == "public, max-age=31536000, immutable"
    assert HEADERS("/badge/yrkesvux-dalarna-ljus.svg")["Cache-Control"] == "public, max-age=3600"


def _pages(built_catalogue: Path) -> list[str]:
    course = json.loads((built_catalogue / "utbildningar.json").read_text(encoding="utf-8"))[0]["url"]
    return ["/", course, "/omraden/vard-omsorg/", "/kommuner/mora/", "/om/", "/kontakt/", "/tillganglighet/", "/finns-inte/"]


def test_no_page_breaks_the_content_security_policy(page: Page, production, built_catalogue):
    page.add_init_script(COLLECT_VIOLATIONS)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" and "Content Security" in message.text else None)
    for path in _pages(built_catalogue):
        response = page.goto(production + path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        if page.get_by_role("button", name="Lyssna").count():
            page.get_by_role("button", name="Lyssna").click()
        assert page.evaluate("window.__violations") == [], path
    assert errors == []


def test_policy_really_blocks_inline_script(page: Page, production):
    """Guards the test above: an inline script is reported as a violation under this policy."""
    page.add_init_script(COLLECT_VIOLATIONS)
    page.goto(production + "/om/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }")
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.x") is None
