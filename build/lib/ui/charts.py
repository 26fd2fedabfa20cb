"""Charts for people: bars sorted by value, each with its count printed, labels never cut."""

from __future__ import annotations

import altair as alt
import pandas as pd


def bar_chart(counts: pd.DataFrame, colour: str = "#d63e2a") -> alt.LayerChart:
    """Horizontal bars of ``counts`` (columns ``valeur``, ``initiatives``), largest first."""
    order = counts.sort_values("initiatives", ascending=False)["valeur"].tolist()
    base = alt.Chart(counts).encode(
        y=alt.Y("valeur:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=13)),
        x=alt.X("initiatives:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("valeur:N", title=""), alt.Tooltip("initiatives:Q", title="Initiatives")],
    )
    bars = base.mark_bar(color=colour)
    labels = base.mark_text(align="left", dx=4, fontSize=13).encode(text="initiatives:Q")
    return (bars + labels).properties(height=28 * len(counts) + 20)
