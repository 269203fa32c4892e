import pytest

from cart import Cart

CATALOG = {"pen": 1.5, "pad": 4.0, "ink": 12.25}


def test_adding_accumulates_quantity():
    cart = Cart(CATALOG)
    cart.add("pen")
    cart.add("pen", 2)
    assert cart.count() == 3


def test_unknown_product_is_rejected():
    with pytest.raises(KeyError):
        Cart(CATALOG).add("laptop")


def test_remove_drops_empty_lines():
    cart = Cart(CATALOG)
    cart.add("pad", 2)
    cart.remove("pad", 2)
    assert cart.items == {}


def test_subtotal_sums_lines():
    cart = Cart(CATALOG)
    cart.add("pen", 2)
    cart.add("pad")
    assert cart.subtotal() == 7.0
