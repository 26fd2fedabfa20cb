"""The map's JavaScript and CSS: Leaflet and MarkerCluster from their XStatic packages, supercluster vendored in
``geo/vendor``, plus our own ``static/carte*.js`` and ``carte.css``. Published under Streamlit's ``static/`` folder
for the app, or inlined into a standalone HTML file that needs no network at all.

The map declares the core (Leaflet, MarkerCluster, ``carte-commun.js``, the CSS); each element declares the
scripts it needs in its ``default_js`` (folium's way, read by streamlit-folium too): the markers their cards,
badges, view and controls, the legend its own. ``ASSETS`` is in load order."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster

from geo.files import REPO_DIR, atomic_write_text

HERE = Path(__file__).parent / "static"
VENDOR = Path(__file__).parent.parent / "vendor"
STATIC_DIR = REPO_DIR / "static"  # what Streamlit serves at /app/static (server.enableStaticServing)
STATIC_URL = "/app/static/carte"  # Streamlit's static serving endpoint + our folder


@dataclass(frozen=True)
class Asset:
    name: str
    source: Path
    core: bool = False  # declared by the map itself; the others by the elements that need them

    @property
    def kind(self) -> str:
        return "js" if self.name.endswith(".js") else "css"


_LEAFLET = Path(xstatic.pkg.leaflet.BASE_DIR)
_CLUSTER = Path(xstatic.pkg.leaflet_markercluster.BASE_DIR)
ASSETS = (
    Asset("leaflet.js", _LEAFLET / "leaflet.js", core=True),
    Asset("leaflet.markercluster.js", _CLUSTER / "leaflet.markercluster.js", core=True),
    Asset("carte-commun.js", HERE / "carte-commun.js", core=True),
    Asset("carte-fiches.js", HERE / "carte-fiches.js"),
    Asset("carte-badges.js", HERE / "carte-badges.js"),
    Asset("supercluster.js", VENDOR / "supercluster.min.js"),
    Asset("carte-agregats.js", HERE / "carte-agregats.js"),
    Asset("carte-vue.js", HERE / "carte-vue.js"),
    Asset("carte-commandes.js", HERE / "carte-commandes.js"),
    Asset("carte-legende.js", HERE / "carte-legende.js"),
    Asset("carte.js", HERE / "carte.js"),
    Asset("leaflet.css", _LEAFLET / "leaflet.css", core=True),
    Asset("MarkerCluster.css", _CLUSTER / "MarkerCluster.css", core=True),
    Asset("MarkerCluster.Default.css", _CLUSTER / "MarkerCluster.Default.css", core=True),
    Asset("carte.css", HERE / "carte.css", core=True),
)
_BY_NAME = {asset.name: asset for asset in ASSETS}


def publish(static_dir: Path) -> None:
    """Copy the assets (and Leaflet's images) into ``static_dir/carte`` when missing or stale."""
    target = Path(static_dir) / "carte"
    (target / "images").mkdir(parents=True, exist_ok=True)
    sources = [(a.source, target / a.name) for a in ASSETS]
    sources += [(image, target / "images" / image.name) for image in (_LEAFLET / "images").glob("*.png")]
    for source, destination in sources:
        if not destination.exists() or destination.stat().st_mtime < source.stat().st_mtime:
            shutil.copy2(source, destination)


def publish_data(static_dir: Path, kind: str, text: str) -> str:
    """Write ``text`` (JSON) once as ``static_dir/carte/<kind>/<digest>.json`` and return its URL: a new text gets a
    new address, so a browser may keep what it fetched for as long as it likes. Written atomically (a second
    server from the same checkout may be writing the same file)."""
    name = hashlib.sha1(text.encode()).hexdigest()[:16] + ".json"
    target = Path(static_dir) / "carte" / kind / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, text)
    return f"{STATIC_URL}/{kind}/{name}"


def urls(kind: str) -> list[tuple[str, str]]:
    """(name, URL) pairs of the map's own (core) assets of one kind, as folium's default_js/css want them."""
    return [(asset.name, f"{STATIC_URL}/{asset.name}") for asset in ASSETS if asset.kind == kind and asset.core]


def scripts(*names: str) -> list[tuple[str, str]]:
    """(name, URL) pairs of the scripts an element needs, in load order (its ``default_js``)."""
    unknown = set(names) - set(_BY_NAME)
    assert not unknown, f"no such asset: {unknown}"
    return [(asset.name, f"{STATIC_URL}/{asset.name}") for asset in ASSETS if asset.name in names]


@cache
def inline_head() -> str:
    """Every asset inlined as <style> and <script> tags, for a standalone HTML file.

    Leaflet's CSS refers to images only for controls we do not use; markers are our own SVG.
    """
    styles = "".join(f"<style>{a.source.read_text(encoding='utf-8')}</style>" for a in ASSETS if a.kind == "css")
    scripts = "".join(
        f"<script>{a.source.read_text(encoding='utf-8')}</script>" for a in ASSETS if a.kind == "js"
    )
    return styles + scripts
