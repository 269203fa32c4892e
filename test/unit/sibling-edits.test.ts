// A partial fix repeated at the copies of the code it changed: which places count as copies, and the queued candidate.
import { describe, expect, it } from "vitest";
import { createUnifiedDiff } from "../../src/core/diff.js";
import type { QueuedCandidate } from "../../src/core/repair-planner.js";
import { siblingCandidate, siblingEdit } from "../../src/repair/sibling-edits.js";
import { loadParserForPath } from "../../src/runtime/tree-sitter.js";

async function parserFor(file: string) {
  const parser = await loadParserForPath(file);
  if (!parser) throw new Error(`no parser for ${file}`);
  return parser;
}

const TRACK = [
  "def legs(points):",
  "    return [distance(points[i - 1], points[i]) for i in range(1, len(points) - 1)]",
  "",
  "def total(points):",
  "    result = 0",
  "    for i in range(1, len(points) - 1):",
  "        result += distance(points[i - 1], points[i])",
  "    return result",
  "",
].join("\n");

describe("siblingEdit", () => {
  it("makes the same edit where the file holds the same expression", async () => {
    const parser = await parserFor("track.py");
    const partial = TRACK.replace("len(points) - 1)]", "len(points))]");
    const sibling = siblingEdit(parser, TRACK, partial);
    expect(sibling?.lines).toEqual([6]);
    expect(sibling?.after).toBe(TRACK.replaceAll("len(points) - 1)", "len(points))"));
  });

  it("changes the same operator where it has one of the same operands, and nowhere else", async () => {
    const parser = await parserFor("src/average.js");
    const source = [
      "export function movingAverage(values, size) {",
      "  let sum = 0;",
      "  return values.map((value) => sum * size);",
      "}",
      "export function mean(window) {",
      "  const sum = window.reduce((a, b) => a + b, 0);",
      "  return sum * window.length;",
      "}",
      "export const area = (width, height) => width * height;",
      "",
    ].join("\n");
    const sibling = siblingEdit(parser, source, source.replace("sum * size", "sum / size"));
    expect(sibling?.lines).toEqual([7]);
    expect(sibling?.after).toContain("return sum / window.length;");
    expect(sibling?.after).toContain("width * height");
  });

  it("finds nothing for code without copies, with too many copies, or a change across lines", async () => {
    const parser = await parserFor("track.py");
    const once = TRACK.replace("    for i in range(1, len(points) - 1):", "    for i in range(len(points)):");
    expect(siblingEdit(parser, once, once.replace("range(len(points))", "range(1, len(points))"))).toBeNull();
    const copies = Array.from({ length: 6 }, (_, i) => `def f${i}(x):\n    return x - 1\n`).join("\n");
    expect(siblingEdit(parser, copies, copies.replace("x - 1", "x + 1"))).toBeNull();
    expect(
      siblingEdit(parser, TRACK, TRACK.replace("result = 0\n", "result = 0\n    result += 1\n")),
    ).toBeNull();
  });
});

describe("siblingCandidate", () => {
  it("queues the repeated edit first, as a diff of the base, saying where it repeats", async () => {
    const file = "track.py";
    const partial = TRACK.replace("len(points) - 1)]", "len(points))]");
    const candidate: QueuedCandidate = {
      location: { file, startLine: 2, endLine: 2, score: 0.25, reasons: [] },
      rankInLocation: 7,
      proposal: {
        id: "p7",
        diff: createUnifiedDiff(file, TRACK, partial),
        intent: "fix_bug",
        phase: "patch",
        origin: "operator",
        operator: "off_by_one",
        location: { file, startLine: 2, endLine: 2 },
        rationale: "drop `- 1` from `len(points) - 1` at line 2",
      },
    };
    const sibling = await siblingCandidate(candidate, TRACK, "p99");
    expect(sibling?.proposal.id).toBe("p99");
    expect(sibling?.proposal.rationale).toBe(
      "drop `- 1` from `len(points) - 1` at line 2, and the same at line 6",
    );
    expect(sibling?.proposal.diff).toBe(
      createUnifiedDiff(file, TRACK, TRACK.replaceAll("len(points) - 1)", "len(points))")),
    );
    expect(sibling?.location.score).toBe(1);
    expect(sibling?.rankInLocation).toBe(0);
  });
});
