import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/core/random.js";
import { PhaseTransitionError, type QueuedCandidate, RepairPlanner } from "../../src/core/repair-planner.js";
import { StrategyBandit } from "../../src/core/strategy-bandit.js";
import type { OperatorFamily, RankedLocation } from "../../src/core/types.js";

const location = (file: string, line: number, score: number): RankedLocation => ({
  file,
  startLine: line,
  endLine: line,
  score,
  reasons: [],
});

let counter = 0;
const candidate = (loc: RankedLocation, operator: OperatorFamily, rankInLocation = 0): QueuedCandidate => ({
  location: loc,
  rankInLocation,
  proposal: {
    id: `p${++counter}`,
    diff: "",
    intent: "fix_bug",
    phase: "patch",
    origin: "operator",
    operator,
    location: loc,
    rationale: `${operator} at ${loc.file}:${loc.startLine}`,
  },
});

const planner = (maxIterations = 10, deadlineMs = Number.MAX_SAFE_INTEGER) =>
  new RepairPlanner(new StrategyBandit({ random: seededRandom(5) }), { maxIterations, deadlineMs });

describe("the repair planner", () => {
  it("follows the phase machine and refuses skipping phases", () => {
    const p = planner();
    expect(() => p.transition("verify")).toThrow(PhaseTransitionError);
    p.transition("localize");
    p.transition("patch");
    p.transition("verify");
    p.transition("patch");
    p.transition("done");
    expect(p.phase).toBe("done");
  });

  it("remembers tried patches per base, so that backtracking to a base finds its own history", () => {
    const p = planner();
    p.triedFingerprints.add("fix-on-plain-base");
    p.useBase("diff of an adopted partial fix");
    expect(p.triedFingerprints.has("fix-on-plain-base")).toBe(false);
    p.triedFingerprints.add("fix-tried-on-top-of-the-partial");
    p.useBase("");
    expect([...p.triedFingerprints]).toEqual(["fix-on-plain-base"]);
  });

  it("serves candidates at more suspicious locations first", () => {
    const p = planner();
    const high = location("src/a.js", 3, 0.9);
    const low = location("src/b.js", 8, 0.1);
    p.enqueue([candidate(low, "binary_operator"), candidate(high, "binary_operator")]);
    const [first] = p.nextBatch(1);
    expect(first?.location.file).toBe("src/a.js");
    expect(p.queuedCount()).toBe(1);
  });

  it("drops a protected file from everything it asks for next", () => {
    const p = planner();
    const protectedLoc = location(".github/workflows/ci.yml", 1, 1);
    const other = location("src/a.js", 1, 0.2);
    const rejected = candidate(protectedLoc, "replace_constant");
    p.enqueue([candidate(protectedLoc, "replace_constant", 1), candidate(other, "replace_constant")]);
    p.onGateRejection(rejected.proposal, "protected_path", ".github is protected");
    expect(p.isFileDropped(".github/workflows/ci.yml")).toBe(true);
    expect(p.nextBatch(5).map((c) => c.location.file)).toEqual(["src/a.js"]);
    expect(p.locationsToExpand([protectedLoc, other], 5)).toEqual([other]);
    expect(p.gateRejections).toHaveLength(1);
  });

  it("backs off an operator family after repeated syntax errors", () => {
    const p = planner();
    const loc = location("src/a.js", 1, 0.5);
    for (let i = 0; i < 3; i += 1)
      p.onGateRejection(candidate(loc, "insert_statement").proposal, "syntax_error", "bad");
    expect(p.suppressed()).toEqual(["insert_statement"]);
    p.enqueue([candidate(loc, "insert_statement"), candidate(loc, "off_by_one", 3)]);
    expect(p.nextBatch(1)[0]?.proposal.operator).toBe("off_by_one");
  });

  it("forgets its queue and expansions when the locations are ranked again", () => {
    const p = planner();
    const loc = location("src/a.js", 1, 0.5);
    p.markExpanded(loc);
    p.enqueue([candidate(loc, "off_by_one")]);
    expect(p.locationsToExpand([loc], 5)).toEqual([]);
    p.restartExpansion();
    expect(p.queuedCount()).toBe(0);
    expect(p.locationsToExpand([loc], 5)).toEqual([loc]);
  });

  it("stops when the optional iteration cap or the time budget is used up", () => {
    const p = planner(1, 1_000);
    expect(p.exhausted(0)).toBeNull();
    p.enqueue([candidate(location("a.js", 1, 1), "off_by_one")]);
    p.nextBatch(1);
    expect(p.exhausted(0)).toMatch(/iteration cap of 1/);
    expect(p.budgetStop(0)?.kind).toBe("iteration_cap");
    expect(planner(5, 1_000).exhausted(2_000)).toMatch(/time budget/);
    expect(planner(5, 1_000).budgetStop(2_000)?.kind).toBe("time_budget");
  });

  it("has no iteration cap unless one is given: only the deadline stops it", () => {
    const p = new RepairPlanner(new StrategyBandit({ random: seededRandom(5) }), { deadlineMs: 1_000 });
    for (let i = 0; i < 100; i += 1) {
      p.enqueue([candidate(location("a.js", i + 1, 1), "off_by_one")]);
      p.nextBatch(1);
    }
    expect(p.iterations).toBe(100);
    expect(p.budgetStop(999)).toBeNull();
    expect(p.budgetStop(1_000)?.kind).toBe("time_budget");
  });

  it("keeps the operators' order while the bandit knows nothing of a family, and lets it weigh in once it does", () => {
    // The draw moves a score by at most a quarter either way before any outcome: a candidate with 1.8 times the
    // potential of another comes first whatever the draws (over many seeds).
    const strong = location("a.js", 1, 0.9);
    const weak = location("a.js", 2, 0.5);
    for (let seed = 1; seed <= 40; seed += 1) {
      const p = new RepairPlanner(new StrategyBandit({ random: seededRandom(seed) }), {
        maxIterations: 10,
        deadlineMs: Number.MAX_SAFE_INTEGER,
      });
      p.enqueue([candidate(weak, "binary_operator"), candidate(strong, "off_by_one")]);
      expect(p.nextBatch(1)[0]?.location).toBe(strong);
    }
    // After four failures of a family its draws weigh fully: sometimes the weaker candidate goes first.
    let weakFirst = 0;
    for (let seed = 1; seed <= 40; seed += 1) {
      const bandit = new StrategyBandit({ random: seededRandom(seed) });
      for (let i = 0; i < 4; i += 1) bandit.record("off_by_one", false);
      bandit.record("binary_operator", true);
      const p = new RepairPlanner(bandit, { maxIterations: 10, deadlineMs: Number.MAX_SAFE_INTEGER });
      p.enqueue([candidate(weak, "binary_operator"), candidate(strong, "off_by_one")]);
      if (p.nextBatch(1)[0]?.location === weak) weakFirst += 1;
    }
    expect(weakFirst).toBeGreaterThan(0);
  });

  it("does not hand out a location twice", () => {
    const p = planner();
    const a = location("a.js", 1, 1);
    const b = location("b.js", 1, 0.5);
    expect(p.locationsToExpand([a, b], 1)).toEqual([a]);
    p.markExpanded(a);
    expect(p.locationsToExpand([a, b], 2)).toEqual([b]);
  });

  it("lets a location compete only with at least 0.6 of the best queued candidate's potential", () => {
    const p = planner();
    const stack = location("a.js", 9, 0.8);
    const nearby = location("a.js", 8, 0.25);
    const twin = location("a.js", 10, 0.8);
    // An empty queue leaves every location a chance; the first is expanded, and the weak one waits.
    expect(p.competes(nearby)).toBe(true);
    expect(p.locationsWorthExpanding([stack, nearby, twin], 4)).toEqual([stack, nearby, twin]);
    p.markExpanded(stack);
    p.enqueue([0, 1, 2, 3, 4].map((rank) => candidate(stack, "add_guard", rank)));
    expect(p.competes(nearby)).toBe(false);
    expect(p.competes(twin)).toBe(true);
    expect(p.locationsWorthExpanding([stack, nearby, twin], 4)).toEqual([twin]);
    // Once the best ones are taken, what is left ranks low in its location: the weak location competes.
    p.nextBatch(5);
    p.enqueue([candidate(stack, "add_guard", 12)]);
    expect(p.competes(nearby)).toBe(true);
  });
});
