import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { OperatorFamily, RankedLocation } from "../../src/core/types.js";
import { type CandidateEdit, generateCandidateEdits } from "../../src/repair/proposers/index.js";
import { createSyntaxChecker, languageOfPath, loadParserForPath } from "../../src/runtime/tree-sitter.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/operators");

/** Statement-level families are rarer fixes, so the ranking deliberately places them after expression-level edits. */
const STATEMENT_FAMILIES = new Set<OperatorFamily>([
  "swap_statements",
  "insert_statement",
  "delete_statement",
]);

function rankLimit(family: OperatorFamily): number {
  return STATEMENT_FAMILIES.has(family) ? 80 : 30;
}

interface OperatorFixture {
  name: string;
  family: OperatorFamily;
  file: string;
  buggy: string;
  fixed: string;
  line: number;
}

function loadFixtures(): OperatorFixture[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.includes(".buggy."))
    .sort()
    .map((name) => {
      const buggy = readFileSync(join(FIXTURES, name), "utf8");
      const fixed = readFileSync(join(FIXTURES, name.replace(".buggy.", ".fixed.")), "utf8");
      const family = name.split("--")[0] as OperatorFamily;
      const line = buggy.split("\n").findIndex((text) => text.includes("BUG")) + 1;
      return { name, family, file: `src/${name.replace(".buggy", "")}`, buggy, fixed, line };
    });
}

const fixtures = loadFixtures();
let checkSyntax: (path: string, content: string) => string | null;

beforeAll(async () => {
  checkSyntax = await createSyntaxChecker();
});

async function candidatesFor(
  fixture: OperatorFixture,
  families?: OperatorFamily[],
): Promise<CandidateEdit[]> {
  const parser = await loadParserForPath(fixture.file);
  const language = languageOfPath(fixture.file);
  if (!parser || !language) throw new Error(`no parser for ${fixture.file}`);
  const location: RankedLocation = {
    file: fixture.file,
    startLine: fixture.line,
    endLine: fixture.line,
    score: 1,
    reasons: ["test"],
  };
  return generateCandidateEdits({
    file: fixture.file,
    source: fixture.buggy,
    language,
    location,
    parser,
    ...(families ? { families } : {}),
  });
}

describe("operator fixtures", () => {
  it("cover every deterministic family in Python, JavaScript and TypeScript", () => {
    const families = new Set(fixtures.map((fixture) => fixture.family));
    expect(families.size).toBe(18);
    const extensions = new Set(fixtures.map((fixture) => fixture.file.split(".").pop()));
    expect([...extensions].sort()).toEqual(["js", "py", "ts"]);
    for (const fixture of fixtures) expect(fixture.line, fixture.name).toBeGreaterThan(0);
  });

  for (const fixture of loadFixtures()) {
    it(`${fixture.name}: the intended fix is among the first ${rankLimit(fixture.family)} candidates`, async () => {
      const edits = await candidatesFor(fixture);
      const rank = edits.findIndex((edit) => edit.after === fixture.fixed);
      expect(
        rank,
        `fix not found; first candidates:\n${edits
          .slice(0, 10)
          .map((edit) => edit.rationale)
          .join("\n")}`,
      ).toBeGreaterThanOrEqual(0);
      expect(rank).toBeLessThan(rankLimit(fixture.family));
    });

    it(`${fixture.name}: the ${fixture.family} family alone produces the fix with a rationale naming the change`, async () => {
      const edits = await candidatesFor(fixture, [fixture.family]);
      const fix = edits.find((edit) => edit.after === fixture.fixed);
      expect(fix).toBeDefined();
      expect(fix?.family).toBe(fixture.family);
      expect(fix?.rationale).toMatch(/`[^`]+`/);
      expect(fix?.rationale).not.toContain("\n");
      expect(fix?.location.file).toBe(fixture.file);
      expect(Math.abs((fix?.location.startLine ?? 0) - fixture.line)).toBeLessThanOrEqual(3);
    });

    it(`${fixture.name}: every candidate parses, is distinct and changes the file`, async () => {
      const edits = await candidatesFor(fixture);
      expect(edits.length).toBeGreaterThan(0);
      const afters = new Set<string>();
      for (const edit of edits) {
        expect(checkSyntax(fixture.file, edit.after), edit.rationale).toBeNull();
        expect(edit.after).not.toBe(fixture.buggy);
        expect(afters.has(edit.after), edit.rationale).toBe(false);
        afters.add(edit.after);
      }
      const priorities = edits.map((edit) => edit.priority);
      expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    });
  }
});

describe("built-in namespaces", () => {
  it("are neither guarded nor swapped with variables, unless the code declares the name itself", async () => {
    const rationales = async (buggy: string) =>
      (
        await candidatesFor(
          { name: "ns", family: "add_guard", file: "src/delay.js", buggy, fixed: "", line: 3 },
          ["add_guard", "replace_identifier"],
        )
      ).map((edit) => edit.rationale);
    const source = (prefix: string) =>
      `${prefix}export function delayFor(attempt, baseMs, maxMs) {\n  const delay = baseMs * 2 ** attempt;\n  return Math.min(delay, maxMs);\n}\n`;
    const builtin = await rationales(source(""));
    expect(builtin.length).toBeGreaterThan(0);
    expect(builtin.filter((text) => /`Math\?\.`|`Math`/.test(text))).toEqual([]);
    const declared = await rationales(source("const Math = { min: (a) => a };\n"));
    expect(declared.some((text) => /`Math/.test(text))).toBe(true);
  });
});

