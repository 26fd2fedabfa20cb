"""ui/serve.py prepares the server before it answers, without declaring any Streamlit component: a component
declared outside a page run is never registered, and its frame would answer 404 (seen: the map's frame)."""

from __future__ import annotations

import subprocess
import sys

from geo.files import REPO_DIR

COMPONENTS = ("streamlit_folium", "streamlit_js_eval")


def test_what_the_server_prepares_before_it_answers_declares_no_component():
    imports = "import ui.serve, geo.hours, geo.webmap.assets; from ui import data, details, reference"
    check = f"{imports}; import sys; print([m for m in {COMPONENTS!r} if m in sys.modules])"
    answer = subprocess.run([sys.executable, "-c", check], cwd=REPO_DIR, capture_output=True, text=True,
                            timeout=120, check=True)
    assert answer.stdout.strip().splitlines()[-1] == "[]", answer.stdout


def test_the_served_app_leaves_out_what_only_development_needs():
    """Each of these cost a served visitor's CPU after every run (py-spy, issue 20: the source watcher ~30 %,
    the full collection ~25 %); the pages never rely on magic. Streamlit reads them from this file."""
    import tomllib

    config = tomllib.loads((REPO_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"] == {"postScriptGC": False, "magicEnabled": False}
