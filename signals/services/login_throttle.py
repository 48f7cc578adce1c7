"""Per-source login throttle, next to the per-account lockout (signals/services/auth.py).

The lockout alone lets anyone who knows a username keep that account locked forever: five
wrong passwords every quarter of an hour. So a source (an IP address, or a browser session
when the address is unknown) that failed `max_failures` times within `WINDOW_FACTOR` lock
periods is throttled: its attempts are refused before the password is checked, and they no
longer count towards the account's lockout. One source can therefore lock an account at
most once per window, and the real user, from another source, gets in when the lock ends.

Kept in memory per server process (bounded): it is defence in depth, not the lockout itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from datetime import datetime, timedelta

WINDOW_FACTOR = 4  # the throttle window is four lock periods (one hour by default)
MAX_SOURCES = 10_000


class LoginThrottle:
    def __init__(self, max_sources: int = MAX_SOURCES) -> None:
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_sources = max_sources

    def blocked(self, source: str, now: datetime, max_failures: int,
                lock_minutes: int) -> bool:
        with self._lock:
            return len(self._recent(source, now, lock_minutes)) >= max_failures

    def failed(self, source: str, now: datetime) -> None:
        with self._lock:
            self._failures.setdefault(source, deque()).append(now)
            self._failures.move_to_end(source)
            while len(self._failures) > self._max_sources:
                self._failures.popitem(last=False)

    def _recent(self, source: str, now: datetime, lock_minutes: int) -> deque[datetime]:
        times = self._failures.get(source, deque())
        start = now - timedelta(minutes=lock_minutes * WINDOW_FACTOR)
        while times and times[0] <= start:
            times.popleft()
        return times


THROTTLE = LoginThrottle()
