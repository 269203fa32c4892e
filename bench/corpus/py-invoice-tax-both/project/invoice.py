"""Invoice arithmetic: net and gross amounts per line, shipping and VAT breakdown."""

from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")
STANDARD_VAT = Decimal("0.20")
REDUCED_VAT = Decimal("0.05")


def money(value):
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_rate(category):
    return REDUCED_VAT if category in ("books", "food") else STANDARD_VAT


def line_net(line):
    return money(Decimal(str(line["price"])) * line["qty"])


def line_gross(line):
    rate = vat_rate(line.get("category", ""))
    return money(line_net(line) * (1 - rate))


def shipping_net(weight_kg):
    if weight_kg <= 1:
        return money("3.50")
    return money(Decimal("3.50") + Decimal("1.25") * (Decimal(str(weight_kg)) - 1))


def shipping_gross(weight_kg):
    return money(shipping_net(weight_kg) * (1 - STANDARD_VAT))


def invoice_totals(lines, weight_kg):
    net = sum((line_net(l) for l in lines), Decimal("0")) + shipping_net(weight_kg)
    gross = sum((line_gross(l) for l in lines), Decimal("0")) + shipping_gross(weight_kg)
    return {"net": net, "gross": gross, "vat": gross - net}
