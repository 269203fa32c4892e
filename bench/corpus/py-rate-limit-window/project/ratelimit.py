"""Sliding-window rate limiter keyed by client id; time is passed in by the caller."""

from collections import deque

WINDOW_SECONDS = 600
DEFAULT_LIMIT = 5


class RateLimiter:
    def __init__(self, limit=DEFAULT_LIMIT, window=WINDOW_SECONDS):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self._hits = {}

    def _prune(self, client, now):
        hits = self._hits.setdefault(client, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def allow(self, client, now):
        hits = self._prune(client, now)
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def remaining(self, client, now):
        return self.limit - len(self._prune(client, now))

    def retry_after(self, client, now):
        hits = self._prune(client, now)
        if len(hits) < self.limit:
            return 0
        return hits[0] + self.window - now
