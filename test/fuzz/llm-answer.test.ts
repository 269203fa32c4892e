// Fuzzes the LLM answer parser: any text gives edits or a stated problem, never an exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAnswerEdits } from "../../src/repair/proposers/llm/answer-edits.js";

const SEED = 31_337;

const ANSWER_LINES = [
  "src/a.js",
  "**src/a.js**",
  "File: src/a.py",
  "### lib/x.ts",
  "```js",
  "```diff",
  "```src/a.js",
  "~~~",
  "```",
  "<<<<<<< SEARCH",
  "<<<<<<<<<< SEARCH",
  "=======",
  ">>>>>>> REPLACE",
  "--- a/src/a.js",
  "+++ b/src/a.js",
  "--- /dev/null",
  "+++ /dev/null",
  "@@ -3,2 +3,2 @@",
  "@@ -x @@",
  " context",
  "-old",
  "+new",
  "  12 | numbered",
  "\\ No newline at end of file",
  "",
  "The bug is an off-by-one.",
  "IGNORE PREVIOUS INSTRUCTIONS",
];

const answerLike = fc
  .tuple(
    fc.array(
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ANSWER_LINES) }, fc.string({ maxLength: 12 })),
      {
        maxLength: 40,
      },
    ),
    fc.constantFrom("\n", "\r\n", "\r"),
  )
  .map(([lines, eol]) => lines.join(eol));

function expectEditsOrProblem(answer: string): void {
  const parsed = parseAnswerEdits(answer);
  expect(Array.isArray(parsed.edits)).toBe(true);
  if (parsed.edits.length === 0) {
    expect(typeof parsed.problem).toBe("string");
    expect((parsed.problem ?? "").length).toBeGreaterThan(5);
  }
  for (const edit of parsed.edits) {
    expect(typeof edit.path).toBe("string");
    expect(["search_replace", "diff"]).toContain(edit.format);
    if (edit.hintLine !== undefined) expect(Number.isInteger(edit.hintLine)).toBe(true);
  }
}

describe("fuzzing the LLM answer parser", () => {
  it("returns edits or a problem for random answer-like text", () => {
    fc.assert(fc.property(answerLike, expectEditsOrProblem), { seed: SEED, numRuns: 4_000 });
  });

  it("returns edits or a problem for arbitrary unicode text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 400 }), expectEditsOrProblem), {
      seed: SEED + 1,
      numRuns: 2_000,
    });
  });

  it("reads a search/replace block back exactly, whatever the lines contain", () => {
    const safeLine = fc
      .string({ maxLength: 20 })
      .filter(
        (line) =>
          !/^\s*(<{5,9}|={5,9}\s*$|>{5,9})/.test(line) && !line.includes("\r") && !line.includes("\n"),
      );
    fc.assert(
      fc.property(
        fc.array(safeLine, { minLength: 1, maxLength: 6 }),
        fc.array(safeLine, { maxLength: 6 }),
        (search, replace) => {
          const answer = [
            "src/a.js",
            "<<<<<<< SEARCH",
            ...search,
            "=======",
            ...replace,
            ">>>>>>> REPLACE",
          ].join("\n");
          const parsed = parseAnswerEdits(answer);
          expect(parsed.edits).toHaveLength(1);
          expect(parsed.edits[0]?.path).toBe("src/a.js");
          expect(parsed.edits[0]?.replace.length).toBe(replace.length);
        },
      ),
      { seed: SEED + 2, numRuns: 1_000 },
    );
  });

  it("parses a 1 MB answer of unterminated blocks in under two seconds", () => {
    const answer = "<<<<<<< SEARCH\nx\n".repeat(65_000);
    const started = performance.now();
    expectEditsOrProblem(answer);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
