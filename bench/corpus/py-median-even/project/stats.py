"""Descriptive statistics for latency samples (milliseconds)."""


def mean(samples):
    if not samples:
        raise ValueError("no samples")
    return sum(samples) / len(samples)


def median(samples):
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    mid = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[mid]
    return ordered[mid]


def percentile(samples, p):
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(samples)
    rank = round(p / 100 * (len(ordered) - 1))
    return ordered[rank]


def spread(samples):
    return max(samples) - min(samples)


def describe(samples):
    return {
        "mean": round(mean(samples), 2),
        "median": median(samples),
        "p90": percentile(samples, 90),
        "spread": spread(samples),
    }
