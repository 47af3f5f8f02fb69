"""Rate limits kept in memory: a token bucket per device, and a window of failures per client.

`RateLimiter`: each key may spend `burst` requests at once and regains `rate` per second.
`FailureWindow`: a key (a client's address) that failed `limit` times within `window_s`
seconds is refused until the oldest of those failures leaves the window; only failures count.
Both are kept in the server process only: a restart forgives everyone, which is fine for a
limit meant to stop a runaway kiosk or slow down guessing, not to keep a record.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable


class RateLimiter:
    def __init__(
        self, rate: float, burst: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: Hashable) -> int:
        """Spend one request of `key`: 0 when allowed, else the whole seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.rate))


class FailureWindow:
    """Failures per key within a sliding window of `window_s` seconds, at most `limit` each.

    At most `max_keys` keys are remembered: past that, keys with no failure left in the window
    are dropped first, then those whose last failure is oldest (they are forgiven early rather
    than let memory grow with every address that ever failed). Keys are kept in the order of
    their last failure, so that both are found at the front, in constant time per key dropped.
    """

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window_s <= 0 or max_keys < 1:
            raise ValueError("limit and max_keys must be at least 1 and window_s positive")
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._clock = clock
        self._failures: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, key: Hashable) -> int:
        """0 when `key` may try, else the whole seconds until it may try again."""
        now = self._clock()
        with self._lock:
            times = self._recent(key, now)
            if times is None or len(times) < self.limit:
                return 0
            return max(1, math.ceil(times[0] + self.window_s - now))

    def fail(self, key: Hashable) -> None:
        """Count one failure of `key`."""
        now = self._clock()
        with self._lock:
            times = self._recent(key, now)
            if times is None:
                if len(self._failures) >= self.max_keys:
                    self._make_room(now)
                times = self._failures[key] = deque()
            times.append(now)
            self._failures.move_to_end(key)
            while len(times) > self.limit:
                times.popleft()

    def _recent(self, key: Hashable, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def _make_room(self, now: float) -> None:
        # The clock never goes back, so the order of last failures is the order of their times:
        # the keys with none left in the window come first.
        failures = self._failures
        while failures and (
            len(failures) >= self.max_keys
            or next(iter(failures.values()))[-1] <= now - self.window_s
        ):
            failures.popitem(last=False)
