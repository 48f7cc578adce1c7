"""Showing user text safely: never as HTML, never as live markdown (docs/privacy.md)."""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&])")
# GitHub-flavoured markdown links "www.", "http://" and e-mail addresses in plain text after
# backslash escapes are resolved; an invisible word joiner breaks each of those patterns.
_AUTOLINK_START = re.compile(r"(?i)(?:(?<=www)(?=\.)|(?<=http)(?=s?:)|(?<=ftp)(?=:)|(?=@))")
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Backslash-escape everything markdown or Streamlit directives could act on, and break
    the patterns that would be autolinked."""
    defused = _AUTOLINK_START.sub(WORD_JOINER, str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", defused)


def plotly_text(text: object) -> str:
    """Text for a Plotly label, legend or hover: Plotly renders a subset of HTML (links,
    bold, line breaks) in every string, so `<`, `>` and `&` are written as entities."""
    return html.escape(str(text), quote=False)


def map_label_text(text: object) -> str:
    """Text for a name written on the map (Plotly `scattermap` text). MapLibre draws it on a
    canvas as plain characters, so an entity from `plotly_text` would show as "&amp;"; the
    angle brackets become look-alike quotes instead, so the label holds no markup even if it
    ever reached an HTML context, and "Kop & Staart" reads as written."""
    return str(text).replace("<", "\u2039").replace(">", "\u203a")
