"""Static assets: copied with a content hash in the name, so browsers may cache them forever."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin

# Served under stable names that other sites and browsers ask for directly.
UNFINGERPRINTED_PREFIXES = ("badge/", "favicon")


@dataclass(frozen=True)
class AssetFile:
    source: str  # path under assets/, e.g. "css/site.css"
    output: str  # path in the site, e.g. "assets/css/site.3f2a9c1d.css"
    data: bytes


def collect_assets(folder: Path) -> dict[str, AssetFile]:
    """Every file under assets/, keyed by its source path."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        source = path.relative_to(folder).as_posix()
        data = minified(source, path.read_bytes())
        found[source] = AssetFile(source, _output_name(source, data), data)
    return found


def minified(source: str, data: bytes) -> bytes:
    """CSS and JavaScript without comments and spare white space (rcssmin and rjsmin: small,
    maintained, C-accelerated); the name's hash is taken of what is served."""
    if source.endswith(".css"):
        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    if source.endswith(".js"):
        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    return data


def _output_name(source: str, data: bytes) -> str:
    if source.startswith(UNFINGERPRINTED_PREFIXES):
        return source
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, suffix = source.rpartition(".")
    return f"assets/{stem}.{digest}.{suffix}" if dot else f"assets/{source}.{digest}"
