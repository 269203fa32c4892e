// `rfsn bench` through the CLI entry on two corpus bugs (Python and JavaScript): one JSON object with per-bug results and totals.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const CORPUS = join(import.meta.dirname, "../../bench/corpus");
const BUGS = ["py-discount-threshold", "js-paginate-last-page"];

describe("rfsn bench", () => {
  it("prints {bugs, totals} with the documented fields for the bugs chosen with --only", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      [
        "bench",
        CORPUS,
        "--only",
        BUGS.join(","),
        "--json",
        "--llm",
        "off",
        "--jobs",
        "2",
        "--time-budget",
        "60",
      ],
      { stdout: (text) => out.push(text), stderr: (text) => err.push(text) },
    );
    expect(code, err.join("\n")).toBe(0);
    expect(out).toHaveLength(1);
    const result = JSON.parse(out[0] ?? "") as {
      bugs: Array<Record<string, unknown>>;
      totals: Record<string, unknown>;
    };
    expect(Object.keys(result).sort()).toEqual(["bugs", "totals"]);
    expect(result.bugs.map((bug) => bug.id).sort()).toEqual([...BUGS].sort());
    for (const bug of result.bugs) {
      expect(bug).toMatchObject({
        language: expect.stringMatching(/^(python|javascript)$/),
        outcome: expect.stringMatching(/^(correct|plausible|failed)$/),
        candidatesTried: expect.any(Number),
        testRuns: expect.any(Number),
        durationMs: expect.any(Number),
        suiteRunMs: expect.any(Number),
      });
      expect(bug.testRuns as number).toBeGreaterThanOrEqual(1);
      expect(bug.durationMs as number).toBeGreaterThan(0);
      expect(bug.durationMs as number).toBeLessThan(60_000);
    }
    expect(result.bugs.find((bug) => bug.id === "py-discount-threshold")?.language).toBe("python");
    expect(result.bugs.find((bug) => bug.id === "js-paginate-last-page")?.language).toBe("javascript");
    const { totals } = result;
    expect(totals.bugs).toBe(2);
    // Correct patches are plausible ones that also pass the hidden tests.
    const outcomes = result.bugs.map((bug) => bug.outcome);
    expect(totals.correct).toBe(outcomes.filter((outcome) => outcome === "correct").length);
    expect(totals.plausible).toBe(outcomes.filter((outcome) => outcome !== "failed").length);
    expect((totals.plausible as number) + (totals.failed as number)).toBe(2);
    expect(totals.plausibleRate).toBe((totals.plausible as number) / 2);
    expect(totals.candidatesTried).toBe(
      result.bugs.reduce((sum, bug) => sum + (bug.candidatesTried as number), 0),
    );
    expect(totals.correctRate).toBe((totals.correct as number) / 2);
    expect(totals.durationMs).toBe(result.bugs.reduce((sum, bug) => sum + (bug.durationMs as number), 0));
    expect(totals.overBudget).toBe(0);
    expect(err.join("\n")).toMatch(/py-discount-threshold: \w+ in/);
  });

  it("exits 2 without a corpus directory or when --only matches no bug", async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (text: string) => err.push(text) };
    expect(await main(["bench"], io)).toBe(2);
    expect(await main(["bench", CORPUS, "--only", "no-such-bug", "--llm", "off"], io)).toBe(2);
    expect(err.join("\n")).toMatch(/no bugs found/);
  });
});
