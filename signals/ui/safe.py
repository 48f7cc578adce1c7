"""Showing user text safely: never as HTML, never as live markdown (docs/privacy.md)."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&])")


def md_escape(text: object) -> str:
    """Backslash-escape everything markdown or Streamlit directives could act on."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
