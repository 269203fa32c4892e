from pricing import Line, bulk_discount, order_total


def test_one_below_threshold_pays_full_price():
    assert bulk_discount(Line("B", 4.0, 9)) == 0.0


def test_threshold_order_total_includes_discount():
    assert order_total([Line("B", 6.0, 10)]) == 54.0


def test_eleven_units_discounted():
    assert bulk_discount(Line("B", 1.0, 11)) == 1.1
