"""Top themes per (wijk, week) row: up to three theme codes by count, ties by code."""

from __future__ import annotations

import numpy as np

from signals.engine.grid import Block


def _slots(combos: list[tuple[str, ...]], vocab: list[str]) -> np.ndarray:
    """(max themes per combination) x (combinations + 1) theme index, -1 where none."""
    index = {t: i for i, t in enumerate(vocab)}
    width = max(len(c) for c in combos)
    table = np.full((width, len(combos) + 1), -1, dtype=np.int64)  # last column: no themes
    for j, combo in enumerate(combos):
        for i, theme in enumerate(combo):
            table[i, j] = index[theme]
    return table


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of sorted keys and how often each occurs."""
    starts = np.flatnonzero(np.diff(keys, prepend=-1))
    return keys[starts], np.diff(np.append(starts, len(keys)))


def theme_vocabulary(combos: list[tuple[str, ...]]) -> list[str]:
    """Every theme code in the combinations, sorted (the order that breaks ties)."""
    return sorted({t for combo in combos for t in combo})


def top_themes(codes: np.ndarray, combos: list[tuple[str, ...]], counted: np.ndarray,
               block: Block, k: int = 3) -> np.ndarray:
    """Top-k themes of the counted signals per block row, packed into one int64 per row.

    ``codes`` index ``combos`` (the distinct theme sets; -1 for none). The packed value holds
    the top themes' indices into :func:`theme_vocabulary` plus one, most frequent first; 0
    means no themes. :func:`theme_labels` turns it into ``;``-joined text.

    Each (row, theme) pair becomes one int64 key. A sort and run-length count give the count
    per pair. Then k passes of a segmented max pick the most frequent theme per row. The
    composite value (count, reversed theme index) breaks ties by theme code.
    """
    packed = np.zeros(block.n_rows, dtype=np.int64)
    vocab = theme_vocabulary(combos)
    if not vocab:
        return packed
    n_t = len(vocab)
    slots = _slots(combos, vocab)
    sel = np.flatnonzero(counted & (codes >= 0))
    rows, combo = block.row[sel].astype(np.int64), codes[sel]
    parts = []
    for slot in slots:
        theme = slot[combo]
        has = theme >= 0
        parts.append(rows[has] * n_t + theme[has])
    keys = np.concatenate(parts)
    if not len(keys):
        return packed
    keys.sort()
    pair, count = _runs(keys)
    row, theme = pair // n_t, pair % n_t
    composite = count * n_t + (n_t - 1 - theme)
    starts = np.flatnonzero(np.diff(row, prepend=-1))
    seg = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(row))))
    for _ in range(k):
        best = np.maximum.reduceat(composite, starts)
        alive = best >= 0
        target = row[starts[alive]]
        packed[target] = packed[target] * (n_t + 1) + (n_t - best[alive] % n_t)
        composite[composite == best[seg]] = -1  # remove the picked theme of each row
    return packed


def theme_labels(packed: np.ndarray, combos: list[tuple[str, ...]]) -> list[str]:
    """``;``-joined theme codes for packed values from :func:`top_themes`, in the same order."""
    vocab = theme_vocabulary(combos)
    labels = []
    for value in packed.tolist():
        themes = []
        while value:
            value, t = divmod(value, len(vocab) + 1)
            themes.append(vocab[t - 1])
        labels.append(";".join(reversed(themes)))
    return labels
