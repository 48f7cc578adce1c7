"""The fragment machinery behind the reasons (rule 11)."""

from __future__ import annotations

import numpy as np
import pytest

from signals.engine.reasons import Fragments, count, nl, tenths


def test_fragments_join_in_order_and_skip_absent_ones() -> None:
    f = Fragments(4)
    f.add(np.array([True, True, False, False]), lambda n: count(n, "melding", "meldingen"),
          np.array([1, 3, 0, 0]))
    f.add(np.array([False, True, True, False]), "tweede")
    assert f.joined().tolist() == ["1 melding", "3 meldingen; tweede", "tweede", ""]


def test_slots_share_a_column_but_must_exclude_each_other() -> None:
    f = Fragments(3)
    f.add(np.array([True, False, False]), "a", slot="s")
    f.add(np.array([False, True, False]), lambda x: f"b{x}", np.array([0, 7, 0]), slot="s")
    f.add(np.array([True, True, True]), "c")
    assert f.joined().tolist() == ["a; c", "b7; c", "c"]
    with pytest.raises(AssertionError, match="overlap"):
        f.add(np.array([True, False, False]), "again", slot="s")


def test_empty_and_number_formats() -> None:
    assert Fragments(2).joined().tolist() == ["", ""]
    assert nl(3.14) == "3,1" and nl(12) == "12,0"
    assert tenths(np.array([3.14, np.nan, np.inf])).tolist() == [31, 0, 0]
