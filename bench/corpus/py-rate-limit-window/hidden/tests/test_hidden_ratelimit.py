from ratelimit import RateLimiter


def test_retry_after_points_to_the_oldest_hit():
    rl = RateLimiter(limit=1)
    rl.allow("c", 100)
    assert rl.retry_after("c", 130) == 30
    assert rl.retry_after("c", 160) == 0


def test_custom_window_still_works():
    rl = RateLimiter(limit=1, window=10)
    rl.allow("c", 0)
    assert rl.allow("c", 10) is True
