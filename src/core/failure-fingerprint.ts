// Failure fingerprints: a coarse class of how tests fail, the key under which outcome memory is learned.
import { compareText } from "./compare-text.js";
import type { Language, TestCaseResult } from "./types.js";

const ERROR_NAME = /\b([A-Z][A-Za-z]*(?:Error|Exception)|AssertionError)\b/;

/** The kind of error a failure message shows, normalized across languages. */
export function errorKind(message: string | undefined): string {
  if (!message) return "unknown";
  if (/did not finish|timed? ?out/i.test(message)) return "timeout";
  if (/cannot read propert|of undefined|of null|NoneType/i.test(message)) return "null_access";
  if (/is not a function|not callable|is not iterable/i.test(message)) return "type_misuse";
  const named = ERROR_NAME.exec(message)?.[1];
  if (named) {
    if (/^(AssertionError|AssertionError\w*)$/.test(named) || named === "ERR_ASSERTION") return "assertion";
    return named.replace(/Exception$/, "Error").toLowerCase();
  }
  if (/expected|assert|to (equal|be|deep)/i.test(message)) return "assertion";
  return "other";
}

/** `language:kind` of the most common error kind among the failing tests (ties broken by name). */
export function failureClass(language: Language, failing: readonly TestCaseResult[]): string {
  const counts = new Map<string, number>();
  for (const test of failing) {
    const kind = errorKind(test.message);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  return `${language}:${ranked[0]?.[0] ?? "unknown"}`;
}
