// Merges and queries busy intervals (minutes since midnight) for the meeting-room booking page.

export interface Interval {
  start: number;
  end: number;
}

export function isValid(interval: Interval): boolean {
  return Number.isFinite(interval.start) && Number.isFinite(interval.end) && interval.start < interval.end;
}

export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(isValid).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const current of sorted) {
    const last = merged.at(-1);
    if (last && current.start < last.end) {
      last.end = Math.max(last.end, current.end);
    } else {
      merged.push({ ...current });
    }
  }
  return merged;
}

export function freeSlots(busy: Interval[], dayStart: number, dayEnd: number): Interval[] {
  const free: Interval[] = [];
  let cursor = dayStart;
  for (const slot of mergeIntervals(busy)) {
    if (slot.start > cursor) free.push({ start: cursor, end: Math.min(slot.start, dayEnd) });
    cursor = Math.max(cursor, slot.end);
  }
  if (cursor < dayEnd) free.push({ start: cursor, end: dayEnd });
  return free;
}

export function totalBusy(busy: Interval[]): number {
  return mergeIntervals(busy).reduce((sum, slot) => sum + (slot.end - slot.start), 0);
}
