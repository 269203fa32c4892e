import { beforeAll, describe, expect, it } from "vitest";
import { applyFilePatch, parseUnifiedDiff } from "../../src/core/diff.js";
import type { Language, OperatorFamily, RankedLocation } from "../../src/core/types.js";
import { editPriority, lineDistance } from "../../src/repair/proposers/candidate-ranking.js";
import {
  DEFAULT_MAX_EDITS,
  FAMILY_WEIGHTS,
  generateCandidateEdits,
  OPERATORS,
  operatorProposals,
} from "../../src/repair/proposers/index.js";
import { type LanguageParser, loadLanguageParser } from "../../src/runtime/tree-sitter.js";

const parsers = new Map<Language, LanguageParser>();

beforeAll(async () => {
  for (const language of ["python", "javascript", "typescript"] as const)
    parsers.set(language, await loadLanguageParser(language));
});

function at(file: string, startLine: number, endLine = startLine): RankedLocation {
  return { file, startLine, endLine, score: 1, reasons: ["test"] };
}

function edits(
  language: Language,
  file: string,
  source: string,
  location: RankedLocation,
  families?: OperatorFamily[],
  maxEdits?: number,
) {
  const parser = parsers.get(language);
  if (!parser) throw new Error("parser not loaded");
  return generateCandidateEdits({
    file,
    source,
    language,
    location,
    parser,
    ...(families ? { families } : {}),
    ...(maxEdits !== undefined ? { maxEdits } : {}),
  });
}

const JS_SOURCE = `export function between(value, low, high) {
  if (value < low) return false;
  return value < high;
}

export function label(count) {
  return count + " items";
}
`;

describe("generateCandidateEdits", () => {
  it("has an operator for every deterministic family", () => {
    for (const family of Object.keys(FAMILY_WEIGHTS) as OperatorFamily[]) {
      if (family !== "llm") expect(OPERATORS[family], family).toBeTypeOf("function");
    }
    expect(DEFAULT_MAX_EDITS).toBe(400);
  });

  it("only edits near the location and prefers edits on the suspicious line", () => {
    const result = edits("javascript", "src/between.js", JS_SOURCE, at("src/between.js", 3));
    expect(result.length).toBeGreaterThan(5);
    expect(result[0]?.location.startLine).toBe(3);
    const untouched = JS_SOURCE.slice(JS_SOURCE.indexOf("export function label"));
    for (const edit of result) {
      expect(edit.after.endsWith(untouched), edit.rationale).toBe(true);
      expect(edit.location.functionName).toBe("between");
    }
  });

  it("keeps only the requested families", () => {
    const result = edits("javascript", "src/between.js", JS_SOURCE, at("src/between.js", 3), [
      "binary_operator",
    ]);
    expect(result.length).toBeGreaterThan(0);
    expect(new Set(result.map((edit) => edit.family))).toEqual(new Set(["binary_operator"]));
    expect(result.map((edit) => edit.rationale)).toContain(
      "replace `<` with `<=` in `value < high` in `return` at line 3",
    );
  });

  it("caps the number of candidates, keeping the best ones", () => {
    const all = edits("javascript", "src/between.js", JS_SOURCE, at("src/between.js", 2, 3));
    const capped = edits("javascript", "src/between.js", JS_SOURCE, at("src/between.js", 2, 3), undefined, 5);
    expect(capped).toHaveLength(5);
    expect(capped.map((edit) => edit.after)).toEqual(all.slice(0, 5).map((edit) => edit.after));
    expect(edits("javascript", "src/between.js", JS_SOURCE, at("src/between.js", 3), undefined, 0)).toEqual(
      [],
    );
  });

  it("widens a single line with few candidates to its enclosing function", () => {
    const source =
      "def f(items, limit):\n    total = 0\n    for item in items:\n        total += item\n    pass\n    return total\n";
    const result = edits("python", "m.py", source, at("m.py", 5));
    const lines = new Set(result.map((edit) => edit.location.startLine));
    expect([...lines].some((line) => line !== 5)).toBe(true);
    expect(result.some((edit) => edit.after.includes("total -= item"))).toBe(true);
  });

  it("clamps locations beyond the end of the file", () => {
    const result = edits("python", "m.py", "x = 1\ny = x + 2\n", at("m.py", 40, 50));
    expect(result.length).toBeGreaterThan(0);
  });

  it("returns nothing for empty files, comment-only lines and locations before the first line", () => {
    expect(edits("python", "e.py", "", at("e.py", 1))).toEqual([]);
    expect(edits("javascript", "c.js", "// only a comment\n", at("c.js", 1))).toEqual([]);
    expect(edits("typescript", "z.ts", "export const a = 1;\n", at("z.ts", 0, 0)).length).toBeGreaterThan(0);
  });

  it("still proposes edits in a file that already has a syntax error", () => {
    const source = "export function f(a, b) {\n  return a - b;\n}\nconst broken = (;\n";
    const result = edits("javascript", "f.js", source, at("f.js", 2));
    expect(result.some((edit) => edit.after.includes("return a + b;"))).toBe(true);
  });

  it("produces module-level edits outside any function", () => {
    const result = edits(
      "typescript",
      "c.ts",
      "export const LIMIT = 10;\nexport const ratio = LIMIT / 4;\n",
      at("c.ts", 2),
    );
    expect(result.some((edit) => edit.after.includes("LIMIT * 4"))).toBe(true);
    expect(result.every((edit) => edit.location.functionName === undefined)).toBe(true);
  });

  it("swaps string concatenation operands and call arguments", () => {
    const result = edits("javascript", "src/between.js", JS_SOURCE, at("src/between.js", 7), [
      "swap_operands",
    ]);
    expect(result.some((edit) => edit.after.includes('return " items" + count;'))).toBe(true);
  });

  it("uses sibling returns of the function as guard results", () => {
    const source = "def lookup(table, key):\n    if key == '':\n        return -1\n    return table[key]\n";
    const result = edits("python", "t.py", source, at("t.py", 4), ["add_guard"]);
    expect(
      result.some((edit) => edit.after.includes("if table is None:\n        return -1\n    if key == ''")),
    ).toBe(true);
    expect(result.some((edit) => edit.after.includes("return table.get(key)"))).toBe(true);
  });

  it("offers Python slice bound changes and boolean constant flips", () => {
    const source = "def head(items, strict=True):\n    return items[1:3] if strict else items\n";
    const slices = edits("python", "h.py", source, at("h.py", 2), ["slice_bounds"]);
    expect(slices.map((edit) => edit.after)).toContain(
      "def head(items, strict=True):\n    return items[:3] if strict else items\n",
    );
    const constants = edits("python", "h.py", source, at("h.py", 1), ["replace_constant"]);
    expect(constants.some((edit) => edit.after.includes("strict=False"))).toBe(true);
  });
});

