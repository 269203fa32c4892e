from stats import describe, median


def test_median_two_samples():
    assert median([10, 20]) == 15


def test_describe_even_samples():
    assert describe([10, 40, 20, 30])["median"] == 25