describe("families the failure points at", () => {
  // "unsupported operand type(s) for -: 'NoneType' and 'int'": the operand needs a guard, which ranks low otherwise.
  const source = [
    "def available(stock, reserved, sku):",
    "    on_hand = stock.lookup_units(sku)",
    "    return on_hand - reserved",
    "",
  ].join("\n");
  const fixed = [
    "def available(stock, reserved, sku):",
    "    on_hand = stock.lookup_units(sku)",
    "    if on_hand is None:",
    "        return None",
    "    return on_hand - reserved",
    "",
  ].join("\n");

  async function rankOfFix(favoured: OperatorFamily[]): Promise<number> {
    const file = "src/stock.py";
    const parser = await loadParserForPath(file);
    if (!parser) throw new Error("no Python parser");
    const location: RankedLocation = { file, startLine: 3, endLine: 3, score: 1, reasons: ["frame"] };
    const hints = { families: favoured, mismatches: [] };
    const edits = generateCandidateEdits({ file, source, language: "python", location, parser, hints });
    return edits.findIndex((edit) => edit.after === fixed);
  }

  it("guards an operand of arithmetic against None, and ranks guards first when the failure asks for one", async () => {
    const plain = await rankOfFix([]);
    const favoured = await rankOfFix(["add_guard"]);
    expect(plain).toBeGreaterThan(25);
    expect(favoured).toBeGreaterThanOrEqual(0);
    expect(favoured).toBeLessThan(15);
  });
});

