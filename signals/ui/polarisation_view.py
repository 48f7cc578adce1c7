"""The Wijkprofiel's polarisation picture: signals per axis per week, the themes driving
each axis, and the share of rumours and misinformation (phenomena, never persons)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from signals.services.polarisation import AXES, PolarisationPicture, axis_label
from signals.ui.charts import DUTCH_NUMBERS, FONT, week_ticks
from signals.ui.safe import plotly_text

AXIS_COLOURS = {"horizontaal": "#00838f", "verticaal": "#6a1b9a", "beide": "#ef6c00"}


def polarisation_figure(picture: PolarisationPicture, weeks: list[str]) -> go.Figure:
    """Stacked bars per week; `weeks` are the ISO labels of the trend, in order."""
    weekly = picture.weekly.assign(week=[f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}"
                                         for d in pd.to_datetime(picture.weekly["week_start"])])
    data = [{"type": "bar", "name": plotly_text(axis_label(axis)), "x": weeks,
             "y": weekly[weekly["axis"] == axis].set_index("week")["n"].reindex(weeks)
             .fillna(0).astype(int).tolist(), "marker": {"color": AXIS_COLOURS[axis]},
             "hovertemplate": "%{fullData.name}: %{y}<extra></extra>"} for axis in AXES]
    layout = {"barmode": "stack", "height": 300, "font": FONT, "separators": DUTCH_NUMBERS,
              "template": "plotly_white", "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
              "legend": {"orientation": "h", "y": -0.3, "x": 0},
              "xaxis": {"type": "category", "tickmode": "array", "tickvals": weeks,
                        "ticktext": week_ticks(pd.Series(weeks)), "tickangle": -45},
              "yaxis": {"title": {"text": "signalen"}, "rangemode": "tozero"}}
    return go.Figure({"data": data, "layout": layout})


def polarisation_view(picture: PolarisationPicture, weeks: list[str]) -> None:
    totals = picture.totals
    with st.container(horizontal=True):
        for axis in AXES:
            st.metric(axis_label(axis), totals[axis], border=True)
        share = (f"{picture.misinformation / picture.signals:.0%}" if picture.signals
                 else "—")
        st.metric("Geruchten en desinformatie", share, border=True,
                  help="Aandeel van alle signalen in de periode (zonder nul-meldingen) in de "
                       "categorie geruchten en desinformatie.")
    st.plotly_chart(polarisation_figure(picture, weeks), key="polarisatie", theme=None,
                    config={"displaylogo": False})
    if picture.themes.empty:
        st.caption("Geen signalen met een polarisatie-as in deze periode.")
        return
    view = picture.themes.assign(axis=[axis_label(a) for a in picture.themes["axis"]])
    st.dataframe(view[["axis", "theme", "n"]], hide_index=True, key="polarisatie_themas",
                 column_config={"axis": "As", "theme": "Thema",
                                "n": st.column_config.NumberColumn("Signalen", format="%d")})
