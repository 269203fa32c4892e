from datetime import date

from billing_dates import days_between, days_overdue, due_date, late_fee, month_end


def test_due_date_adds_terms():
    assert due_date(date(2024, 1, 15)) == date(2024, 2, 14)


def test_days_between_counts_forward():
    assert days_between(date(2024, 3, 1), date(2024, 3, 11)) == 10


def test_not_overdue_before_due_date():
    assert days_overdue(date(2024, 5, 10), date(2024, 5, 1)) == 0


def test_overdue_days_are_positive():
    assert days_overdue(date(2024, 5, 10), date(2024, 5, 14)) == 4


def test_month_end_handles_december():
    assert month_end(date(2023, 12, 5)) == date(2023, 12, 31)
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)
