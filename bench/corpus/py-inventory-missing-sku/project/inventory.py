"""In-memory stock levels with reservations for pending orders."""


class Inventory:
    def __init__(self):
        self._stock = {}
        self._reserved = {}

    def receive(self, sku, quantity):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self._stock[sku] = self._stock.get(sku, 0) + quantity

    def available(self, sku):
        return self._stock.get(sku, 0) - self._reserved.get(sku, 0)

    def reserve(self, sku, quantity):
        """Reserve units; returns False when not enough stock is available."""
        on_hand = self._stock.get(sku)
        reserved = self._reserved.get(sku, 0)
        if on_hand - reserved < quantity:
            return False
        self._reserved[sku] = reserved + quantity
        return True

    def release(self, sku, quantity):
        reserved = self._reserved.get(sku, 0)
        self._reserved[sku] = max(0, reserved - quantity)

    def ship(self, sku, quantity):
        if self._reserved.get(sku, 0) < quantity:
            raise ValueError(f"only {self._reserved.get(sku, 0)} units of {sku} reserved")
        self._reserved[sku] -= quantity
        self._stock[sku] -= quantity

    def low_stock(self, limit):
        return sorted(sku for sku in self._stock if self.available(sku) < limit)
