from habits import longest_streak


def test_no_days_no_streak():
    assert longest_streak([]) == 0


def test_longest_run_in_the_middle():
    assert longest_streak([False, True, True, True, True, False, True, True, False]) == 4


def test_never_done():
    assert longest_streak([False, False]) == 0
