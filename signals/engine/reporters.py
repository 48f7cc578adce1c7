"""Distinct-reporter counts per (wijk, week) row: corroboration (rule 3) and reporting rate.

Each signal with a known reporter becomes one int64:
``(wijk, reporter, week) | weight rank | flags``. One in-place sort of those keys then lines up
every reporter's signals per wijk, week after week. A run of equal (wijk, reporter, week) is
one reporter in one wijk-week. Its flags are OR-ed, and its highest weight rank is the last
entry. Distinct counts are bincounts over runs. "This or last week" adds, to next week's
row, each run that has no run of the same reporter in the following week. That run is
simply the next one, one week up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signals.engine.grid import Block

FLAG_BITS = 5  # flags are bits 1, 2, 4, 8 and 16 (indicators.py)


def count_distinct(rows: np.ndarray, reporters: np.ndarray, n_rows: int) -> np.ndarray:
    """Distinct known (>= 0) reporters per row, for small selections."""
    known = reporters >= 0
    if not known.any():
        return np.zeros(n_rows, dtype=np.int64)
    n_rep = int(reporters[known].max()) + 1
    pairs = np.unique(rows[known].astype(np.int64) * n_rep + reporters[known])
    return np.bincount(pairs // n_rep, minlength=n_rows)


@dataclass(frozen=True)
class ReporterRuns:
    """Runs of one reporter in one wijk-week, for the signals of one block."""

    key: np.ndarray  # (wijk * n_rep + reporter) * span + week offset, ascending
    row: np.ndarray  # local row of each run
    flags: np.ndarray  # uint8 OR of the signal flags per run
    top_rank: np.ndarray  # highest weight rank per run
    n_rows: int

    @classmethod
    def build(cls, block: Block, wijk: np.ndarray, reporter: np.ndarray, n_rep: int,
              flags: np.ndarray, rank: np.ndarray, rank_bits: int) -> ReporterRuns:
        known = reporter >= 0
        span, n_rep = block.grid.span, max(n_rep, 1)
        local_wijk = wijk[known] - block.first_wijk
        n_wijken = int(local_wijk.max()) + 1 if len(local_wijk) else 1
        shift = rank_bits + FLAG_BITS
        if (n_wijken * n_rep * span).bit_length() + shift > 62:
            raise ValueError("too many wijken x reporters x weeks to pack into 64 bits")
        key = local_wijk.astype(np.int64)
        key *= n_rep
        key += reporter[known]
        key *= span
        key += block.week_offset[known]
        key <<= rank_bits
        key += rank[known]
        key <<= FLAG_BITS
        key += flags[known]
        key.sort()
        if not len(key):
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, np.zeros(0, np.uint8), empty, block.n_rows)
        starts = np.flatnonzero(np.diff(key >> shift, prepend=-1))
        ends = np.append(starts[1:], len(key)) - 1
        run_key = key[starts] >> shift
        cell = (run_key // (span * n_rep) + block.first_wijk) * span + run_key % span
        return cls(
            key=run_key,
            row=block.local_rows_of(cell),
            flags=np.bitwise_or.reduceat(key.astype(np.uint8) & ((1 << FLAG_BITS) - 1),
                                         starts),
            top_rank=(key[ends] >> FLAG_BITS) & ((1 << rank_bits) - 1),
            n_rows=block.n_rows,
        )

    def count(self, bit: int) -> np.ndarray:
        """Distinct reporters per row with a signal carrying ``bit`` this week."""
        return np.bincount(self.row[(self.flags & bit) != 0], minlength=self.n_rows)

    def count_two_weeks(self, bit: int) -> np.ndarray:
        """Distinct reporters per row with a signal carrying ``bit`` this or last week."""
        sel = (self.flags & bit) != 0
        key, row = self.key[sel], self.row[sel]
        continued = np.zeros(len(key), dtype=bool)
        continued[:-1] = key[1:] == key[:-1] + 1  # same reporter and wijk, the next week
        return (np.bincount(row, minlength=self.n_rows)
                + np.bincount(row[~continued] + 1, minlength=self.n_rows))

    def top_weights(self, rank_value: np.ndarray) -> np.ndarray:
        """Per row, the sum over reporters of their largest weight that week."""
        return np.bincount(self.row, weights=rank_value[self.top_rank], minlength=self.n_rows)
