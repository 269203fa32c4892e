from track import max_speed, total_distance

A = {"lat": 0.0, "lon": 0.0, "t": 0}
B = {"lat": 0.0, "lon": 0.01, "t": 60}
C = {"lat": 0.0, "lon": 0.03, "t": 120}


def test_fast_last_leg_sets_max_speed():
    assert max_speed([A, B, C]) == 133.4


def test_two_point_distance():
    assert total_distance([B, C]) == 2.224
