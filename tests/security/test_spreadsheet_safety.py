"""Exports neutralise spreadsheet formulas (CSV injection)."""

from __future__ import annotations

import pandas as pd
import pytest

from signals.services.spreadsheet_safety import neutralise, neutralise_frame


@pytest.mark.parametrize("payload", [
    "=HYPERLINK(\"http://evil\",\"klik\")", "+1+1", "-2+3", "@SUM(A1:A2)",
    "\t=1", "\r=1", "=cmd|' /C calc'!A0",
])
def test_formula_triggers_get_an_apostrophe(payload: str) -> None:
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Centrum", "a=b", "", "5", 5, -5, 1.5, None, True])
def test_harmless_values_pass_unchanged(value: object) -> None:
    assert neutralise(value) == value


def test_frame_neutralises_text_cells_and_headers_but_keeps_numbers() -> None:
    frame = pd.DataFrame({"naam": ["=1+1", "ok", None], "n": [-1, 2, 3], "=kop": ["a", "b", "c"]})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["naam", "n", "'=kop"]
    assert out["naam"].tolist()[:2] == ["'=1+1", "ok"]
    assert out["n"].tolist() == [-1, 2, 3]
    assert frame["naam"][0] == "=1+1"  # the input is left alone
