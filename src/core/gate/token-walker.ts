// Reads a hunk's tokens for the content rules: the walker, import and alias readers, and the names both languages share.
import type { GateFinding } from "./changed-lines.js";
import type { CodeToken, Language } from "./code-tokens.js";

/** A token stream of one hunk's new side and, per source line index, the new-file line number of added lines. */
export interface HunkTokens {
  tokens: CodeToken[];
  /** `addedLine[i]` is the new-file line number when source line `i` was added, undefined for context. */
  addedLine: ReadonlyArray<number | undefined>;
}

export interface TokenFinding {
  type: "forbidden_pattern" | "test_tampering";
  finding: GateFinding;
}

export const TEST_RUN_MARKERS = new Set([
  "PYTEST_CURRENT_TEST",
  "PYTEST_VERSION",
  "PYTEST_XDIST_WORKER",
  "PYTEST_ADDOPTS",
  "_called_from_test",
  "NODE_TEST_CONTEXT",
  "VITEST",
  "VITEST_WORKER_ID",
  "VITEST_POOL_ID",
  "VITEST_MODE",
  "__vitest_worker__",
  "__vitest_environment__",
  "JEST_WORKER_ID",
  "jasmine",
]);

/** Strings that name a test framework: `'pytest' in sys.modules`, `"vitest" in process.argv[1]`. */
export const FRAMEWORK_NAME_STRINGS = new Set([
  "pytest",
  "_pytest",
  "unittest",
  "vitest",
  "jest",
  "mocha",
  "node:test",
]);

export const PY_TEST_MODULES = new Set([
  "pytest",
  "_pytest",
  "unittest",
  "doctest",
  "nose",
  "nose2",
  "hypothesis",
]);

export const JS_TEST_MODULES = new Set([
  "test",
  "vitest",
  "@jest/globals",
  "mocha",
  "jest",
  "@vitest/runner",
  "tap",
  "ava",
]);

export const JS_ASSERT_MODULES = new Set([
  "assert",
  "assert/strict",
  "chai",
  "expect",
  "should",
  "power-assert",
  "uvu/assert",
]);

export const JS_TEST_GLOBALS = new Set([
  "expect",
  "assert",
  "chai",
  "it",
  "test",
  "describe",
  "jest",
  "vi",
  "beforeEach",
  "afterEach",
  "beforeAll",
  "afterAll",
]);

export const PY_TEST_GLOBALS = new Set(["TestCase", "unittest", "pytest", "_pytest", "doctest"]);

