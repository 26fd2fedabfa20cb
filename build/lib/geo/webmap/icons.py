"""Font Awesome 6 icons as inline SVG (from the xstatic-font-awesome package): no web font to load."""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

import xstatic.pkg.font_awesome

_SOLID = Path(xstatic.pkg.font_awesome.BASE_DIR) / "svgs" / "solid"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@cache
def svg(name: str) -> str:
    """The solid icon ``name`` as an <svg> element (Font Awesome Free, CC BY 4.0)."""
    markup = (_SOLID / f"{name}.svg").read_text(encoding="utf-8")
    return _COMMENT.sub("", markup).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


@cache
def data_uri(name: str, fill: str = "#fff") -> str:
    """The icon as a data: URI image, for places that do not accept inline SVG."""
    markup = svg(name).replace("<svg ", f'<svg fill="{fill}" ', 1)
    return "data:image/svg+xml;base64," + base64.b64encode(markup.encode()).decode()
