import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runRepairSession } from "../../src/repair/session.js";

const temporary: string[] = [];
function copyOf(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-search-end-"));
  temporary.push(dir);
  cpSync(source, dir, { recursive: true });
  return dir;
}

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe("how a repair session's search ends", () => {
  it("widens the search when the candidates run out, then says every candidate was tried", async () => {
    const messages: string[] = [];
    const report = await runRepairSession({
      projectDir: copyOf("test/fixtures/sessions/out-of-reach"),
      jobs: 2,
      timeBudgetMs: 240_000,
      onProgress: (message) => messages.push(message),
    });
    expect(report.outcome).toBe("not_fixed");
    expect(report.searchEnded).toBe("candidates_exhausted");
    expect(report.outcomeReason).toMatch(/every candidate was tried.*widened/);
    // The other function of the suspicious file was searched as well.
    expect(messages.some((message) => /widening the search: the other functions/.test(message))).toBe(true);
    // No iteration cap is set by default.
    expect(report.outcomeReason).not.toMatch(/iteration cap/);
  });

  it("stops at the iteration cap only when one is set", async () => {
    const report = await runRepairSession({
      projectDir: copyOf("test/fixtures/sessions/out-of-reach"),
      jobs: 1,
      maxIterations: 1,
      timeBudgetMs: 120_000,
    });
    expect(report.outcome).toBe("not_fixed");
    expect(report.searchEnded).toBe("iteration_cap");
    expect(report.iterations).toBe(1);
    expect(report.outcomeReason).toMatch(/iteration cap of 1/);
  });

  it("says a plausible patch ended the search", async () => {
    const report = await runRepairSession({
      projectDir: copyOf("examples/quickstart"),
      jobs: 2,
      timeBudgetMs: 120_000,
    });
    expect(report.outcome).toBe("fixed");
    expect(report.searchEnded).toBe("fixed");
  });
});
