"""Rule 1 weights: severity x reliability weight x reach weight, as a small set of classes.

A signal's weight depends only on (severity, reliability, reach): 6 x 4 x 4 = 96 classes.
The per-signal weight is a lookup. The classes are also ranked by weight, so the sorted
per-reporter runs (reporters.py) find each reporter's largest signal without a float sort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signals.engine.encoding import MAX_SEVERITY, REACH_CODES, RELIABILITY_CODES, EncodedSignals
from signals.engine.rules import Rules

N_CLASSES = (MAX_SEVERITY + 1) * len(RELIABILITY_CODES) * len(REACH_CODES)
ZERO_CLASS = N_CLASSES  # signals that add nothing to the positive score


@dataclass(frozen=True)
class ScoreClasses:
    value: np.ndarray  # float64 weight per class (ZERO_CLASS last, weight 0)
    rank: np.ndarray  # int64 rank of each class's weight among all classes (ties share)
    rank_value: np.ndarray  # float64 weight per rank

    @property
    def rank_bits(self) -> int:
        return max(int(self.rank.max()), 1).bit_length()


def score_classes(rules: Rules) -> ScoreClasses:
    severity = np.arange(MAX_SEVERITY + 1, dtype=np.float64)
    rel = np.array([rules.reliability_weights[c] for c in RELIABILITY_CODES])
    reach = np.array([rules.reach_weights[c] for c in REACH_CODES])
    value = (severity[:, None, None] * rel[None, :, None] * reach[None, None, :]).ravel()
    value = np.append(value, 0.0)
    rank_value, rank = np.unique(value, return_inverse=True)
    return ScoreClasses(value=value, rank=rank.astype(np.int64), rank_value=rank_value)


def signal_classes(enc: EncodedSignals) -> np.ndarray:
    """Class of each signal, in the layout of :func:`score_classes` (int16)."""
    sev = enc.severity.astype(np.int16)
    return (sev * len(RELIABILITY_CODES) + enc.reliability) * len(REACH_CODES) + enc.reach
