// Warehouse replenishment: when to reorder a product and how much to order.

export interface StockLevel {
  sku: string;
  onHand: number;
  incoming: number;
  dailyDemand: number;
  leadTimeDays: number;
  packSize: number;
}

export const SAFETY_DAYS = 3;

export function effectiveStock(level: StockLevel): number {
  return level.onHand - level.incoming;
}

export function reorderPoint(level: StockLevel): number {
  return Math.ceil(level.dailyDemand * (level.leadTimeDays + SAFETY_DAYS));
}

export function needsReorder(level: StockLevel): boolean {
  return effectiveStock(level) <= reorderPoint(level);
}

export function orderQuantity(level: StockLevel, coverDays = 30): number {
  if (!needsReorder(level)) return 0;
  const target = Math.ceil(level.dailyDemand * coverDays) + reorderPoint(level);
  const shortfall = Math.max(0, target - effectiveStock(level));
  return Math.ceil(shortfall / level.packSize) * level.packSize;
}

export function daysOfCover(level: StockLevel): number {
  if (level.dailyDemand === 0) return Number.POSITIVE_INFINITY;
  const available = level.onHand - level.incoming;
  return Math.floor(available / level.dailyDemand);
}

export function reorderList(levels: StockLevel[]): { sku: string; quantity: number }[] {
  return levels
    .map((level) => ({ sku: level.sku, quantity: orderQuantity(level) }))
    .filter((line) => line.quantity > 0);
}
