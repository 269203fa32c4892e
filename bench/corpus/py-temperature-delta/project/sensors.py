"""Temperature sensor readings: smoothing, drift detection and unit conversion."""

DRIFT_LIMIT = 2.5


def to_celsius(fahrenheit):
    return round((fahrenheit - 32) * 5 / 9, 2)


def moving_average(readings, size=3):
    if size < 1:
        raise ValueError("size must be positive")
    out = []
    for i in range(len(readings) - size + 1):
        window = readings[i:i + size]
        out.append(round(sum(window) / size, 2))
    return out


def drift(reading, reference):
    return reading - reference


def drifting_sensors(readings, reference, limit=DRIFT_LIMIT):
    """Names of sensors whose reading is more than `limit` away from the reference."""
    return sorted(name for name, value in readings.items() if drift(value, reference) > limit)


def summary(readings):
    values = list(readings.values())
    return {"min": min(values), "max": max(values), "count": len(values)}
