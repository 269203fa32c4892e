from pricing import Line, apply_coupon, bulk_discount, line_subtotal, order_total, shipping_cost


def test_line_subtotal_multiplies_price_and_quantity():
    assert line_subtotal(Line("A", 2.5, 4)) == 10.0


def test_small_orders_get_no_bulk_discount():
    assert bulk_discount(Line("A", 3.0, 2)) == 0.0


def test_large_orders_get_ten_percent_off():
    assert bulk_discount(Line("A", 1.0, 20)) == 2.0


def test_exactly_threshold_quantity_gets_the_discount():
    assert bulk_discount(Line("A", 2.0, 10)) == 2.0


def test_percent_and_fixed_coupons():
    assert apply_coupon(40.0, "25%") == 30.0
    assert apply_coupon(40.0, "5") == 35.0
    assert apply_coupon(3.0, "5") == 0.0


def test_shipping_is_free_from_fifty():
    assert shipping_cost(50.0) == 0.0
    assert shipping_cost(49.99) == 4.95


def test_order_total_adds_shipping_to_small_orders():
    assert order_total([Line("A", 5.0, 2)]) == 14.95
