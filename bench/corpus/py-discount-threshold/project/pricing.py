"""Price rules for the shop: bulk discounts, coupons and shipping."""

from dataclasses import dataclass

BULK_THRESHOLD = 10
BULK_RATE = 0.10
FREE_SHIPPING_FROM = 50.0
FLAT_SHIPPING = 4.95


@dataclass
class Line:
    sku: str
    unit_price: float
    quantity: int


def line_subtotal(line):
    return round(line.unit_price * line.quantity, 2)


def bulk_discount(line):
    """Lines with at least BULK_THRESHOLD units get BULK_RATE off."""
    if line.quantity > BULK_THRESHOLD:
        return round(line_subtotal(line) * BULK_RATE, 2)
    return 0.0


def apply_coupon(amount, coupon):
    if coupon is None:
        return amount
    if coupon.endswith("%"):
        percent = float(coupon[:-1])
        return round(amount * (1 - percent / 100), 2)
    return max(0.0, round(amount - float(coupon), 2))


def shipping_cost(amount):
    return 0.0 if amount >= FREE_SHIPPING_FROM else FLAT_SHIPPING


def order_total(lines, coupon=None):
    goods = sum(line_subtotal(l) - bulk_discount(l) for l in lines)
    goods = apply_coupon(round(goods, 2), coupon)
    return round(goods + shipping_cost(goods), 2)
