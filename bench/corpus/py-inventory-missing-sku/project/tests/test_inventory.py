import pytest

from inventory import Inventory


def make():
    inv = Inventory()
    inv.receive("apple", 10)
    inv.receive("pear", 2)
    return inv


def test_receiving_adds_up():
    inv = make()
    inv.receive("apple", 5)
    assert inv.available("apple") == 15


def test_reserve_reduces_availability():
    inv = make()
    assert inv.reserve("apple", 4) is True
    assert inv.available("apple") == 6


def test_cannot_reserve_more_than_available():
    inv = make()
    assert inv.reserve("pear", 3) is False


def test_unknown_sku_cannot_be_reserved():
    inv = make()
    assert inv.reserve("kiwi", 1) is False


def test_ship_requires_reservation():
    inv = make()
    with pytest.raises(ValueError):
        inv.ship("apple", 1)


def test_low_stock_lists_skus_under_limit():
    inv = make()
    assert inv.low_stock(5) == ["pear"]
