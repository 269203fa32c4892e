from habits import completion_rate, current_streak, longest_streak


def test_current_streak_counts_back_from_today():
    assert current_streak([True, False, True, True]) == 2


def test_longest_streak_of_a_perfect_week():
    assert longest_streak([True] * 7) == 7


def test_longest_streak_keeps_an_earlier_longer_run():
    assert longest_streak([True, True, True, False, True]) == 3


def test_completion_rate():
    assert completion_rate([True, False, True, True]) == 0.75
    assert completion_rate([]) == 0
