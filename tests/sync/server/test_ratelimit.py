"""The per-device token bucket, on a fake clock."""

from __future__ import annotations

import pytest

from sync.server.ratelimit import RateLimiter


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
