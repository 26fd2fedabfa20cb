"""A folium element whose script is rendered once as text.

folium's ``MacroElement.render`` wraps each rendered script in a new ``Element``, whose rendered text
is then compiled again as a Jinja template: for a script carrying data (markers, outlines) that second
compilation dominates the render. ``DataScript`` adds the text as it is.
"""

from __future__ import annotations

from branca.element import Element, Figure, MacroElement


class _Text(Element):
    """Already-rendered text."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class DataScript(MacroElement):
    """A MacroElement with only a ``script`` macro, rendered without recompiling its output. Its scripts are in
    the map's one bundle (``geo.webmap.assets``)."""

    def render(self, **kwargs) -> str:
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map, not the element alone"
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        return ""
