"""The (wijk, week) rows of the weekly indicators and the signal -> row mapping.

A row exists for every wijk-week that has a signal, and for the week after it (the
two-week windows reach one week back). Rows are sorted by (wijk, week). A row that has
signals is therefore always followed by the row of its next week: ``row + 1``.
Cells are ``wijk * span + (week - week0)``. The span has one spare week per wijk, so
"next week" never crosses into another wijk.

The aggregation runs over :class:`Block` s, ranges of wijken of about ``BLOCK_SIGNALS``
signals. Every row depends only on its own wijk, so each block's rows are final. Temporary
memory then stays proportional to one block, not to all signals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from signals.engine.weeks import week_numbers

_DENSE_LIMIT = 1 << 26  # cells up to which a direct cell -> row lookup table is used
BLOCK_SIGNALS = 1 << 19


@dataclass(frozen=True)
class WeekGrid:
    week0: int  # first week number (weeks.week_numbers)
    span: int  # weeks per wijk in the cell space
    keys: np.ndarray  # sorted int64 cells of the rows
    row: np.ndarray  # int32 row of each signal
    has_prev: np.ndarray  # bool per row: row - 1 is the same wijk's previous week
    lut: np.ndarray | None  # cell -> row (dense layout only)

    @property
    def n_rows(self) -> int:
        return len(self.keys)

    @property
    def wijk(self) -> np.ndarray:
        return self.keys // self.span

    @property
    def week(self) -> np.ndarray:
        return self.keys % self.span + self.week0

    def rows_of(self, cells: np.ndarray) -> np.ndarray:
        """Rows of cells that are known to exist."""
        if self.lut is not None:
            return self.lut[cells]
        return np.searchsorted(self.keys, cells)

    def blocks(self, wijk: np.ndarray, size: int | None = None
               ) -> Iterator[tuple[np.ndarray | None, Block]]:
        """(signal positions, block) per range of wijken; positions are None for one block."""
        size = size or BLOCK_SIGNALS
        counts = np.bincount(wijk)
        cum = np.cumsum(counts)
        ends = np.unique(np.append(np.searchsorted(cum, np.arange(size, cum[-1], size)) + 1,
                                   len(counts)))
        starts = np.append(0, ends[:-1])
        for first, end in zip(starts.tolist(), ends.tolist(), strict=True):
            idx = None if len(ends) == 1 else np.flatnonzero((wijk >= first) & (wijk < end))
            r0, r1 = np.searchsorted(self.keys, [first * self.span, end * self.span]).tolist()
            row = (self.row if idx is None else self.row[idx]).astype(np.int64)
            yield idx, Block(self, first, r0, r1 - r0, row - r0, self.keys[row] % self.span)


@dataclass(frozen=True)
class Block:
    """The signals of a range of wijken, with row numbers local to the block."""

    grid: WeekGrid
    first_wijk: int
    r0: int  # first global row
    n_rows: int
    row: np.ndarray  # local row of each signal of the block
    week_offset: np.ndarray  # int64 week - week0 of each signal of the block

    @property
    def rows(self) -> slice:
        return slice(self.r0, self.r0 + self.n_rows)

    def count(self, rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Per-row count (or weighted sum) of the given local row indices."""
        return np.bincount(rows, weights=weights, minlength=self.n_rows)

    def two_weeks(self, per_row: np.ndarray) -> np.ndarray:
        """This week's value plus the previous week's, per row."""
        prev = np.zeros_like(per_row)
        prev[1:] = per_row[:-1]
        return per_row + np.where(self.grid.has_prev[self.rows], prev, 0)

    def local_rows_of(self, cells: np.ndarray) -> np.ndarray:
        return self.grid.rows_of(cells) - self.r0


def build_grid(wijk: np.ndarray, day: np.ndarray, n_wijken: int) -> WeekGrid:
    week = week_numbers(day)
    week0 = int(week.min())
    span = int(week.max()) - week0 + 2
    n_cells = n_wijken * span
    cell = wijk.astype(np.int32 if n_cells < 1 << 31 else np.int64) * span
    cell += week - week0
    del week
    lut = None
    if n_cells <= _DENSE_LIMIT:
        mark = np.zeros(n_cells, dtype=bool)
        mark[cell] = True
        mark[1:] |= mark[:-1]  # the week after each signal week
        keys = np.flatnonzero(mark)
        lut = np.cumsum(mark, dtype=np.int32) - 1
        row = lut[cell]
    else:  # very long or very sparse histories: sort-based
        present = np.unique(cell)
        keys = np.union1d(present, present + 1)
        row = np.searchsorted(keys, cell).astype(np.int32)
    keys = keys.astype(np.int64)
    has_prev = np.zeros(len(keys), dtype=bool)
    has_prev[1:] = (np.diff(keys) == 1) & (keys[1:] % span != 0)
    return WeekGrid(week0=week0, span=span, keys=keys, row=row, has_prev=has_prev, lut=lut)
