"""A folium element whose script is rendered once as text.

folium's ``MacroElement.render`` wraps each rendered script in a new ``Element``, whose rendered text
is then compiled again as a Jinja template: for a script carrying data (markers, outlines) that second
compilation dominates the render. ``DataScript`` adds the text as it is.
"""

from __future__ import annotations

from branca.element import Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin

INLINED = "carte_assets"  # a figure whose header holds every asset inline (a standalone file): no links


class _Text(Element):
    """Already-rendered text."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class DataScript(JSCSSMixin):
    """A MacroElement with only a ``script`` macro, rendered without recompiling its output, and the scripts it
    needs (``default_js``, folium's way: linked in the page's header, and read by streamlit-folium)."""

    def render(self, **kwargs) -> str:
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map, not the element alone"
        if INLINED not in figure.header._children:
            for name, url in self.default_js:
                figure.header.add_child(JavascriptLink(url), name=name)
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        return ""
        for child in self._children.values():
            child.render(**kwargs)
