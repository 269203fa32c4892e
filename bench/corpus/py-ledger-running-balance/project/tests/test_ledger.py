from ledger import balances, largest_withdrawal, overdrawn_days


def test_balances_run_on_from_the_opening_balance():
    assert list(balances(100, [-30, 50, -200])) == [70, 120, -80]


def test_no_transactions_no_balances():
    assert list(balances(10, [])) == []


def test_overdrawn_days_count_negative_balances():
    assert overdrawn_days(20, [-30, 40, -50]) == 2


def test_largest_withdrawal():
    assert largest_withdrawal([10, -4, -9.5, 3]) == 9.5
    assert largest_withdrawal([5]) == 0
