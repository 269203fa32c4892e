import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runRepairSession } from "../../src/repair/session.js";

const temporary: string[] = [];
function copyOf(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-hang-"));
  temporary.push(dir);
  cpSync(source, dir, { recursive: true });
  return dir;
}

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The first timeout a hung baseline's candidates get, as the session reports it. */
function firstCandidateTimeoutMs(messages: readonly string[]): number | undefined {
  for (const message of messages) {
    const match = /the suite hung; candidates' failing tests get (\d+) ms at first/.exec(message);
    if (match) return Number(match[1]);
  }
  return undefined;
}

describe("a repair session on a bug that hangs", () => {
  for (const [language, fixture, fixedLine] of [
    ["Python", "hang-python", /^\+\s+lo = mid \+ 1$/m],
    ["JavaScript", "hang-js", /^\+\s+lo = mid \+ 1;$/m],
  ] as const) {
    it(`repairs an infinite loop (${language}): the hung tests are the failing ones, candidates get seconds`, async () => {
      const messages: string[] = [];
      const report = await runRepairSession({
        projectDir: copyOf(`test/fixtures/sessions/${fixture}`),
        jobs: 2,
        // The baseline waits a third of the budget at most; the candidates that follow get about a second each.
        timeBudgetMs: 45_000,
        onProgress: (message) => messages.push(message),
      });
      expect(report.outcome, report.outcomeReason).toBe("fixed");
      expect(report.patch?.diff).toMatch(fixedLine);
      // The tests that never finished at baseline were the ones to repair.
      expect(report.baseline.failing.length).toBeGreaterThan(0);
      expect(report.baseline.failing.every((test) => /did not finish/.test(test.message ?? ""))).toBe(true);
      // Candidates start from what the passing tests take (milliseconds) plus the command's start, not from 30 s.
      const firstTimeout = firstCandidateTimeoutMs(messages);
      expect(firstTimeout).toBeDefined();
      expect(firstTimeout).toBeLessThanOrEqual(2_000);
      // Candidates that still loop are stopped and counted as timeouts.
      expect(report.candidates.rejectedByValidation.timeout).toBeGreaterThan(0);
    }, 120_000);
  }
});
