import pytest

from ratelimit import RateLimiter


def test_allows_up_to_the_limit():
    rl = RateLimiter(limit=3)
    assert [rl.allow("a", t) for t in (0, 1, 2, 3)] == [True, True, True, False]


def test_clients_are_independent():
    rl = RateLimiter(limit=1)
    assert rl.allow("a", 0) and rl.allow("b", 0)


def test_remaining_counts_down():
    rl = RateLimiter(limit=5)
    rl.allow("a", 10)
    rl.allow("a", 11)
    assert rl.remaining("a", 12) == 3


def test_requests_expire_after_a_minute():
    rl = RateLimiter(limit=2)
    rl.allow("a", 0)
    rl.allow("a", 5)
    assert rl.allow("a", 30) is False
    assert rl.allow("a", 61) is True


def test_invalid_limit():
    with pytest.raises(ValueError):
        RateLimiter(limit=0)
