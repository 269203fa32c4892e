from inventory import Inventory


def test_unknown_sku_leaves_state_untouched():
    inv = Inventory()
    assert inv.reserve("ghost", 2) is False
    assert inv.available("ghost") == 0
    inv.receive("ghost", 3)
    assert inv.reserve("ghost", 2) is True
    assert inv.available("ghost") == 1
