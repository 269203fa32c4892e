import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyFilePatch, parseUnifiedDiff } from "../../src/core/diff.js";
import { parseAnswerEdits } from "../../src/repair/proposers/llm/answer-edits.js";
import { applyAnswerEdits, changedRange } from "../../src/repair/proposers/llm/edit-application.js";

const fixtures = join(import.meta.dirname, "../fixtures/llm");
const answer = (name: string) => readFileSync(join(fixtures, "answers", name), "utf8");
const source = readFileSync(join(fixtures, "shipping-project/src/pricing.js"), "utf8");
const sources = {
  readSource: async (file: string) => (file === "src/pricing.js" ? source : undefined),
  knownFiles: ["src/pricing.js"],
};
const fixed = source.replace("  return total;\n}", "  if (total < 50) total += 4.99;\n  return total;\n}");

describe("parsing model answers", () => {
  it("reads a search/replace block and the path line before its fence", () => {
    const parsed = parseAnswerEdits(answer("search-replace.txt"));
    expect(parsed.edits).toHaveLength(1);
    expect(parsed.edits[0]).toMatchObject({
      path: "src/pricing.js",
      format: "search_replace",
      search: ["  return total;", "}"],
    });
  });

  it("reads a fenced diff whose hunk line counts are wrong and applies it by content", async () => {
    const parsed = parseAnswerEdits(answer("diff-wrong-counts.txt"));
    expect(parsed.edits).toHaveLength(1);
    expect(parsed.edits[0]?.path).toBe("b/src/pricing.js");
    const applied = await applyAnswerEdits(parsed.edits, sources);
    expect(applied).toEqual({ ok: true, files: [{ path: "src/pricing.js", before: source, after: fixed }] });
  });

  it("strips the line numbers the prompt showed when the model copies them into a search block", async () => {
    const applied = await applyAnswerEdits(parseAnswerEdits(answer("numbered-search.txt")).edits, sources);
    expect(applied.ok && applied.files[0]?.after).toBe(fixed);
  });

  it("explains why prose without an edit cannot be used", () => {
    const parsed = parseAnswerEdits(answer("garbage.txt"));
    expect(parsed.edits).toEqual([]);
    expect(parsed.problem).toMatch(/neither a search\/replace block nor a unified diff/);
  });

  it("reports an unclosed search block", () => {
    const parsed = parseAnswerEdits("src/a.js\n<<<<<<< SEARCH\nx\n=======\ny\n");
    expect(parsed.problem).toMatch(/not closed/);
  });

  it("reads several hunks of a bare diff without a/ b/ prefixes", () => {
    const diff = [
      "--- src/pricing.js",
      "+++ src/pricing.js",
      "@@ -1 +1 @@",
      "-// Computes order totals for the checkout page.",
      "+// Order totals.",
      "@@ -11,2 +11,3 @@",
      "+  if (total < 50) total += 4.99;",
      "   return total;",
      " }",
    ].join("\n");
    const parsed = parseAnswerEdits(diff);
    expect(parsed.edits.map((edit) => edit.hintLine)).toEqual([1, 11]);
  });
});

