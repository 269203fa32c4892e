from sensors import drift, drifting_sensors


def test_drift_is_symmetric():
    assert drift(10.0, 13.0) == drift(16.0, 13.0) == 3.0


def test_readings_within_limit_are_fine():
    assert drifting_sensors({"x": 19.5, "y": 23.5}, 21.5) == []
