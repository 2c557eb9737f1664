"""Issue #7, for visitors: every page of the bundled catalogue loads without asking another site for
anything. Every page and every file it refers to is fetched with a plain HTTP client, which reads what
the browser would load from the HTML and the CSS; one page of each kind is then loaded in the browser,
which also sees what the scripts ask for."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import requests
from bs4 import BeautifulSoup
from playwright.sync_api import Page

# What a browser loads by itself: (tag, attribute) pairs, and the link relations it fetches.
LOADED = [("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("video", "src"),
          ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data"),
          ("input", "src")]
FETCHED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def _public_pages(site: Path) -> list[str]:
    """Every HTML page's address; the form editor under /admin/ is a tool that talks to GitHub."""
    urls = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if not rel.startswith("admin/"):
            urls.append("/" + rel.removesuffix("index.html"))
    return urls


def _kind(url: str) -> str:
    """Pages of one kind differ only in their content: the same template, the same scripts."""
    first, *rest = url.strip("/").split("/")
    return "/".join([first] + [part if part in ("sida", "epost.html") else "*" for part in rest])


def resources(html: str) -> list[str]:
    """Every address the browser fetches for a page by itself, as written in its HTML."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag, attribute in LOADED:
        for element in soup.find_all(tag, attrs={attribute: True}):
            value = element[attribute]
            found += [part.split()[0] for part in value.split(",") if part.strip()] if attribute == "srcset" else [value]
    found += [link["href"] for link in soup.find_all("link", href=True) if FETCHED_LINKS & set(link.get("rel", []))]
    for text in [style.get_text() for style in soup.find_all("style")] + [e["style"] for e in soup.find_all(style=True)]:
        found += css_resources(text)
    return found


def css_resources(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def test_the_reader_of_addresses_finds_what_a_browser_would_load():
    html = """<link rel="stylesheet" href="https://cdn.example/a.css"><link rel="canonical" href="https://x.example/">
    <img src="/i.png" srcset="/i2.png 2x, https://img.example/i3.png 3x"><a href="https://elsewhere.example/">x</a>
    <div style="background: url('https://bg.example/b.png')"></div><style>@import "https://fonts.example/f.css";</style>"""
    assert sorted(resources(html)) == sorted(["https://cdn.example/a.css", "/i.png", "/i2.png", "https://img.example/i3.png",
                                              "https://bg.example/b.png", "https://fonts.example/f.css"])


def test_every_page_and_every_file_it_loads_is_ours_and_there(base_url: str, built_catalogue: Path):
    origin = base_url.rstrip("/") + "/"
    urls = _public_pages(built_catalogue)
    assert len(urls) > 100  # the whole catalogue: every course, area, municipality and text page
    files: dict[str, str] = {}  # each file a page loads: the first page that loads it
    with requests.Session() as http:
        for url in urls:
            page = http.get(urljoin(origin, url), timeout=30)
            assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html"), url
            for ref in resources(page.text):
                files.setdefault(urljoin(page.url, ref), url)
        css = [f for f in files if f.endswith(".css")]
        for file in css:
            for ref in css_resources(http.get(file, timeout=30).text):
                files.setdefault(urljoin(file, ref), file)
        foreign = {f: by for f, by in files.items() if not f.startswith((origin, "data:"))}
        assert foreign == {}, "pages ask other sites for these files"
        missing = {f: by for f, by in files.items() if not f.startswith("data:") and http.get(f, timeout=30).status_code != 200}
        assert missing == {}
    assert css and any("/assets/" in f for f in css)  # the reader saw the pages' own files


def test_one_page_of_each_kind_loads_in_the_browser_with_no_third_party_request(page: Page, base_url: str, built_catalogue: Path):
    origin = base_url.rstrip("/")
    own, foreign = [], []
    page.on("request", lambda r: (own if r.url.startswith(origin + "/") or r.url.startswith("data:") else foreign).append(r.url))
    kinds: dict[str, str] = {}
    for url in _public_pages(built_catalogue):
        kinds.setdefault(_kind(url), url)
    assert {"utbildningar/*", "omraden/*", "kommuner/*", "infobrev/*", "infobrev/*/epost.html", "", "404.html"} <= set(kinds)
    for url in kinds.values():
        page.goto(url, wait_until="load")
        assert not foreign, f"{url} asked another site for {foreign}"
    assert any("/assets/" in u and u.endswith(".css") for u in own)  # the listener saw the pages' own files