describe("applying edits", () => {
  it("matches a search block whose indentation is off and re-indents the replacement", async () => {
    const edits = parseAnswerEdits(
      "src/pricing.js\n<<<<<<< SEARCH\nreturn total;\n=======\nif (total < 50) total += 4.99;\nreturn total;\n>>>>>>> REPLACE",
    ).edits;
    const applied = await applyAnswerEdits(edits, sources);
    expect(applied.ok && applied.files[0]?.after).toBe(fixed);
  });

  it("refuses a search text that is not in the file and says which", async () => {
    const edits = parseAnswerEdits(
      "src/pricing.js\n<<<<<<< SEARCH\n  return subtotal;\n=======\n  return 1;\n>>>>>>> REPLACE",
    ).edits;
    const applied = await applyAnswerEdits(edits, sources);
    expect(applied).toEqual({
      ok: false,
      reason: expect.stringContaining('does not match the current file (it starts with "return subtotal;")'),
    });
  });

  it("refuses a file that is not part of the project", async () => {
    const edits = parseAnswerEdits("src/other.js\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE").edits;
    expect(await applyAnswerEdits(edits, sources)).toEqual({
      ok: false,
      reason: "src/other.js is not a file of the project",
    });
  });

  it("resolves an absolute path by its suffix and a missing path to the only file shown", async () => {
    const absolute = parseAnswerEdits(
      "/home/me/project/src/pricing.js\n<<<<<<< SEARCH\n  return total;\n}\n=======\n  if (total < 50) total += 4.99;\n  return total;\n}\n>>>>>>> REPLACE",
    ).edits;
    expect((await applyAnswerEdits(absolute, sources)).ok).toBe(true);
    const unnamed = parseAnswerEdits(
      "<<<<<<< SEARCH\n  return total;\n}\n=======\n  return total + 0;\n}\n>>>>>>> REPLACE",
    ).edits;
    expect((await applyAnswerEdits(unnamed, sources)).ok).toBe(true);
  });

  it("refuses an edit that changes nothing", async () => {
    const edits = parseAnswerEdits(
      "src/pricing.js\n<<<<<<< SEARCH\n  return total;\n=======\n  return total;\n>>>>>>> REPLACE",
    ).edits;
    expect(await applyAnswerEdits(edits, sources)).toEqual({ ok: false, reason: "the edit changes nothing" });
  });

  it("never follows a path out of the project", async () => {
    const edits = parseAnswerEdits(
      "../../etc/passwd\n<<<<<<< SEARCH\nroot\n=======\nx\n>>>>>>> REPLACE",
    ).edits;
    const reads: string[] = [];
    const applied = await applyAnswerEdits(edits, {
      readSource: async (file) => {
        reads.push(file);
        return undefined;
      },
      knownFiles: ["src/pricing.js"],
    });
    expect(applied.ok).toBe(false);
    expect(reads.some((file) => file.includes(".."))).toBe(false);
  });

  it("gives the changed line range of the old text", () => {
    expect(changedRange(source, fixed)).toEqual({ startLine: 11, endLine: 11 });
    expect(changedRange("a\nb\nc", "a\nB\nc")).toEqual({ startLine: 2, endLine: 2 });
  });

  it("produces edits whose clean diff applies to the original text", async () => {
    const { createUnifiedDiff } = await import("../../src/core/diff.js");
    const applied = await applyAnswerEdits(parseAnswerEdits(answer("search-replace.txt")).edits, sources);
    if (!applied.ok) throw new Error(applied.reason);
    const diff = createUnifiedDiff("src/pricing.js", source, applied.files[0]?.after ?? source);
    const [patch] = parseUnifiedDiff(diff);
    if (!patch) throw new Error("no patch");
    expect(applyFilePatch(source, patch)).toBe(fixed);
  });
});

describe("parser robustness", () => {
  const fragments = fc.constantFrom(
    "<<<<<<< SEARCH",
    "=======",
    ">>>>>>> REPLACE",
    "--- a/src/pricing.js",
    "+++ b/src/pricing.js",
    "@@ -1,3 +1,4 @@",
    "@@ garbage @@",
    "```diff",
    "```",
    "+  added",
    "-  return total;",
    "   return total;",
    "",
    "src/pricing.js",
    "\\ No newline at end of file",
  );
  const answers = fc
    .array(fc.oneof(fragments, fc.string({ maxLength: 30 })), { maxLength: 40 })
    .map((lines) => lines.join("\n"));

  it("never throws on any mix of diff and block fragments, and applying never throws either", async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (text) => {
        const parsed = parseAnswerEdits(text);
        expect(parsed.edits.length > 0 || typeof parsed.problem === "string").toBe(true);
        const applied = await applyAnswerEdits(parsed.edits, sources);
        expect(typeof applied.ok).toBe("boolean");
      }),
      { numRuns: 400 },
    );
  });

  it("parses a long adversarial answer quickly", () => {
    const text = `${"<<<<<<< SEARCH\n".repeat(2_000)}${"-x\n".repeat(5_000)}--- a\n+++ b\n${"@@ -1 +1 @@\n".repeat(2_000)}`;
    const started = performance.now();
    parseAnswerEdits(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
