"""The cooperation's badges and share image: SVG files under assets/badge/, rendered to PNG at build.

The SVGs are served at stable, never-fingerprinted URLs (other sites link to them for years).
PNGs are rendered with resvg, a renderer shipped inside its wheel, with one known font folder
so the same SVG gives the same bytes on every build.
"""
from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import resvg_py

from .assets import AssetFile

log = logging.getLogger(__name__)

BADGE_ALT = "Yrkesvux Dalarna – sök yrkesutbildning i hela Dalarna"
BADGE_VARIANTS = (  # (id, label): assets/badge/yrkesvux-dalarna-<id>.svg
    ("ljus", "För ljus bakgrund"),
    ("mork", "För mörk bakgrund"),
)
SHARE_SOURCE = "badge/yrkesvux-dalarna-delning.svg"
BADGE_ZOOM = 2  # badge PNGs at double size, sharp on high-density screens
# Debian's fonts-dejavu-core (scripts/install-system-deps.sh installs it). Rendering with only
# this folder, not every system font, keeps PNG bytes independent of what else is installed.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
PNG_STYLE = "text { font-family: 'DejaVu Sans', sans-serif; }"


@dataclass(frozen=True)
class Image:
    """A badge or the share image as the site offers it."""

    id: str  # "ljus", "mork", "delning"
    label: str
    svg: str  # site path, e.g. "/badge/yrkesvux-dalarna-ljus.svg"
    png: str  # site path of the rendered PNG
    width: int  # CSS pixels, from the SVG's width attribute
    height: int
    png_width: int  # pixels of the PNG
    png_height: int


def badges(assets: dict[str, AssetFile]) -> tuple[Image, ...]:
    """The badge variants, in the order the page shows them."""
    return tuple(_image(assets[f"badge/yrkesvux-dalarna-{vid}.svg"], vid, label, BADGE_ZOOM) for vid, label in BADGE_VARIANTS)


def share_image(assets: dict[str, AssetFile]) -> Image:
    """The 1200×630 image for links shared on social media (og:image)."""
    return _image(assets[SHARE_SOURCE], "delning", "Delningsbild", 1)


def render_pngs(images: tuple[Image, ...], assets: dict[str, AssetFile]) -> dict[str, bytes]:
    """Each image as PNG, keyed by its path in the site."""
    sources = {"/" + a.output: a for a in assets.values()}
    return {image.png.lstrip("/"): _png(sources[image.svg].data, image) for image in images}


def _image(asset: AssetFile, image_id: str, label: str, zoom: int) -> Image:
    root = etree.fromstring(asset.data)
    width, height = int(root.get("width", "0")), int(root.get("height", "0"))
    svg = "/" + asset.output
    return Image(image_id, label, svg, svg.removesuffix(".svg") + ".png", width, height, width * zoom, height * zoom)


def _png(svg: bytes, image: Image) -> bytes:
    fonts = [d for d in FONT_DIRS if Path(d).is_dir()]
    if not fonts:
        log.warning("DejaVu-typsnittet saknas: texten i %s ritas med systemets typsnitt", image.png)
    data = resvg_py.svg_to_bytes(
        svg_string=svg.decode("utf-8"), width=image.png_width, height=image.png_height,
        skip_system_fonts=bool(fonts), font_dirs=fonts or None, style_sheet=PNG_STYLE,
    )
    return bytes(data)
