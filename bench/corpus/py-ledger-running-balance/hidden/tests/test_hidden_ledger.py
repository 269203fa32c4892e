from ledger import balances, overdrawn_days


def test_cents_are_kept():
    assert list(balances(0.1, [0.2, -0.05])) == [0.3, 0.25]


def test_an_account_that_stays_positive_is_never_overdrawn():
    assert overdrawn_days(500, [-100, -100, 50]) == 0


def test_single_deposit():
    assert list(balances(-5, [5])) == [0]
