import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Proposal, TestRunResult } from "../../src/core/types.js";
import { type ValidationPlan, validateCandidate } from "../../src/repair/candidate-validation.js";
import { WarmSessions } from "../../src/repair/warm-sessions.js";
import { WorktreePool } from "../../src/repair/worktree-pool.js";
import { createTestRunner } from "../../src/runtime/test-runners/index.js";
import { openRepository, type SourceRepository } from "../../src/runtime/workspace.js";

const SOURCE = `export function clamp(value, low, high) {
  if (value < low) return high;
  if (value > high) return high;
  return value;
}

export function double(x) {
  return x * 2;
}
`;

const TESTS = `import assert from "node:assert/strict";
import { test } from "node:test";
import { clamp, double } from "../src/lib.js";

test("clamps below", () => assert.equal(clamp(-5, 0, 10), 0));
test("clamps above", () => assert.equal(clamp(50, 0, 10), 10));
test("keeps inside", () => assert.equal(clamp(5, 0, 10), 5));
test("doubles", () => assert.equal(double(4), 8));
`;

/** A diff of src/lib.js replacing one line, with the whole file as context (as git apply expects). */
function lineDiff(before: string, after: string, line: number, source = SOURCE): string {
  const lines = source.replace(/\n$/, "").split("\n");
  const body = lines.map((text, i) => (i + 1 === line ? `-${before}\n+${after}` : ` ${text}`)).join("\n");
  return `--- a/src/lib.js\n+++ b/src/lib.js\n@@ -1,${lines.length} +1,${lines.length} @@\n${body}\n`;
}

const proposal = (diff: string): Proposal => ({
  id: "p1",
  diff,
  intent: "fix_bug",
  phase: "patch",
  origin: "operator",
  operator: "replace_identifier",
  rationale: "test",
});

let dir: string;
let repository: SourceRepository;
let pool: WorktreePool;
const runs: TestRunResult[] = [];

function plan(overrides: Partial<ValidationPlan> = {}): ValidationPlan {
  return {
    runner: createTestRunner({ projectDir: dir, argv: ["node", "--test"] }),
    failingIds: ["test/lib.test.js::clamps below"],
    passingIds: new Set([
      "test/lib.test.js::clamps above",
      "test/lib.test.js::keeps inside",
      "test/lib.test.js::doubles",
    ]),
    exitCodeOnly: false,
    failingTimeoutMs: 10_000,
    suiteTimeoutMs: 10_000,
    baseDiff: "",
    onTestRun: (run) => runs.push(run),
    ...overrides,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rfsn-validate-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "test"));
  writeFileSync(join(dir, "src/lib.js"), SOURCE);
  writeFileSync(join(dir, "test/lib.test.js"), TESTS);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ type: "module", scripts: { test: "node --test" } }),
  );
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "--quiet");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "init");
  repository = await openRepository(dir);
  pool = await WorktreePool.create(repository, 2);
  // The ids the node runner gives must match the ones the plan names.
  const baseline = await plan().runner.run({ cwd: dir, timeoutMs: 10_000 });
  expect(baseline.tests.filter((t) => t.status === "failed").map((t) => t.id)).toEqual([
    "test/lib.test.js::clamps below",
  ]);
});

