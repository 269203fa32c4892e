from cart import Cart


def test_total_includes_tax():
    cart = Cart({"ink": 12.25})
    cart.add("ink", 2)
    assert cart.total() == 29.4


def test_empty_cart_totals_zero():
    assert Cart({}).subtotal() == 0
