import { describe, expect, it } from "vitest";
import type { QueuedCandidate } from "../../src/core/repair-planner.js";
import type { TestCaseResult } from "../../src/core/types.js";
import { type PartialFix, PartialFixClimb, type RepairBase } from "../../src/repair/partial-fix-climb.js";

const partial = (id: string, fixed: string[]): PartialFix => ({
  candidate: { proposal: { id } } as QueuedCandidate,
  result: { kind: "partial", fixed, diff: `diff of ${id}`, durationMs: 1 } as PartialFix["result"],
});

const base = (diff: string, failing: string[]): RepairBase => ({
  diff,
  failing: failing.map((id) => ({ id, name: id, status: "failed" }) as TestCaseResult),
  sources: new Map(),
});

describe("hill climbing over partial fixes", () => {
  it("adopts the partial fix that fixes the most tests, three iterations after it was found", () => {
    const climb = new PartialFixClimb();
    climb.consider(partial("p1", ["a"]), 1);
    climb.consider(partial("p2", ["a", "b"]), 2);
    climb.consider(partial("p3", ["c"]), 3);
    expect(climb.due(4)).toBeNull();
    expect(climb.due(5)).toBe("adopt");
    expect(climb.takeBest()?.candidate.proposal.id).toBe("p2");
    expect(climb.takeBest()).toBeNull();
  });

  it("backtracks eight iterations after an adoption that found nothing better, newest base first", () => {
    const climb = new PartialFixClimb();
    expect(climb.climbing).toBe(false);
    climb.adopted(base("", ["a", "b", "c"]), 5);
    climb.adopted(base("first partial", ["b", "c"]), 10);
    expect(climb.climbing).toBe(true);
    expect(climb.due(17)).toBeNull();
    expect(climb.due(18)).toBe("backtrack");
    expect(climb.backtrack(18)?.diff).toBe("first partial");
    expect(climb.due(25)).toBeNull();
    expect(climb.due(26)).toBe("backtrack");
    expect(climb.backtrack(26)?.failing.map((test) => test.id)).toEqual(["a", "b", "c"]);
    expect(climb.climbing).toBe(false);
    expect(climb.due(100)).toBeNull();
  });

  it("does not backtrack while a newer partial fix waits for adoption", () => {
    const climb = new PartialFixClimb();
    climb.adopted(base("", ["a", "b"]), 0);
    climb.consider(partial("p4", ["b"]), 7);
    expect(climb.due(9)).toBeNull();
    expect(climb.due(10)).toBe("adopt");
  });
});
