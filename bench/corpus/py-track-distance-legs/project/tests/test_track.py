from track import elevation_gain, haversine, max_speed, total_distance

A = {"lat": 0.0, "lon": 0.0, "t": 0, "ele": 10.0}
B = {"lat": 0.0, "lon": 0.01, "t": 60, "ele": 15.0}
C = {"lat": 0.0, "lon": 0.03, "t": 120, "ele": 12.0}


def test_haversine_one_hundredth_degree_at_equator():
    assert round(haversine(A, B), 3) == 1.112


def test_single_point_has_no_distance():
    assert total_distance([A]) == 0.0


def test_distance_covers_every_leg():
    assert total_distance([A, B, C]) == 3.336


def test_elevation_gain_ignores_descents():
    assert elevation_gain([A, B, C]) == 5.0


def test_max_speed_of_two_points():
    assert max_speed([A, B]) == 66.7
