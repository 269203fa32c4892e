import { describe, expect, it } from "vitest";
import { createSyntaxPreservationCheck } from "../../src/repair/proposers/syntax-preservation.js";
import { type GrammarName, loadGrammarParser } from "../../src/runtime/tree-sitter.js";

async function checkerFor(grammar: GrammarName, source: string) {
  const parser = await loadGrammarParser(grammar);
  const tree = parser.parse(source);
  return createSyntaxPreservationCheck(parser, tree, source);
}

function replace(source: string, find: string, text: string) {
  const start = source.indexOf(find);
  if (start < 0) throw new Error(`no ${find}`);
  return { start, end: start + find.length, text };
}

describe("createSyntaxPreservationCheck", () => {
  it("accepts and rejects edits inside an indented Python method", async () => {
    const source =
      "class A:\n    def f(self, x):\n        if x < 1:\n            return x\n        return 0\n";
    const keeps = await checkerFor("python", source);
    expect(keeps(replace(source, "<", "<="))).toBe(true);
    expect(keeps(replace(source, "x < 1", "x <"))).toBe(false);
    expect(keeps(replace(source, "return 0", "return 0)"))).toBe(false);
    expect(keeps(replace(source, "        return 0\n", "        return 1\n        return 0\n"))).toBe(true);
  });

  it("accepts and rejects edits inside JavaScript methods, arrows and functions", async () => {
    const source =
      "export class B {\n  m(a) {\n    return a + 1;\n  }\n}\nconst g = (x) => x * 2;\nfunction h() {\n  return [1, 2];\n}\n";
    const keeps = await checkerFor("javascript", source);
    expect(keeps(replace(source, "a + 1", "a - 1"))).toBe(true);
    expect(keeps(replace(source, "a + 1", "a + "))).toBe(false);
    expect(keeps(replace(source, "x * 2", "Math.abs(x * 2)"))).toBe(true);
    expect(keeps(replace(source, "x * 2", "x *"))).toBe(false);
    expect(keeps(replace(source, "[1, 2]", "[1, 2"))).toBe(false);
    expect(keeps(replace(source, "[1, 2]", "[2, 1]"))).toBe(true);
  });

  it("checks module-level edits, and edits of a file that already has errors, against the whole file", async () => {
    const source = "const a = 1;\nlet b = (;\nconst c = a + 2;\n";
    const keeps = await checkerFor("typescript", source);
    expect(keeps(replace(source, "a + 2", "a - 2"))).toBe(true);
    expect(keeps(replace(source, "a + 2", "a + (2"))).toBe(false);
  });
});