export class Walker {
  readonly tokens: CodeToken[];
  readonly addedLine: ReadonlyArray<number | undefined>;
  constructor(hunk: HunkTokens) {
    this.tokens = hunk.tokens;
    this.addedLine = hunk.addedLine;
  }
  v(i: number): string {
    return this.tokens[i]?.value ?? "";
  }
  name(i: number, value?: string): boolean {
    const token = this.tokens[i];
    return token?.kind === "name" && (value === undefined || token.value === value);
  }
  punct(i: number, value: string): boolean {
    const token = this.tokens[i];
    return token?.kind === "punct" && token.value === value;
  }
  str(i: number): CodeToken | undefined {
    const token = this.tokens[i];
    return token?.kind === "string" ? token : undefined;
  }
  /** The added line number of token `i`, or undefined for a context token. */
  added(i: number): number | undefined {
    const token = this.tokens[i];
    return token ? this.addedLine[token.line] : undefined;
  }
  /** Is `i` an assignment operator (`=`, `+=`, …, not `==`/`=>`)? */
  assigns(i: number): boolean {
    const value = this.v(i);
    return (
      this.tokens[i]?.kind === "punct" &&
      /^(?:=|[-+*/%&|^]=|\*\*=|\/\/=|<<=|>>=|&&=|\|\|=|\?\?=)$/.test(value)
    );
  }
  /** The index after a balanced group starting at `i` (`(`, `[` or `{`), or the stream's end. */
  skipGroup(i: number): number {
    const open = this.v(i);
    const close = open === "(" ? ")" : open === "[" ? "]" : "}";
    let depth = 0;
    for (let j = i; j < this.tokens.length; j += 1) {
      if (this.punct(j, open)) depth += 1;
      else if (this.punct(j, close)) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return this.tokens.length;
  }
  /** After a member chain starting at `i` (`a.b[c].d`): the index of the first token that is not part of it. */
  chainEnd(i: number): number {
    let j = i + 1;
    for (;;) {
      if ((this.punct(j, ".") || this.punct(j, "?.")) && this.tokens[j + 1]) j += 2;
      else if (this.punct(j, "[")) j = this.skipGroup(j);
      else return j;
    }
  }
}

export function at(
  walker: Walker,
  path: string,
  i: number,
  type: TokenFinding["type"],
  what: string,
): TokenFinding | null {
  const line = walker.added(i);
  if (line === undefined) return null;
  return { type, finding: { path, line, what } };
}

/** Test-framework aliases defined by imports anywhere in the stream (context too): `import pytest as p`, `const a = require('assert')`. */
export function frameworkAliases(walker: Walker, language: Language): Set<string> {
  const aliases = new Set<string>(language === "python" ? PY_TEST_GLOBALS : JS_TEST_GLOBALS);
  const { tokens } = walker;
  for (let i = 0; i < tokens.length; i += 1) {
    if (language === "python") {
      if (walker.name(i, "import") && !walker.name(i - 2, "from") && !isFromImport(walker, i)) {
        for (const item of importItems(walker, i + 1)) {
          if (PY_TEST_MODULES.has(item.name.split(".")[0] ?? "")) aliases.add(item.alias);
        }
      } else if (walker.name(i, "from")) {
        const module = dottedName(walker, i + 1);
        if (!PY_TEST_MODULES.has(module.name.split(".")[0] ?? "")) continue;
        if (walker.name(module.next, "import")) {
          for (const item of importItems(walker, module.next + 1)) aliases.add(item.alias);
        }
      }
    } else {
      const module = jsModuleAt(walker, i);
      if (!module) continue;
      const bare = module.name.replace(/^node:/, "");
      if (!JS_TEST_MODULES.has(bare) && !JS_ASSERT_MODULES.has(bare)) continue;
      for (const binding of module.bindings) aliases.add(binding);
    }
  }
  return aliases;
}

export function isFromImport(walker: Walker, importIndex: number): boolean {
  for (let j = importIndex - 1; j >= 0 && j >= importIndex - 40; j -= 1) {
    if (walker.name(j, "from")) return true;
    if (!(walker.name(j) || walker.punct(j, "."))) return false;
  }
  return false;
}

export function dottedName(walker: Walker, start: number): { name: string; next: number } {
  let name = "";
  let j = start;
  while (walker.punct(j, ".")) {
    name += ".";
    j += 1;
  }
  if (!walker.name(j)) return { name, next: j };
  name += walker.v(j);
  j += 1;
  while (walker.punct(j, ".") && walker.name(j + 1)) {
    name += `.${walker.v(j + 1)}`;
    j += 2;
  }
  return { name, next: j };
}

/** `a.b as c, d` or `(x as y,\n z)` after an `import`: each imported name and the name it is bound to. */
export function importItems(
  walker: Walker,
  start: number,
): Array<{ name: string; alias: string; index: number }> {
  const items: Array<{ name: string; alias: string; index: number }> = [];
  let j = start;
  const parenthesized = walker.punct(j, "(");
  if (parenthesized) j += 1;
  for (;;) {
    if (!walker.name(j)) break;
    const index = j;
    const dotted = dottedName(walker, j);
    j = dotted.next;
    let alias = dotted.name.split(".")[0] ?? dotted.name;
    if (walker.name(j, "as") && walker.name(j + 1)) {
      alias = walker.v(j + 1);
      j += 2;
    }
    items.push({ name: dotted.name, alias, index });
    if (!walker.punct(j, ",")) break;
    j += 1;
  }
  return items;
}

/** A JavaScript module reference at `i`: `require("m")`, `import … from "m"`, `import("m")`, `export … from "m"`, and the names it binds. */
export function jsModuleAt(
  walker: Walker,
  i: number,
): { name: string; bindings: string[]; index: number } | null {
  if (
    walker.name(i, "require") &&
    walker.punct(i + 1, "(") &&
    walker.str(i + 2) &&
    walker.punct(i + 3, ")")
  ) {
    const bindings: string[] = [];
    if (walker.punct(i - 1, "=")) {
      if (walker.name(i - 2)) bindings.push(walker.v(i - 2));
      else if (walker.punct(i - 2, "}")) bindings.push(...destructuredNames(walker, i - 2));
    }
    return { name: walker.v(i + 2), bindings, index: i };
  }
  if (walker.name(i, "import") && walker.punct(i + 1, "(") && walker.str(i + 2)) {
    return { name: walker.v(i + 2), bindings: [], index: i };
  }
  if (
    (walker.name(i, "import") || walker.name(i, "export")) &&
    !walker.punct(i + 1, "(") &&
    !walker.punct(i - 1, ".")
  ) {
    if (walker.str(i + 1)) return { name: walker.v(i + 1), bindings: [], index: i };
    const bindings: string[] = [];
    for (let j = i + 1; j < walker.tokens.length && j < i + 80; j += 1) {
      if (walker.name(j, "from") && walker.str(j + 1)) return { name: walker.v(j + 1), bindings, index: i };
      if (walker.punct(j, ";")) break;
      if (walker.name(j) && !["as", "type", "typeof", "from"].includes(walker.v(j))) {
        if (walker.name(j + 1, "as")) continue;
        bindings.push(walker.v(j));
      }
    }
  }
  return null;
}

/** Names bound by a destructuring pattern ending at `close` (`{ a, b: c }` binds a and c). */
export function destructuredNames(walker: Walker, close: number): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let j = close; j >= 0; j -= 1) {
    if (walker.punct(j, "}")) depth += 1;
    else if (walker.punct(j, "{")) {
      depth -= 1;
      if (depth === 0) break;
    } else if (
      walker.name(j) &&
      (walker.punct(j + 1, ",") || walker.punct(j + 1, "}") || walker.punct(j + 1, "="))
    ) {
      names.push(walker.v(j));
    }
  }
  return names;
}

