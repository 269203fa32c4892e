import { describe, expect, it } from "vitest";
import type { RankedLocation } from "../../src/core/types.js";
import { widenedLocations } from "../../src/repair/widened-locations.js";

const SOURCE = [
  "def visit(graph, start):", // 1
  "    seen = set()", // 2
  "    queue = [start]", // 3
  "    while queue:", // 4
  "        node = queue.pop()", // 5
  "        queue.extend(graph[node])", // 6
  "    return seen", // 7
  "", // 8
  "def size(graph):", // 9
  "    return len(graph)", // 10
  "", // 11
  "LIMIT = 3", // 12
].join("\n");

const ranked = (line: number, score: number): RankedLocation => ({
  file: "pkg/graph.py",
  startLine: line,
  endLine: line,
  score,
  reasons: ["frame"],
});

describe("widened locations", () => {
  it("give the whole function around ranked lines once, then the file's other functions", async () => {
    const wider = await widenedLocations(
      [ranked(6, 0.8), ranked(5, 0.6), ranked(12, 0.2)],
      async () => SOURCE,
    );
    expect(wider.enclosing).toEqual([
      expect.objectContaining({ file: "pkg/graph.py", startLine: 1, endLine: 7, functionName: "visit" }),
    ]);
    expect(wider.enclosing[0]?.score).toBeCloseTo(0.72);
    expect(wider.siblings).toEqual([
      expect.objectContaining({ startLine: 9, endLine: 10, functionName: "size", score: 0.4 }),
    ]);
  });

  it("leave out files that cannot be read or parsed", async () => {
    const location = { ...ranked(1, 1), file: "notes.txt" };
    expect(await widenedLocations([location], async () => "text")).toEqual({ enclosing: [], siblings: [] });
    expect(await widenedLocations([ranked(6, 1)], async () => undefined)).toEqual({
      enclosing: [],
      siblings: [],
    });
  });
});