describe("operatorProposals", () => {
  it("builds gate-ready proposals whose diffs apply back to the edited text", () => {
    const result = edits("javascript", "src/between.js", JS_SOURCE, at("src/between.js", 3)).slice(0, 10);
    let counter = 0;
    const proposals = operatorProposals(result, JS_SOURCE, () => `op${++counter}`);
    expect(proposals).toHaveLength(10);
    proposals.forEach((proposal, index) => {
      const edit = result[index];
      expect(proposal.id).toBe(`op${index + 1}`);
      expect(proposal).toMatchObject({
        intent: "fix_bug",
        phase: "patch",
        origin: "operator",
        operator: edit?.family,
        rationale: edit?.rationale,
      });
      expect(proposal.location).toEqual(edit?.location);
      const [patch] = parseUnifiedDiff(proposal.diff);
      expect(patch?.newPath).toBe("src/between.js");
      expect(patch && applyFilePatch(JS_SOURCE, patch)).toBe(edit?.after);
    });
  });

  it("skips edits that do not change the source", () => {
    const proposals = operatorProposals(
      [
        {
          family: "replace_constant",
          file: "a.js",
          after: "x;\n",
          location: { file: "a.js", startLine: 1, endLine: 1 },
          rationale: "none",
          priority: 1,
        },
      ],
      "x;\n",
      () => "p",
    );
    expect(proposals).toEqual([]);
  });
});

describe("candidate ranking", () => {
  it("measures the distance from the suspicious range", () => {
    expect(lineDistance(5, 5, 4, 6)).toBe(0);
    expect(lineDistance(1, 2, 4, 6)).toBe(2);
    expect(lineDistance(9, 9, 4, 6)).toBe(3);
  });

  it("prefers likely families, nearby lines and small edits", () => {
    const base = {
      bonus: 0,
      line: 5,
      endLine: 5,
      focusStart: 5,
      focusEnd: 5,
      removedChars: 1,
      insertedChars: 2,
    };
    expect(editPriority({ ...base, family: "off_by_one" })).toBeGreaterThan(
      editPriority({ ...base, family: "swap_statements" }),
    );
    expect(editPriority({ ...base, family: "binary_operator" })).toBeGreaterThan(
      editPriority({ ...base, family: "binary_operator", line: 9, endLine: 9 }),
    );
    expect(editPriority({ ...base, family: "wrap_call" })).toBeGreaterThan(
      editPriority({ ...base, family: "wrap_call", insertedChars: 120 }),
    );
  });
});
