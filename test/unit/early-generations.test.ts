// Hands over candidates generated ahead of time only for the same location and source, once, with the session's ids.
import { describe, expect, it } from "vitest";
import type { RankedLocation } from "../../src/core/types.js";
import { startCandidateGenerator } from "../../src/repair/candidate-generator.js";
import { EarlyGenerations } from "../../src/repair/early-generations.js";

const source =
  "export function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum - 1;\n}\n";
const location: RankedLocation = { file: "src/total.js", startLine: 4, endLine: 4, score: 0.5, reasons: [] };

function counter(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}${++next}`;
}

describe("EarlyGenerations", () => {
  it("hands the candidates over once, numbered by the session and tied to the location as ranked now", async () => {
    const generator = startCandidateGenerator();
    const early = new EarlyGenerations(generator);
    early.start(location, source);
    const fresh = await generator.generate({ location, source, nextId: counter("f") });
    const rescored = { ...location, score: 0.9 };
    const taken = await early.take(rescored, source, counter("p"));
    expect(taken?.map((candidate) => candidate.proposal.diff)).toEqual(
      fresh.map((candidate) => candidate.proposal.diff),
    );
    expect(taken?.[0]?.proposal.id).toBe("p1");
    expect(taken?.every((candidate) => candidate.location === rescored)).toBe(true);
    expect(await early.take(rescored, source, counter("p"))).toBeUndefined();
    await generator.close();
  });

  it("hands nothing over for another source of the file (a partial fix was adopted meanwhile)", async () => {
    const generator = startCandidateGenerator();
    const early = new EarlyGenerations(generator);
    early.start(location, source);
    expect(await early.take(location, source.replace("sum - 1", "sum - 2"), counter("p"))).toBeUndefined();
    await generator.close();
  });
});