/** Strings near `i` that are computed: concatenated, interpolated or implicitly joined, inside `(`…`)` starting at `open`. */
export function hasComputedString(walker: Walker, open: number): boolean {
  const end = walker.skipGroup(open);
  for (let j = open + 1; j < end; j += 1) {
    const token = walker.str(j);
    if (!token) continue;
    if (token.computed) return true;
    if (
      walker.punct(j + 1, "+") ||
      walker.punct(j - 1, "+") ||
      walker.punct(j + 1, "%") ||
      walker.punct(j + 1, "*")
    )
      return true;
    if (
      walker.punct(j + 1, ".") &&
      /^(?:join|format|replace|upper|lower|decode|encode|strip)$/.test(walker.v(j + 2))
    )
      return true;
  }
  for (let j = open + 1; j < end; j += 1) {
    if (
      walker.name(j) &&
      /^(?:join|chr|decode|format|b64decode|reversed|fromCharCode|concat|reverse|atob)$/.test(walker.v(j))
    )
      return true;
  }
  return false;
}

/** Whether the stream writes files: `open(…, "w")`, `.write_text(`, `writeFileSync(`. */
/** True when the token after `i` indexes it with anything but a plain string literal (`env[name]`, `env["A" + b]`). */
export function indexesWithComputedKey(walker: Walker, i: number): boolean {
  if (walker.v(i + 1) !== "[") return false;
  const key = walker.str(i + 2);
  return !(key && !key.computed && walker.punct(i + 3, "]"));
}

export function writesFiles(walker: Walker): boolean {
  for (let i = 0; i < walker.tokens.length; i += 1) {
    const value = walker.v(i);
    if (
      /^(?:write_text|write_bytes|writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|symlink|symlinkSync|copy|copyfile|copy2|move|rename|renameSync|cpSync)$/.test(
        value,
      )
    )
      return true;
    if (value === "open" && walker.punct(i + 1, "(")) {
      const end = walker.skipGroup(i + 1);
      for (let j = i + 2; j < end; j += 1) if (/^[wax]/.test(walker.str(j)?.value ?? "")) return true;
    }
  }
  return false;
}

/** `name(…) {` as a class or object-literal method (after `{`, `}`, `;`, `,`, `async`, `static`, `get`, `set`). */
export function isMethodDefinition(walker: Walker, i: number): boolean {
  if (!walker.punct(i + 1, "(")) return false;
  const before = walker.tokens[i - 1];
  if (before && !/^(?:[{};,*]|async|static|get|set)$/.test(before.value)) return false;
  const after = walker.skipGroup(i + 1);
  return walker.punct(after, "{") || walker.punct(after, ":");
}

/**
 * Whether token `i` is a value handed on whole: the right side of `=`, `:=` or `return`, an argument, an array or
 * object member (not followed by `.`, `[` or `(`, which the other rules read).
 */
export function isAliased(walker: Walker, i: number): boolean {
  const next = walker.v(i + 1);
  if (next === "." || next === "?." || next === "[" || next === "(" || next === "=" || next === ":")
    return false;
  const before = walker.v(i - 1);
  if (!/^(?:=|:=|\(|,|\[|return|yield|\?\?|\|\||&&|\?|:|\.\.\.)$/.test(before)) return false;
  // `import os, sys` and `from x import (a, b)` list names; they hand nothing on.
  for (let j = i - 1; j >= 0 && (walker.name(j) || /^[,.(]$/.test(walker.v(j))); j -= 1) {
    if (walker.name(j, "import")) return false;
  }
  return true;
}

export function chainStart(walker: Walker, i: number): number {
  let j = i;
  while ((walker.punct(j - 1, ".") || walker.punct(j - 1, "?.")) && walker.name(j - 2)) j -= 2;
  return j;
}
