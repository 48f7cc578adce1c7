"""Stored text is shown as plain text: markdown escaped and unlinkable, Plotly HTML escaped."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from signals.ui.charts import phase_heatmap
from signals.ui.phase_map import phase_map
from signals.ui.safe import WORD_JOINER, map_label_text, md_escape, plotly_text
from signals.ui.trend_chart import wijk_trend_figure

HOSTILE = '<a href="https://evil.example">Noord</a> & <b>vet</b>'
# What GitHub-flavoured markdown would turn into a link (its autolink-literal patterns).
AUTOLINK = re.compile(r"(https?://|www\.)[-.\w]+|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.IGNORECASE)


@pytest.mark.parametrize("text", ["https://evil.example/x", "HTTP://evil.example", "www.evil.nl",
                                  "mail jan@evil.nl", "ftp://evil.nl", "mailto:a@b.nl"])
def test_escaped_text_has_nothing_markdown_would_autolink(text: str) -> None:
    escaped = md_escape(text)
    unescaped = re.sub(r"\\(.)", r"\1", escaped)  # what markdown sees after its escapes
    assert not AUTOLINK.search(unescaped), unescaped
    assert unescaped.replace(WORD_JOINER, "") == text  # only invisible joiners were added


def test_markdown_syntax_is_escaped() -> None:
    assert md_escape("**VET** [klik](javascript:x)") == \
        "\\*\\*VET\\*\\* \\[klik\\]\\(javascript\\:x\\)"


def test_plotly_text_escapes_its_html_subset() -> None:
    assert plotly_text(HOSTILE) == \
        '&lt;a href="https://evil.example"&gt;Noord&lt;/a&gt; &amp; &lt;b&gt;vet&lt;/b&gt;'


def test_map_labels_hold_no_markup_and_keep_the_ampersand() -> None:
    # MapLibre writes label text as plain characters: an entity would show literally.
    label = map_label_text(HOSTILE)
    assert "<" not in label and ">" not in label and " & " in label
    assert label.startswith('\u2039a href="https://evil.example"\u203aNoord')


def _no_raw_markup(figure) -> None:  # type: ignore[no-untyped-def]
    dumped = figure.to_json()
    assert "<a href" not in dumped and "<b>vet" not in dumped
    assert "&lt;a href" in dumped


def test_heatmap_wijk_names_are_escaped() -> None:
    weeks = ["2026-W10", "2026-W11"]
    heat = pd.DataFrame([[1, 2]], index=[HOSTILE], columns=weeks)
    blind = pd.DataFrame([[False, False]], index=[HOSTILE], columns=weeks)
    nafase = pd.DataFrame([[True, False]], index=[HOSTILE], columns=weeks)
    _no_raw_markup(phase_heatmap(heat, blind, nafase))


def test_map_hover_names_are_escaped() -> None:
    square = [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.0]]]
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "WK099001", "properties": {},
         "geometry": {"type": "Polygon", "coordinates": square}}]}
    rows = pd.DataFrame({"wijk_code": ["WK099001"], "wijk_naam": [HOSTILE],
                         "effective_phase": [2], "onvoldoende_zicht": [False],
                         "nafase": [False]})
    _no_raw_markup(phase_map(geojson, rows))


def test_trend_legend_labels_are_escaped_and_never_part_of_a_template() -> None:
    weeks = ["2026-W10", "2026-W11"]
    trend = pd.DataFrame({"week": weeks, "visibility": ["voldoende"] * 2,
                          "effective_phase": [1, 2], "phase": [1, 2], "score": [1.0, 2.0],
                          "upperbound": [3.0, 3.0], "alarm": [False, False],
                          "reporting_rate": [0.8, 0.9], "nafase": [False, False]})
    stacks = pd.DataFrame({"week": weeks, "group": [HOSTILE, "%{y}<br>x"], "n": [3, 1]})
    figure = wijk_trend_figure(trend, stacks, "Categorie")
    _no_raw_markup(figure)
    bars = [t for t in figure.data if t.type == "bar"]
    assert {t.hovertemplate for t in bars} == {"%{fullData.name}: %{y}<extra></extra>"}
    assert "%{y}&lt;br&gt;x" in {t.name for t in bars}
