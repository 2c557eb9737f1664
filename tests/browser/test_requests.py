"""Issue #7, for visitors: every page of the bundled catalogue loads without asking another site for anything."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page


def _public_pages(site: Path) -> list[str]:
    """Every HTML page's address; the form editor under /admin/ is a tool that talks to GitHub."""
    urls = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if not rel.startswith("admin/"):
            urls.append("/" + rel.removesuffix("index.html"))
    return urls


def test_every_page_loads_with_no_third_party_request(page: Page, base_url: str, built_catalogue: Path):
    origin = base_url.rstrip("/")
    own, foreign = [], []
    page.on("request", lambda r: (own if r.url.startswith(origin + "/") or r.url.startswith("data:") else foreign).append(r.url))
    urls = _public_pages(built_catalogue)
    assert len(urls) > 100  # the whole catalogue: every course, area, municipality and text page
    for url in urls:
        page.goto(url, wait_until="load")
        assert not foreign, f"{url} asked another site for {foreign}"
    assert any("/assets/" in u and u.endswith(".css") for u in own)  # the listener saw the pages' own files
