from sensors import drifting_sensors, moving_average, summary, to_celsius


def test_fahrenheit_conversion():
    assert to_celsius(212) == 100.0


def test_moving_average_windows():
    assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]


def test_warm_sensor_is_flagged():
    assert drifting_sensors({"a": 21.0, "b": 25.0}, 21.5) == ["b"]


def test_cold_sensor_is_flagged():
    assert drifting_sensors({"a": 21.0, "c": 15.0}, 21.5) == ["c"]


def test_summary():
    assert summary({"a": 3, "b": 1}) == {"min": 1, "max": 3, "count": 2}
