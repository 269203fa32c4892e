from datetime import date

from billing_dates import late_fee


def test_late_fee_grows_per_day():
    assert late_fee(date(2024, 1, 1), date(2024, 1, 11)) == 5.0


def test_late_fee_is_capped():
    assert late_fee(date(2024, 1, 1), date(2024, 6, 1)) == 25.0
