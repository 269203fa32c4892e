"""GPS track metrics for the cycling app: distance, speed and elevation gain."""

import math

EARTH_RADIUS_KM = 6371.0


def haversine(a, b):
    lat1, lon1 = math.radians(a["lat"]), math.radians(a["lon"])
    lat2, lon2 = math.radians(b["lat"]), math.radians(b["lon"])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def total_distance(points):
    distance = 0.0
    for i in range(1, len(points) - 1):
        distance += haversine(points[i - 1], points[i])
    return round(distance, 3)


def elevation_gain(points):
    gain = 0.0
    for before, after in zip(points, points[1:]):
        gain += max(0.0, after.get("ele", 0.0) - before.get("ele", 0.0))
    return gain


def max_speed(points):
    """Fastest leg in km/h; each point carries a timestamp `t` in seconds."""
    best = 0.0
    for i in range(1, len(points) - 1):
        seconds = points[i]["t"] - points[i - 1]["t"]
        if seconds <= 0:
            continue
        best = max(best, haversine(points[i - 1], points[i]) / seconds * 3600)
    return round(best, 1)
