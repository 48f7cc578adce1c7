"""The gemeente choice on pages that list wijken, shown only when the scope spans several."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def gemeente_filter(wijken: pd.DataFrame, key: str) -> str | None:
    """A "Gemeente" selectbox over the scope's gemeenten (`wijken` has gemeente and
    gemeente_code columns); the chosen gemeente's code, or None for all."""
    names = (wijken[["gemeente_code", "gemeente"]].drop_duplicates("gemeente_code")
             .sort_values("gemeente"))
    if len(names) < 2:
        return None
    labels = {code: name or "Zonder gemeente"
              for code, name in zip(names["gemeente_code"], names["gemeente"], strict=True)}
    return st.selectbox("Gemeente", [None, *labels], key=key,
                        format_func=lambda c: "Alle gemeenten" if c is None else labels[c])


def wijk_codes_in(wijken: pd.DataFrame, gemeente_code: str) -> set[str]:
    return set(wijken.loc[wijken["gemeente_code"] == gemeente_code, "wijk_code"])
