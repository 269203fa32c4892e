// Shopping-cart arithmetic: line totals, a bulk discount and shipping.

export const FREE_SHIPPING_FROM = 50;
export const SHIPPING_FEE = 4.9;

export function lineTotal(item) {
  return item.price * item.quantity;
}

export function subtotal(items) {
  return items.reduce((sum, item) => sum + lineTotal(item), 0);
}

/** 10% off for orders of 10 or more items in total. */
export function bulkDiscount(items) {
  const count = items.reduce((sum, item) => sum + item.quantity, 0);
  if (count > 10) {
    return subtotal(items) * 0.1;
  }
  return 0;
}

export function shipping(amount) {
  return amount >= FREE_SHIPPING_FROM ? 0 : SHIPPING_FEE;
}

export function orderTotal(items) {
  const amount = subtotal(items) - bulkDiscount(items);
  return Math.round((amount + shipping(amount)) * 100) / 100;
}