afterAll(async () => {
  await pool?.dispose();
  await repository?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("validating a candidate", () => {
  it("finds the right fix plausible after the failing tests and then the whole suite pass", async () => {
    const diff = lineDiff("  if (value < low) return high;", "  if (value < low) return low;", 2);
    const result = await pool.use((worktree) => validateCandidate(worktree, proposal(diff), plan()));
    expect(result, JSON.stringify(result)).toMatchObject({ kind: "plausible" });
    expect(result.testRuns).toBe(2);
    if (result.kind === "plausible") expect(result.diff).toContain("+  if (value < low) return low;");
  });

  it("runs only the suite when told the failing tests alone cost as much, and still judges both", async () => {
    const fix = lineDiff("  if (value < low) return high;", "  if (value < low) return low;", 2);
    const fixed = await pool.use((worktree) =>
      validateCandidate(worktree, proposal(fix), plan({ suiteOnly: true })),
    );
    expect(fixed).toMatchObject({ kind: "plausible", testRuns: 1 });
    expect(fixed.focusedRunMs).toBeUndefined();
    const noFix = lineDiff("  if (value < low) return high;", "  if (value <= low) return high;", 2);
    const rejected = await pool.use((worktree) =>
      validateCandidate(worktree, proposal(noFix), plan({ suiteOnly: true })),
    );
    expect(rejected).toMatchObject({ kind: "tests_failed", testRuns: 1 });
    if (rejected.kind === "tests_failed") expect(rejected.detail).toMatch(/^clamps below: /);
  });

  it("stops at once when aborted, whatever the timeout", async () => {
    const loop = lineDiff("  if (value < low) return high;", "  while (value < low) {}", 2);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await pool.use((worktree) =>
      validateCandidate(
        worktree,
        proposal(loop),
        plan({ failingTimeoutMs: 60_000 }),
        Date.now,
        controller.signal,
      ),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("rejects a candidate after one short run when the failing test still fails", async () => {
    const diff = lineDiff("  if (value < low) return high;", "  if (value <= low) return high;", 2);
    const result = await pool.use((worktree) => validateCandidate(worktree, proposal(diff), plan()));
    expect(result).toMatchObject({ kind: "tests_failed", testRuns: 1 });
  });

  it("rejects a fix that breaks a test that passed before as a regression", async () => {
    const diff = lineDiff(
      "  if (value < low) return high;",
      "  if (value < low) return low; if (value === 5) return 0;",
      2,
    );
    const result = await pool.use((worktree) => validateCandidate(worktree, proposal(diff), plan()));
    expect(result.kind).toBe("regression");
    if (result.kind === "regression") expect(result.detail).toContain("keeps inside");
  });

  it("runs the failing tests and the whole suite in kept-alive processes, judging as cold runs do", async () => {
    const runner = createTestRunner({ projectDir: dir, argv: ["node", "--test"] });
    // The session's baseline: a cold whole-suite run shows the warm processes the suite's files.
    await runner.run({ cwd: dir, timeoutMs: 10_000 });
    const warm = new WarmSessions(runner);
    try {
      const warmRuns: TestRunResult[] = [];
      const warmPlan = plan({
        runner,
        runTests: warm.runTests.bind(warm),
        onTestRun: (run) => warmRuns.push(run),
      });
      const fix = lineDiff("  if (value < low) return high;", "  if (value < low) return low;", 2);
      const breaking = lineDiff(
        "  if (value < low) return high;",
        "  if (value < low) return low; if (value === 5) return 0;",
        2,
      );
      expect(
        await pool.use((worktree) => validateCandidate(worktree, proposal(fix), warmPlan)),
      ).toMatchObject({
        kind: "plausible",
        testRuns: 2,
      });
      const regression = await pool.use((worktree) =>
        validateCandidate(worktree, proposal(breaking), warmPlan),
      );
      expect(regression.kind).toBe("regression");
      // A cold run names RFSN's reporter on its command line; a warm one runs the files in the kept-alive process.
      expect(warmRuns).toHaveLength(4);
      expect(warmRuns.every((run) => !run.argv.some((word) => word.startsWith("--test-reporter")))).toBe(
        true,
      );
    } finally {
      warm.closeAll();
    }
  });

  it("does not hold a flaky test's failure in the whole suite against a fix", async () => {
    // The base diff breaks "doubles": it stands in for a flaky test that failed this time.
    const baseDiff = lineDiff("  return x * 2;", "  return x * 3;", 8);
    const fix = lineDiff(
      "  if (value < low) return high;",
      "  if (value < low) return low;",
      2,
      SOURCE.replace("x * 2", "x * 3"),
    );
    const passingIds = new Set(["test/lib.test.js::clamps above", "test/lib.test.js::keeps inside"]);
    const flakyIds = new Set(["test/lib.test.js::doubles"]);
    const lenient = await pool.use((worktree) =>
      validateCandidate(worktree, proposal(fix), plan({ baseDiff, passingIds, flakyIds })),
    );
    expect(lenient.kind).toBe("plausible");
    const strict = await pool.use((worktree) =>
      validateCandidate(worktree, proposal(fix), plan({ baseDiff, passingIds })),
    );
    expect(strict).toMatchObject({ kind: "tests_failed", detail: expect.stringContaining("doubles") });
  });

  it("reports a partial fix when only some failing tests pass", async () => {
    const diff = lineDiff("  if (value < low) return high;", "  if (value < low) return low;", 2);
    const result = await pool.use((worktree) =>
      validateCandidate(
        worktree,
        proposal(diff),
        plan({ failingIds: ["test/lib.test.js::clamps below", "test/lib.test.js::doubles"] }),
      ),
    );
    // `doubles` already passes here, so both pass: a partial needs one that still fails.
    expect(result.kind).not.toBe("tests_failed");
    const partial = await pool.use((worktree) =>
      validateCandidate(
        worktree,
        proposal(
          lineDiff(
            "  if (value < low) return high;",
            "  if (value < low) return low;",
            2,
            SOURCE.replace("x * 2", "x * 3"),
          ),
        ),
        plan({
          failingIds: ["test/lib.test.js::clamps below", "test/lib.test.js::doubles"],
          baseDiff: lineDiff("  return x * 2;", "  return x * 3;", 8),
        }),
      ),
    );
    expect(partial).toMatchObject({ kind: "partial", fixed: ["test/lib.test.js::clamps below"] });
  });

  it("kills a candidate that loops forever and rejects it as a timeout", async () => {
    const diff = lineDiff("  if (value < low) return high;", "  while (value < low) {}", 2);
    const started = Date.now();
    const result = await pool.use((worktree) =>
      validateCandidate(worktree, proposal(diff), plan({ failingTimeoutMs: 1_500 })),
    );
    expect(result.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("rejects a diff that does not apply without running any test", async () => {
    const diff = lineDiff("  this line is not there", "  nor this", 2);
    const before = runs.length;
    const result = await pool.use((worktree) => validateCandidate(worktree, proposal(diff), plan()));
    expect(result.kind).toBe("apply_failed");
    expect(runs.length).toBe(before);
  });

  it("starts every candidate from the base state, whatever the previous one left", async () => {
    const bad = lineDiff("  return x * 2;", "  return x * 4;", 8);
    await pool.use((worktree) => validateCandidate(worktree, proposal(bad), plan()));
    await pool.use((worktree) => validateCandidate(worktree, proposal(bad), plan()));
    const good = lineDiff("  if (value < low) return high;", "  if (value < low) return low;", 2);
    const results = await Promise.all(
      [1, 2, 3].map(() => pool.use((worktree) => validateCandidate(worktree, proposal(good), plan()))),
    );
    expect(results.map((r) => r.kind)).toEqual(["plausible", "plausible", "plausible"]);
  });
});
