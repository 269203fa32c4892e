import pytest

from stats import mean, median, percentile, spread


def test_mean():
    assert mean([2, 4, 9]) == 5


def test_median_of_odd_count():
    assert median([9, 1, 5]) == 5


def test_median_of_even_count_averages_middle_pair():
    assert median([4, 1, 3, 2]) == 2.5


def test_empty_median():
    with pytest.raises(ValueError):
        median([])


def test_percentile_bounds():
    assert percentile([5, 1, 3], 0) == 1
    assert percentile([5, 1, 3], 100) == 5


def test_spread():
    assert spread([3, 10, 7]) == 7
