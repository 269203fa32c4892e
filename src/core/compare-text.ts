// Orders strings by their UTF-16 code units: the same order on every machine, and no ICU collator to load.

/** Negative when `a` sorts before `b`, positive after, 0 when equal (code-unit order, unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
