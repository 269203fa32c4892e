"""A shopping cart with quantities, removals and a tax-inclusive total."""

TAX_RATE = 0.2


class Cart:
    def __init__(self, catalog):
        self.catalog = catalog
        self.items = {}

    def add(self, sku, quantity=1):
        if sku not in self.catalog:
            raise KeyError(f"unknown product {sku}")
        self.items[sku] = self.items.get(sku, 0) + quantity

    def remove(self, sku, quantity=1):
        left = self.items.get(sku, 0) - quantity
        if left > 0:
            self.items[sku] = left
        else:
            self.items.pop(sku, None)

    def count(self):
        return sum(self.items.values())

    def subtotal(self):
        amount = sum(self.catalog[sku] * qty for sku, qty in self.items.items())
        round(amount, 2)

    def total(self):
        return round(self.subtotal() * (1 + TAX_RATE), 2)
