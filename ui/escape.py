"""Text from the catalogue or a visitor shown through st.markdown exactly as typed: security-relevant (a name
must never become a link, an image or a heading), so it has its own module and its own tests."""

from __future__ import annotations

import re

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:="})


# A word joiner (invisible) after "www" and in "://" keeps GitHub-style autolinks from turning text into links.
_AUTOLINK = re.compile(r"(?i)(www)(?=\\\.)|(?<=:)(//)")



def plain(text: str) -> str:
    """Text shown as typed in st.markdown, on one line: never a heading, list, link, image or emphasis.
    Line breaks become spaces (a name followed by "===" would be a heading), markdown syntax is escaped and
    bare web addresses are not made links. Streamlit already escapes raw HTML in markdown."""
    escaped = " ".join(str(text).split()).translate(_MARKDOWN)
    return _AUTOLINK.sub(lambda m: (m.group(1) + "\u2060") if m.group(1) else "\u2060" + m.group(2), escaped)
