"""Pause Python's cyclic garbage collector while a big import builds its rows.

Parsing and planning 100k rows creates millions of small containers (cells, row dicts,
tuples), and every few hundred allocations the collector scans them again, although none
of them forms a reference cycle: a sixth of the import's CPU time. Reference counting still
frees everything as usual; only cycle detection waits until the import ends. Nested and
concurrent pauses (imports in several threads) count, so the last one to end re-enables
the collector, and only if it was enabled before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _active, _was_enabled
    with _lock:
        if _active == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _was_enabled:
                gc.enable()
