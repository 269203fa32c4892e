// Daily order summaries for the warehouse dashboard.

export function lineTotal(line) {
  return Math.round(line.unitPrice * line.quantity * 100) / 100;
}

export function orderTotal(order) {
  return order.lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

export function summarizeOrders(orders) {
  let revenue = 0;
  let items = 0;
  let cancelled = 0;
  const skus = new Set();
  for (const order of orders) {
    if (order.status === "cancelled") {
      cancelled += 1;
      continue;
    }
    for (const line of order.lines) {
      skus.add(line.sku);
      revenue += lineTotal(line);
    }
  }
  return {
    orders: orders.length - cancelled,
    cancelled,
    items,
    distinctSkus: skus.size,
    revenue: Math.round(revenue * 100) / 100,
  };
}

export function averageBasket(orders) {
  const summary = summarizeOrders(orders);
  return summary.orders === 0 ? 0 : Math.round((summary.items / summary.orders) * 10) / 10;
}
