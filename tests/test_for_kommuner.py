"""The horse badge, the share image and /for-kommuner/: what a municipality copies onto its own site."""
from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import pytest

from .test_site import MUNICIPALITY_NAMES

SVG = "{http://www.w3.org/2000/svg}"
BADGES = {"ljus": "/badge/yrkesvux-dalarna-ljus", "mork": "/badge/yrkesvux-dalarna-mork"}
MUNICIPALITY_IDS = [
    "avesta", "borlange", "falun", "gagnef", "hedemora", "leksand", "ludvika", "malung-salen", "mora", "orsa",
    "rattvik", "smedjebacken", "sater", "vansbro", "alvdalen",
]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def svg_size(site, url: str) -> tuple[int, int]:
    root = ET.fromstring(site.path(url).read_bytes())
    return int(root.get("width")), int(root.get("height"))


@pytest.mark.parametrize("variant", sorted(BADGES))
def test_badge_svg_is_small_titled_and_scalable(site, variant):
    file = site.path(BADGES[variant] + ".svg")
    assert file.stat().st_size < 12 * 1024
    root = ET.fromstring(file.read_bytes())
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 320 72"
    assert "Yrkesvux Dalarna" in root.findtext(f"{SVG}title")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Yrkesvux Dalarna", "Sök yrkesutbildning i hela Dalarna"]
    assert all("sans-serif" in g.get("font-family", "") for g in root.iter(f"{SVG}g") if g.find(f"{SVG}text") is not None)
    assert not re.search(r'(href|src)="(https?:)?//', file.read_text(encoding="utf-8"))  # nothing loaded from elsewhere


@pytest.mark.parametrize("variant", sorted(BADGES))
def test_badge_png_is_rendered_at_double_size(site, variant):
    width, height = svg_size(site, BADGES[variant] + ".svg")
    assert png_size(site.path(BADGES[variant] + ".png").read_bytes()) == (2 * width, 2 * height)


def test_png_text_is_drawn(site):
    """The PNG is not just the horse: the text's pixels are there (a missing font would drop them)."""
    from dalawux_site import images
    svg = site.path(BADGES["ljus"] + ".svg").read_bytes()
    without_text = re.sub(rb"<text.*?</text>", b"", svg, flags=re.S)
    image = images.Image("ljus", "", "", "", 320, 72, 640, 144)
    assert images._png(svg, image) != images._png(without_text, image)


def test_the_site_has_the_badges_and_the_share_image_as_png(site):
    pngs = sorted(p.relative_to(site.root).as_posix() for p in site.root.rglob("*.png"))
    assert pngs == ["badge/yrkesvux-dalarna-delning.png", "badge/yrkesvux-dalarna-ljus.png", "badge/yrkesvux-dalarna-mork.png"]


def test_share_image_is_1200_by_630_and_on_every_page(site):
    assert png_size(site.path("/badge/yrkesvux-dalarna-delning.png").read_bytes()) == (1200, 630)
    for file in site.html_pages():
        if file.name == "epost.html":
            continue
        url = site.url_of(file)
        soup = site.soup(url)
        meta = {m.get("property") or m.get("name"): m["content"] for m in soup.find_all("meta", content=True)}
        assert meta["og:title"] == soup.title.get_text(), url
        assert meta["og:description"] == soup.find("meta", attrs={"name": "description"})["content"], url
        assert meta["og:url"] == "https://yrkesvuxdalarna.se" + url, url
        assert meta["og:type"] == "website" and meta["og:locale"] == "sv_SE", url
        assert meta["og:image"] == "https://yrkesvuxdalarna.se/badge/yrkesvux-dalarna-delning.png", url
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630"), url
        assert meta["twitter:card"] == "summary_large_image", url


def test_og_description_of_a_course_is_its_own(site):
    soup = site.soup("/utbildningar/svetsare-falun/")
    assert soup.find("meta", property="og:description")["content"].startswith("Du lär dig")


# --- /for-kommuner/ ------------------------------------------------------------------------------

def embed_code(municipality: str, variant: str, width: int, height: int) -> str:
    return (
        f'<a href="https://yrkesvuxdalarna.se/?utm_source={municipality}&utm_medium=badge">'
        f'<img src="https://yrkesvuxdalarna.se{BADGES[variant]}.svg" '
        f'alt="Yrkesvux Dalarna – sök yrkesutbildning i hela Dalarna" width="{width}" height="{height}"></a>'
    )


