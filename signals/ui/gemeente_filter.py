"""The gemeente choice on pages that list wijken, shown only when the scope spans several."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def gemeente_filter(wijken: pd.DataFrame, key: str) -> set[str] | None:
    """A "Gemeente" selectbox over the scope's gemeenten (wijk_code, gemeente,
    gemeente_code columns); the codes of the chosen gemeente's wijken, or None for all."""
    names = (wijken[["gemeente_code", "gemeente"]].drop_duplicates("gemeente_code")
             .sort_values("gemeente"))
    if len(names) < 2:
        return None
    labels = {code: name or "Zonder gemeente"
              for code, name in zip(names["gemeente_code"], names["gemeente"], strict=True)}
    chosen = st.selectbox("Gemeente", [None, *labels], key=key,
                          format_func=lambda c: "Alle gemeenten" if c is None else labels[c])
    if chosen is None:
        return None
    return set(wijken.loc[wijken["gemeente_code"] == chosen, "wijk_code"])
