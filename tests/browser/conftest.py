"""Browser tests: the bundled catalogue, built once and served on 127.0.0.1, in Debian's Chromium.

Playwright drives /usr/bin/chromium (installed by scripts/install-system-deps.sh); nothing ever
downloads a browser of its own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from dalawux_site.static_server import serve_folder

from ..conftest import BuiltSite

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def built_catalogue(bundled: BuiltSite) -> Path:
    """The bundled content, built as the live site would be on TODAY (shared: read only)."""
    return bundled.root


@pytest.fixture(scope="session")
def base_url(built_catalogue: Path) -> Iterator[str]:
    """Overrides pytest-base-url: Playwright's page.goto("/...") goes to the served catalogue."""
    server, url = serve_folder(built_catalogue)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # One renderer process for every page: starting one per test's page cost more than most tests.
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--renderer-process-limit=1"],
    }


@pytest.fixture(scope="session")
def context(browser: Browser, browser_context_args: dict) -> Iterator[BrowserContext]:
    """One browser context for the session, as one visitor's browser: what a page loads is fetched
    and compiled once, not once per test. The site stores nothing in the browser (test_features),
    so no test sees another's state; a test that needs other settings makes its own context."""
    context = browser.new_context(**browser_context_args)
    # A tab kept open for the session keeps the one renderer process alive between tests: closing
    # the last tab would end it, and every next test's tab would start a new one.
    context.new_page()
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A new page (tab) for each test, closed after it."""
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, axe_source: str) -> list[dict]:
    """Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
