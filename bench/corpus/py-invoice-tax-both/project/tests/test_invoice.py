from decimal import Decimal

from invoice import line_gross, line_net, money, shipping_gross, shipping_net, vat_rate


def test_money_rounds_half_up():
    assert money("2.345") == Decimal("2.35")


def test_reduced_rate_for_books():
    assert vat_rate("books") == Decimal("0.05")
    assert vat_rate("toys") == Decimal("0.20")


def test_line_net():
    assert line_net({"price": 2.5, "qty": 4}) == Decimal("10.00")


def test_line_gross_adds_vat():
    assert line_gross({"price": 10, "qty": 1, "category": "toys"}) == Decimal("12.00")


def test_shipping_net_by_weight():
    assert shipping_net(0.5) == Decimal("3.50")
    assert shipping_net(3) == Decimal("6.00")


def test_shipping_gross_adds_vat():
    assert shipping_gross(3) == Decimal("7.20")
