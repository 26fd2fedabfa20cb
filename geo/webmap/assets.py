"""The map's JavaScript and CSS: Leaflet and MarkerCluster from their XStatic packages, supercluster vendored in
``geo/vendor``, plus our own ``static/carte*.js`` (one file per job) and ``carte.css``. ``ASSETS`` is in load order.

For the app they travel as one script and one style sheet (``bundle``), named by their content, that the map
declares (its ``default_js``/``default_css``, folium's way, read by streamlit-folium): streamlit-folium loads a
map's scripts one after another, each waiting for the previous, so eleven files were eleven round trips before
the first marker (0.8 s on 4G, issue 20). A standalone HTML file inlines them instead (``inline_head``)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
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

    @property
    def kind(self) -> str:
        return "js" if self.name.endswith(".js") else "css"


_LEAFLET = Path(xstatic.pkg.leaflet.BASE_DIR)
_CLUSTER = Path(xstatic.pkg.leaflet_markercluster.BASE_DIR)
ASSETS = (
    Asset("leaflet.js", _LEAFLET / "leaflet.js"),
    Asset("leaflet.markercluster.js", _CLUSTER / "leaflet.markercluster.js"),
    Asset("carte-commun.js", HERE / "carte-commun.js"),
    Asset("carte-fiches.js", HERE / "carte-fiches.js"),
    Asset("carte-badges.js", HERE / "carte-badges.js"),
    Asset("supercluster.js", VENDOR / "supercluster.min.js"),
    Asset("carte-agregats.js", HERE / "carte-agregats.js"),
    Asset("carte-vue.js", HERE / "carte-vue.js"),
    Asset("carte-commandes.js", HERE / "carte-commandes.js"),
    Asset("carte-legende.js", HERE / "carte-legende.js"),
    Asset("carte.js", HERE / "carte.js"),
    Asset("leaflet.css", _LEAFLET / "leaflet.css"),
    Asset("MarkerCluster.css", _CLUSTER / "MarkerCluster.css"),
    Asset("MarkerCluster.Default.css", _CLUSTER / "MarkerCluster.Default.css"),
    Asset("carte.css", HERE / "carte.css"),
)
# A source map comment points at a file that is not published, and only the last one of a file would count.
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)


@cache
def bundle(kind: str) -> tuple[str, str]:
    """(file name, text) of every asset of one kind ("js" or "css") joined in load order, the name a digest of
    the text: a new version gets a new address, so a browser may keep the file for good. Scripts are joined by a
    line holding ";", in case one does not end its last statement. Leaflet's CSS names its images relative to
    itself: the sheet is published beside them."""
    parts = [_SOURCE_MAP.sub("", asset.source.read_text(encoding="utf-8")) for asset in ASSETS if asset.kind == kind]
    text = ("\n;\n" if kind == "js" else "\n").join(parts)
    return f"carte-{_digest(text)}.{kind}", text


def urls(kind: str) -> list[tuple[str, str]]:
    """The map's one script or style sheet as folium's ``default_js``/``default_css`` want it: [(name, URL)]."""
    return [(f"carte_{kind}", f"{STATIC_URL}/{bundle(kind)[0]}")]


def publish(static_dir: Path) -> None:
    """Write the bundles (see ``bundle``) and copy Leaflet's images into ``static_dir/carte``, when missing or
    stale."""
    target = Path(static_dir) / "carte"
    (target / "images").mkdir(parents=True, exist_ok=True)
    for kind in ("js", "css"):
        name, text = bundle(kind)
        _write_once(target / name, text)
    for image in (_LEAFLET / "images").glob("*.png"):
        destination = target / "images" / image.name
        if not destination.exists() or destination.stat().st_mtime < image.stat().st_mtime:
            shutil.copy2(image, destination)


def publish_data(static_dir: Path, kind: str, text: str, *, keep: int | None = None) -> str:
    """Write ``text`` (JSON) once as ``static_dir/carte/<kind>/<digest>.json`` and return its URL: a new text gets a
    new address, so a browser may keep what it fetched for as long as it likes.

    With ``keep``, the folder holds at most that many files, the most recently published (each publishing of a
    file already there marks it used): when a new one is written, the least recently used beyond go. A file
    gone is written again at its next publishing (the folder may be shared by several servers)."""
    folder = Path(static_dir) / "carte" / kind
    path = folder / (_digest(text) + ".json")
    if keep is None:
        _write_once(path, text)
    else:
        try:
            os.utime(path)  # used now: the last to go
        except FileNotFoundError:
            _write_once(path, text)
            _keep_recent(folder, keep)
    return f"{STATIC_URL}/{kind}/{path.name}"


def _keep_recent(folder: Path, keep: int) -> None:
    """Remove the least recently used JSON files of ``folder`` beyond the ``keep`` most recent."""
    dated = []
    for path in folder.glob("*.json"):
        with contextlib.suppress(FileNotFoundError):  # another server removed it meanwhile
            dated.append((path.stat().st_mtime, path))
    for _, path in sorted(dated, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


def _digest(text: str) -> str:
    """A file's name by its content: 16 hex digits of the text's SHA-1 (a new text, a new address)."""
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _write_once(path: Path, text: str) -> None:
    """Write a file named by its content unless it is there, atomically (a second server from the same checkout
    may be writing the same file)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)


@cache
def inline_head() -> str:
    """Every asset inlined as <style> and <script> tags, for a standalone HTML file.

    Leaflet's CSS refers to images only for controls we do not use; markers are our own SVG.
    """
    return f"<style>{bundle('css')[1]}</style><script>{bundle('js')[1]}</script>"