describe("which other property a wrong access meant", () => {
  async function propertyChoices(file: string, source: string, line: number): Promise<string[]> {
    const parser = await loadParserForPath(file);
    const language = languageOfPath(file);
    if (!parser || !language) throw new Error(`no parser for ${file}`);
    const location: RankedLocation = { file, startLine: line, endLine: line, score: 1, reasons: ["frame"] };
    const edits = generateCandidateEdits({
      file,
      source,
      language,
      location,
      parser,
      families: ["replace_property"],
    });
    // "access `p.shipped_at` instead of `.created_at` at line 8" → shipped_at
    return edits.map((edit) => /^access `[^`]*\.(\w+)` instead/.exec(edit.rationale)?.[1] ?? "");
  }

  it("prefers a field declared beside the one read that the file never reads (Python dataclass, TypeScript interface)", async () => {
    const python = [
      "class Parcel:",
      "    created_at: float",
      "    shipped_at: float",
      "    delivered_at: float",
      "    weight: float",
      "",
      "def transit(p):",
      "    return p.delivered_at - p.created_at",
      "",
      "def heavy(p):",
      "    return p.weight > 10",
      "",
    ].join("\n");
    expect((await propertyChoices("src/parcel.py", python, 8))[0]).toBe("shipped_at");
    const typescript = [
      "interface Parcel { createdAt: number; shippedAt: number; deliveredAt: number; weight: number }",
      "export function transit(p: Parcel): number {",
      "  return p.deliveredAt - p.createdAt;",
      "}",
      "export const heavy = (p: Parcel) => p.weight > 10;",
      "",
    ].join("\n");
    expect((await propertyChoices("src/parcel.ts", typescript, 3))[0]).toBe("shippedAt");
  });

  it("prefers the property the enclosing function is named after", async () => {
    const source = [
      "export function rank(task) {",
      "  return task.priority ?? task.title;",
      "}",
      "export function groupByPriority(tasks) {",
      "  const groups = {};",
      "  for (const task of tasks) (groups[task.estimate] ??= []).push(task.title);",
      "  return groups;",
      "}",
      "",
    ].join("\n");
    const choices = await propertyChoices("src/tasks.js", source, 6);
    expect(choices.indexOf("priority")).toBe(0);
  });
});

type Mismatch = { actual: number; expected: number };

/** The rationale of the first edit generated at one line of a file, given the failure's number mismatches. */
async function firstEditAt(file: string, source: string, line: number, mismatches: Mismatch[] = []) {
  const parser = await loadParserForPath(file);
  const language = languageOfPath(file);
  if (!parser || !language) throw new Error(`no parser for ${file}`);
  const location: RankedLocation = { file, startLine: line, endLine: line, score: 1, reasons: ["coverage"] };
  return generateCandidateEdits({
    file,
    source,
    language,
    location,
    parser,
    hints: { families: [], mismatches },
  })[0]?.rationale;
}

describe("constants the failing tests' numbers suggest", () => {
  it("tries first the constant that turns what the tests got into what they expected", async () => {
    const source = "export function toCents(amount) {\n  return Math.round(amount * 10);\n}\n";
    const firstEdit = (mismatches: Mismatch[]) => firstEditAt("src/money.js", source, 2, mismatches);
    // 12.34 came out as 123 cents instead of 1234, and 4.6 as 4.6 instead of 46: the factor should be 100.
    const agreeing = [
      { actual: 123, expected: 1234 },
      { actual: 4.6, expected: 46 },
    ];
    const fix = "replace `10` with `100` in `return` at line 2";
    expect(await firstEdit(agreeing)).toBe(fix);
    // One mismatch alone is as easily met by an overfitting constant: it gets no lead.
    expect(await firstEdit(agreeing.slice(0, 1))).not.toBe(fix);
    expect(await firstEdit([])).not.toContain("with `100`");
  });

  it("tries first the base of a power that every mismatch of a series agrees on", async () => {
    const source = "def backoff(attempt, base=100):\n    return base * 3 ** (attempt - 1)\n";
    const firstEdit = (mismatches: Mismatch[]) => firstEditAt("src/retry.py", source, 2, mismatches);
    // [100, 300, 900] instead of [100, 200, 400]: the base should be 2.
    const fix = "replace `3` with `2` in `return` at line 2";
    expect(
      await firstEdit([
        { actual: 300, expected: 200 },
        { actual: 900, expected: 400 },
      ]),
    ).toBe(fix);
    expect(await firstEdit([{ actual: 300, expected: 200 }])).not.toBe(fix);
  });
});

describe("a difference the file compares with a limit", () => {
  it("tries abs first when callers compare the returned difference with a limit", async () => {
    const python = [
      "def drift(reading, reference):",
      "    return reading - reference",
      "",
      "def drifting(readings, reference, limit):",
      "    return [name for name, value in readings.items() if drift(value, reference) > limit]",
      "",
    ].join("\n");
    expect(await firstEditAt("sensors.py", python, 2)).toBe(
      "wrap `reading - reference` in `abs` in `return` at line 2",
    );
    const javascript = [
      "export function gap(a, b) {",
      "  return a.at - b.at;",
      "}",
      "export const tooFar = (a, b, limit) => gap(a, b) >= limit;",
      "",
    ].join("\n");
    expect(await firstEditAt("src/events.js", javascript, 2)).toBe(
      "wrap `a.at - b.at` in `Math.abs` in `return` at line 2",
    );
  });

  it("does not when the difference is used as it is", async () => {
    const python = [
      "def change(new, old):",
      "    return new - old",
      "",
      "def report(new, old):",
      "    return f'changed by {change(new, old)}'",
      "",
    ].join("\n");
    expect(await firstEditAt("prices.py", python, 2)).not.toContain("abs");
  });
});
