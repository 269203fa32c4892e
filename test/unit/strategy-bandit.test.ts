import { describe, expect, it } from "vitest";
import { sampleBeta, seededRandom } from "../../src/core/random.js";
import { StrategyBandit } from "../../src/core/strategy-bandit.js";

describe("seeded random numbers", () => {
  it("repeat for the same seed and differ for another", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const value of first) expect(value).toBeGreaterThanOrEqual(0);
  });

  it("give Beta samples whose mean matches alpha / (alpha + beta)", () => {
    const random = seededRandom(3);
    const n = 4000;
    let sum = 0;
    for (let i = 0; i < n; i += 1) sum += sampleBeta(2, 6, random);
    expect(sum / n).toBeCloseTo(0.25, 1);
    let small = 0;
    for (let i = 0; i < n; i += 1) small += sampleBeta(0.5, 0.5, random);
    expect(small / n).toBeCloseTo(0.5, 1);
  });
});

describe("the strategy bandit", () => {
  it("learns to favour a family that produces plausible patches", () => {
    const bandit = new StrategyBandit({ random: seededRandom(1) });
    for (let i = 0; i < 10; i += 1) {
      bandit.record("binary_operator", true);
      bandit.record("delete_statement", false);
    }
    let wins = 0;
    for (let i = 0; i < 200; i += 1)
      if (bandit.sample("binary_operator") > bandit.sample("delete_statement")) wins += 1;
    expect(wins).toBeGreaterThan(190);
  });

  it("takes its priors from outcome memory and quarantines families that never worked", () => {
    const priors = new Map([
      ["off_by_one" as const, { attempts: 40, plausible: 10 }],
      ["swap_statements" as const, { attempts: 30, plausible: 0 }],
    ]);
    const bandit = new StrategyBandit({ random: seededRandom(2), priors });
    expect(bandit.isQuarantined("swap_statements")).toBe(true);
    expect(bandit.isQuarantined("off_by_one")).toBe(false);
    expect(bandit.quarantinedFamilies()).toEqual(["swap_statements"]);
    let total = 0;
    for (let i = 0; i < 100; i += 1) total += bandit.sample("swap_statements");
    expect(total / 100).toBeLessThan(0.05);
  });
});
