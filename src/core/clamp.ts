// Bounds a number to a closed range.

/** `value` moved into [low, high] (high wins when the range is empty). */
export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
