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


def _theme_keys(codes: np.ndarray, combos: list[tuple[str, ...]], selected: np.ndarray,
                rows: np.ndarray, n_t: int) -> tuple[np.ndarray, np.ndarray]:
    """One (row x n_t + theme) key per theme of each selected signal, and the signal index."""
    slots = _slots(combos, theme_vocabulary(combos))
    sel = np.flatnonzero(selected & (codes >= 0))
    keys, owners = [], []
    for slot in slots:
        theme = slot[codes[sel]]
        has = theme >= 0
        keys.append(rows[sel[has]] * n_t + theme[has])
        owners.append(sel[has])
    return np.concatenate(keys), np.concatenate(owners)


def sustained_theme(codes: np.ndarray, combos: list[tuple[str, ...]], selected: np.ndarray,
                    reporter: np.ndarray, block: Block) -> tuple[np.ndarray, np.ndarray]:
    """Per block row: the largest two-week count of a theme of the selected signals that
    occurs both this and last week, and the most distinct known reporters of such a theme.

    Each signal counts for its own row (this week) and for the next row (last week of the
    next week; grid.py keeps the week after every signal week). A (row, theme) pair is
    sustained when it has signals of both kinds. The reporters of the pair are its distinct
    known reporters over the two weeks. Per row the pair with the most signals wins, and
    among those the one with the most reporters.
    """
    n_rows = block.n_rows
    count = np.zeros(n_rows, dtype=np.int64)
    reporters = np.zeros(n_rows, dtype=np.int64)
    vocab = theme_vocabulary(combos)
    if not vocab:
        return count, reporters
    n_t = len(vocab)
    rows = block.row.astype(np.int64)
    this, owner = _theme_keys(codes, combos, selected, rows, n_t)
    if not len(this):
        return count, reporters
    last = this + n_t  # the same signal, in the next row's window as last week
    keep = last < n_rows * n_t  # a next row always exists; guard the block end anyway
    this_keys, this_n = np.unique(this, return_counts=True)
    last_keys, last_n = np.unique(last[keep], return_counts=True)
    both, i, j = np.intersect1d(this_keys, last_keys, assume_unique=True, return_indices=True)
    if not len(both):
        return count, reporters
    n = this_n[i] + last_n[j]
    key = np.concatenate([this, last[keep]])
    who = np.concatenate([reporter[owner], reporter[owner[keep]]]).astype(np.int64)
    known = (who >= 0) & np.isin(key, both)
    pairs = np.unique(key[known] * (int(who.max()) + 1) + who[known]) // (int(who.max()) + 1)
    distinct = np.zeros(len(both), dtype=np.int64)
    if len(pairs):
        pair_keys, pair_n = np.unique(pairs, return_counts=True)
        distinct[np.searchsorted(both, pair_keys)] = pair_n
    base = int(distinct.max()) + 1
    best = np.zeros(n_rows, dtype=np.int64)
    np.maximum.at(best, both // n_t, n * base + distinct)
    return best // base, best % base
