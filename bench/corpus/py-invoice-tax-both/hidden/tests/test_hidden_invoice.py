from decimal import Decimal

from invoice import invoice_totals, line_gross


def test_reduced_rate_line():
    assert line_gross({"price": 20, "qty": 1, "category": "food"}) == Decimal("21.00")


def test_invoice_totals():
    totals = invoice_totals([{"price": 10, "qty": 2, "category": "toys"}], 1)
    assert totals == {"net": Decimal("23.50"), "gross": Decimal("28.20"), "vat": Decimal("4.70")}