def test_each_municipality_gets_a_ready_snippet_for_each_badge(site):
    soup = site.soup("/for-kommuner/")
    blocks = soup.select("details.embed")
    assert sorted(b.summary.get_text(strip=True) for b in blocks) == sorted(MUNICIPALITY_NAMES)
    for block in blocks:
        municipality = block["id"].removeprefix("kod-")
        codes = [pre.code.get_text() for pre in block.select("pre")]
        assert codes == [embed_code(municipality, v, *svg_size(site, BADGES[v] + ".svg")) for v in ("ljus", "mork")]
    assert sorted(b["id"].removeprefix("kod-") for b in blocks) == sorted(MUNICIPALITY_IDS)


def test_snippet_is_real_html_that_links_the_badge(site):
    from bs4 import BeautifulSoup
    code = site.soup("/for-kommuner/").select_one("#kod-falun pre code").get_text()
    fragment = BeautifulSoup(code, "html.parser")
    assert fragment.a["href"] == "https://yrkesvuxdalarna.se/?utm_source=falun&utm_medium=badge"
    assert fragment.img["src"].startswith("https://yrkesvuxdalarna.se/badge/")
    assert site.path(fragment.img["src"].removeprefix("https://yrkesvuxdalarna.se")).is_file()


def test_page_previews_each_badge_and_offers_svg_and_png(site):
    soup = site.soup("/for-kommuner/")
    previews = soup.select(".badge-preview")
    assert len(previews) == 2
    for preview, variant in zip(previews, ("ljus", "mork")):
        assert preview.img["src"] == BADGES[variant] + ".svg"
        assert preview.img["alt"] == "Yrkesvux Dalarna – sök yrkesutbildning i hela Dalarna"
        assert preview.find("a", href=BADGES[variant] + ".png")


def test_copy_buttons_are_progressive_enhancement(site):
    soup = site.soup("/for-kommuner/")
    assert not soup.find("button")  # JavaScript adds them only where the clipboard can be used
    assert not soup.find_all("script", src=False)
    script = soup.find("script", src=re.compile(r"^/assets/js/copy\.[0-9a-f]{10}\.js$"))
    assert script and script.has_attr("defer")
    js = site.path(script["src"]).read_text(encoding="utf-8")
    assert "navigator.clipboard" in js and '"Kopiera"' in js and '"Kopierat"' in js
    live = soup.find(id="copy-status")
    assert live["aria-live"] == "polite"
    assert len(soup.select("[data-copy] pre code")) == 2 * 15 + 1


def test_ready_text_and_image_for_social_media(site):
    section = site.soup("/for-kommuner/").find(id="sociala-medier").parent
    text = section.select_one(".snippet-text pre").get_text()
    assert "https://yrkesvuxdalarna.se/" in text and "Dalarna" in text
    assert section.find("img", src="/badge/yrkesvux-dalarna-delning.png")["alt"]


def test_open_data_section_links_every_export(site):
    section = site.soup("/for-kommuner/").find(id="oppna-data").parent
    hrefs = {a["href"] for a in section.find_all("a")}
    assert {"/utbildningar.json", "/utbildningar.csv", "/sista-ansokningsdag.ics", "/infobrev/feed.xml", "/sitemap.xml"} <= hrefs
    for href in hrefs:
        assert site.path(href).is_file(), href


def test_badges_keep_stable_urls(site):
    assert site.path("/badge/yrkesvux-dalarna-ljus.svg").is_file()
    assert not list(site.root.glob("assets/badge/*"))


def test_no_page_requests_anything_from_another_site(site):
    for file in site.html_pages():
        soup = site.soup(site.url_of(file))
        for tag in soup.find_all(["script", "img", "link", "iframe", "source", "video", "audio"]):
            if tag.name == "link" and tag.get("rel") in (["canonical"], ["alternate"]):
                continue  # addresses of this page, not requests
            if tag.name == "script" and tag.get("type") == "application/ld+json":
                continue
            url = tag.get("src") or tag.get("href") or ""
            assert url.startswith("/") and not url.startswith("//"), (file, url)
