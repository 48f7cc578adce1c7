"""A file uploader whose texts read in Dutch.

Streamlit 1.67 hard-codes the uploader's button ("Upload") and its instructions ("50MB per
file • CSV") in English and offers no parameter or setting for them. The only way is a few CSS
rules, scoped to this one uploader by its key (Streamlit gives its container the class
`st-key-<key>`): the English text is set to size zero and our Dutch text is shown instead.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from signals.services.textfiles import MAX_UPLOAD_BYTES

BUTTON_TEXT = "Bestand kiezen"


def instructions(types: list[str]) -> str:
    """'Maximaal 50 MB per bestand · CSV of XLSX'."""
    names = [t.upper() for t in types]
    kinds = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " of " + names[-1]
    return f"Maximaal {MAX_UPLOAD_BYTES // 1_048_576} MB per bestand · {kinds}"


def _css(key: str, types: list[str]) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", key):  # the key goes into a CSS selector
        raise ValueError(f"uploader key must be [a-z0-9_]+: {key!r}")
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    button = f"{scope} button [data-testid='stMarkdownContainer'] p"
    note = f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span"
    return (f"<style>{button}, {note} {{font-size: 0;}}"
            f"{button}::after {{content: '{BUTTON_TEXT}'; font-size: 0.875rem;}}"
            f"{note}::after {{content: '{instructions(types)}'; font-size: 0.875rem;}}</style>")


def file_uploader(label: str, types: list[str], key: str,
                  help: str | None = None) -> UploadedFile | None:
    """One file of `types` (extensions without dot), with Dutch button and instructions."""
    st.html(_css(key, types))
    return st.file_uploader(label, type=types, key=key, help=help)
