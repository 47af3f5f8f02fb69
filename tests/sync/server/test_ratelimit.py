"""The per-device token bucket and the per-client window of failures, on a fake clock."""

from __future__ import annotations

import pytest

from sync.server.ratelimit import FailureWindow, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_the_rate_applies() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.acquire("k") for _ in range(3)] == [0, 0, 0]
    assert limiter.acquire("k") == 1
    clock.now += 0.5
    assert limiter.acquire("k") == 0
    assert limiter.acquire("k") == 1


def test_retry_after_is_whole_seconds_until_a_request_is_allowed() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=0.1, burst=1, clock=clock)
    assert limiter.acquire("k") == 0
    assert limiter.acquire("k") == 10
    clock.now += 9.5
    assert limiter.acquire("k") == 1
    clock.now += 0.5
    assert limiter.acquire("k") == 0


def test_keys_have_their_own_buckets_and_refill_caps_at_the_burst() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=1.0, burst=2, clock=clock)
    assert limiter.acquire("a") == limiter.acquire("a") == 0
    assert limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0
    clock.now += 3600
    assert [limiter.acquire("a") for _ in range(3)] == [0, 0, 1]


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 5), (1, 0.5)])
def test_nonsense_limits_are_refused(rate: float, burst: float) -> None:
    with pytest.raises(ValueError, match="rate"):
        RateLimiter(rate, burst)


def test_failures_within_the_window_lock_a_key_until_the_oldest_leaves_it() -> None:
    clock = Clock()
    window = FailureWindow(limit=3, window_s=60, clock=clock)
    for _ in range(2):
        window.fail("a")
        clock.now += 10
    assert window.wait("a") == 0
    window.fail("a")  # the third, at 120: the first was at 100
    assert window.wait("a") == 40
    assert window.wait("b") == 0
    clock.now += 39.5
    assert window.wait("a") == 1
    clock.now += 0.5
    assert window.wait("a") == 0
    window.fail("a")
    assert window.wait("a") == 10  # the failure at 110 is now the oldest of three


def test_only_failures_count_and_old_ones_are_forgotten() -> None:
    clock = Clock()
    window = FailureWindow(limit=2, window_s=60, clock=clock)
    for _ in range(100):
        assert window.wait("a") == 0  # asking is free
    window.fail("a")
    clock.now += 61
    window.fail("a")
    assert window.wait("a") == 0


def test_memory_is_bounded_by_forgetting_the_stalest_keys() -> None:
    clock = Clock()
    window = FailureWindow(limit=1, window_s=60, max_keys=3, clock=clock)
    for key in ("a", "b", "c"):
        window.fail(key)
        clock.now += 1
    window.fail("d")  # full: "a", the stalest, is forgiven early
    assert [window.wait(key) > 0 for key in "abcd"] == [False, True, True, True]
    clock.now += 59.5  # to 162.5: "b" (101) and "c" (102) have left the window, "d" (103) not
    window.fail("e")
    assert [window.wait(key) > 0 for key in "bcde"] == [False, False, True, True]


def test_the_key_whose_last_failure_is_oldest_goes_first() -> None:
    clock = Clock()
    window = FailureWindow(limit=1, window_s=60, max_keys=3, clock=clock)
    for key in ("a", "b", "c", "a"):  # "a" failed first, and failed again last
        window.fail(key)
        clock.now += 1
    window.fail("d")  # full: "b" has the oldest last failure
    assert [window.wait(key) > 0 for key in "abcd"] == [True, False, True, True]
    window.fail("e")  # then "c"
    assert [window.wait(key) > 0 for key in "acde"] == [True, False, True, True]


class CountedKey:
    """A key that counts how often any key of its kind is hashed."""

    hashed = 0

    def __init__(self, n: int) -> None:
        self.n = n

    def __hash__(self) -> int:
        CountedKey.hashed += 1
        return hash(self.n)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CountedKey) and other.n == self.n


def test_making_room_for_a_new_key_does_not_look_at_the_others() -> None:
    clock = Clock()
    window = FailureWindow(limit=1, window_s=60, max_keys=1_000, clock=clock)
    for n in range(1_000):
        window.fail(CountedKey(n))
    CountedKey.hashed = 0
    window.fail(CountedKey(1_000))  # full: the stalest key goes
    assert CountedKey.hashed < 10  # the new key, a few times; not every other key
    assert window.wait(CountedKey(0)) == 0
    assert window.wait(CountedKey(1)) > 0


@pytest.mark.parametrize(("limit", "window_s"), [(0, 60), (3, 0), (3, -1)])
def test_nonsense_windows_are_refused(limit: int, window_s: float) -> None:
    with pytest.raises(ValueError, match="limit"):
        FailureWindow(limit, window_s)
