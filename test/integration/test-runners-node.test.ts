// Runs real node:test, mocha, jest and vitest projects through their adapters, plus the generic exit-code runner.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TestCaseResult, TestRunResult } from "../../src/core/types.js";
import { confirmFailure, runBaseline } from "../../src/repair/reproduction.js";
import { classifyRun, createTestRunner, rerunFailing } from "../../src/runtime/test-runners/index.js";

const fixtures = join(import.meta.dirname, "../fixtures/runners");

function statuses(tests: TestCaseResult[]): Record<string, string> {
  return Object.fromEntries(tests.map((test) => [test.id, test.status]));
}

function sourceFrame(tests: TestCaseResult[], id: string) {
  return tests.find((test) => test.id === id)?.frames[0];
}

/** The reproduce phase on a fixture that has failing tests. */
async function reproducedFailure(dir: string, argv: string[]) {
  const runner = createTestRunner({ projectDir: dir, argv });
  const input = { runner, cwd: dir, remainingMs: () => 60_000, onTestRun: () => {} };
  const verdict = await runBaseline(input);
  if (verdict.kind !== "unconfirmed") throw new Error("expected failing tests to confirm");
  const reproduction = await confirmFailure(input, verdict.baselineRun, verdict.failing);
  if (reproduction.kind !== "failing") throw new Error(`expected failing tests, got ${reproduction.kind}`);
  return reproduction;
}

describe("node:test adapter", () => {
  const dir = join(fixtures, "node-test-project");

  it("reports nested tests, frames into the source file and per-test coverage", async () => {
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    expect(runner.name).toBe("node-test");
    const result = await runner.run({ cwd: dir, timeoutMs: 30_000, coverage: true });
    expect(statuses(result.tests)).toEqual({
      "test/math.test.js::math > adds two numbers": "passed",
      "test/math.test.js::math > averages values": "failed",
      "test/math.test.js::divides by zero": "failed",
      "test/math.test.js::top level addition": "passed",
      "test/math.test.js::skipped test": "skipped",
    });
    expect(sourceFrame(result.tests, "test/math.test.js::divides by zero")).toMatchObject({
      file: "src/math.js",
      line: 18,
      functionName: "divide",
    });
    expect(result.output).toContain("averages values");
    const average = result.coverage?.get("test/math.test.js::math > averages values")?.get("src/math.js");
    expect([...(average ?? [])]).toEqual(expect.arrayContaining([6, 7, 8, 9, 10]));
    const divide = result.coverage?.get("test/math.test.js::divides by zero")?.get("src/math.js");
    expect(divide?.has(18)).toBe(true);
    expect(divide?.has(19)).toBe(false);
    expect(divide?.has(14)).toBe(false);

    const rerun = await rerunFailing(runner, result, { cwd: dir, timeoutMs: 30_000 });
    expect(rerun.passedOnRerun).toEqual([]);
    expect(statuses(rerun.rerun?.tests ?? [])).toEqual({
      "test/math.test.js::math > averages values": "failed",
      "test/math.test.js::divides by zero": "failed",
    });
  });

  it("cuts per-test coverage from one run: subtests, their parents and tests running side by side", async () => {
    const segmentsDir = join(fixtures, "node-test-segments");
    const runner = createTestRunner({ projectDir: segmentsDir, argv: ["node", "--test"] });
    const result = await runner.run({ cwd: segmentsDir, timeoutMs: 30_000, coverage: true });
    expect(statuses(result.tests)).toMatchObject({
      "test/scale.test.js::parent > child doubles": "passed",
      "test/scale.test.js::concurrent > halves": "failed",
    });
    const lines = (id: string) => [
      ...(result.coverage?.get(`test/scale.test.js::${id}`)?.get("src/scale.js") ?? []),
    ];
    expect(lines("parent > child doubles")).toEqual(expect.arrayContaining([2]));
    expect(lines("parent")).toEqual(expect.arrayContaining([2]));
    expect(lines("concurrent > halves")).toEqual(expect.arrayContaining([10]));
    for (const id of ["parent", "parent > child doubles"]) expect(lines(id)).not.toContain(10);
    expect(lines("concurrent > halves")).not.toContain(2);
    expect(lines("concurrent > triples")).toEqual(expect.arrayContaining([6]));
    // Module code (the declarations) runs while the files load, before any test.
    expect(lines("parent")).not.toContain(1);
  });

  it("counts line runs at no extra cost, so reproducing tells what only the failing tests ran", async () => {
    const reproduction = await reproducedFailure(dir, ["node", "--test"]);
    expect(reproduction.baselineRun.lineCounts?.get("src/math.js")?.get(2)).toBe(5);
    const failingLines = reproduction.pooledCoverage?.failing.get("src/math.js");
    const passingLines = reproduction.pooledCoverage?.passing.get("src/math.js");
    for (const line of [2, 6, 7, 8, 10, 18]) expect(failingLines?.has(line)).toBe(true);
    for (const line of [14, 19]) expect(failingLines?.has(line)).toBe(false);
    // add() (lines 1–3) also ran for passing tests; average() and the division only for failing ones.
    expect([...(passingLines ?? [])].sort((a, b) => a - b)).toEqual([2, 3]);
  });

  it("leaves a failing baseline unconfirmed until the flaky guard re-runs just the failing tests", async () => {
    const runner = createTestRunner({ projectDir: dir, argv: ["node", "--test"] });
    const heard: string[] = [];
    const input = {
      runner,
      cwd: dir,
      remainingMs: () => 60_000,
      onTestRun: (run: TestRunResult) => heard.push(`run of ${run.tests.length}`),
    };
    const verdict = await runBaseline(input);
    expect(verdict.kind).toBe("unconfirmed");
    if (verdict.kind !== "unconfirmed") return;
    expect(heard).toEqual(["run of 5"]);
    expect(verdict.failing).toHaveLength(2);
    const confirmed = await confirmFailure(input, verdict.baselineRun, verdict.failing);
    expect(confirmed).toMatchObject({ kind: "failing", flaky: [] });
    expect(heard).toEqual(["run of 5", "run of 2"]);
  });

  it("fails the hung test file with 'did not finish' when a test file hangs", async () => {
    const hangDir = join(fixtures, "node-test-hang");
    const runner = createTestRunner({ projectDir: hangDir, argv: ["node", "--test"] });
    const result = await runner.run({ cwd: hangDir, timeoutMs: 3_000 });
    expect(result.timedOut).toBe(true);
    expect(classifyRun(result)).toBe("ok");
    // Whether the runner relays the child's first events before the kill depends on when the child flushed them:
    // either the hung file stands as one unfinished test of that file (the runner dequeued it and heard nothing
    // more), or the hanging test itself does.
    const unfinished = result.tests.filter((test) => test.status === "failed");
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]?.message).toBe("did not finish within 3 s");
    expect(unfinished[0]?.file).toBe("test/hang.test.js");
    expect(["test/hang.test.js", "test/hang.test.js::hangs forever"]).toContain(unfinished[0]?.id);
    expect(result.tests.filter((test) => test.status === "passed").map((test) => test.id)).toEqual(
      unfinished[0]?.id === "test/hang.test.js" ? [] : ["test/hang.test.js::finishes"],
    );
  });
});

describe("node:test adapter with a broken test file", () => {
  it("classifies a test file that cannot load as cannot_run", async () => {
    const dir = join(fixtures, "node-test-import-error");
    const runner = createTestRunner({ projectDir: dir, argv: ["node", "--test"] });
    const result = await runner.run({ cwd: dir, timeoutMs: 30_000 });
    expect(classifyRun(result)).toBe("cannot_run");
    expect(result.tests).toMatchObject([{ id: "test/broken.test.js", status: "failed" }]);
    expect(result.output).toContain("missing.js");
  });
});

describe("mocha adapter", () => {
  const dir = join(fixtures, "mocha-project");

  it("reports results, frames and per-test coverage, and selects tests with --grep", async () => {
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    expect(runner.name).toBe("mocha");
    const result = await runner.run({ cwd: dir, timeoutMs: 30_000, coverage: true });
    expect(statuses(result.tests)).toEqual({
      "test/math.spec.js::math adds two numbers": "passed",
      "test/math.spec.js::math averages values": "failed",
      "test/math.spec.js::math divides by zero": "failed",
      "test/math.spec.js::math is skipped": "skipped",
    });
    expect(sourceFrame(result.tests, "test/math.spec.js::math divides by zero")).toMatchObject({
      file: "src/math.js",
      line: 14,
    });
    const adds = result.coverage?.get("test/math.spec.js::math adds two numbers")?.get("src/math.js");
    expect(adds?.has(2)).toBe(true);
    expect(adds?.has(8)).toBe(false);

    const subset = await runner.run({
      cwd: dir,
      timeoutMs: 30_000,
      testIds: ["test/math.spec.js::math adds two numbers"],
    });
    expect(statuses(subset.tests)).toEqual({ "test/math.spec.js::math adds two numbers": "passed" });

    // Coverage of chosen tests of that run, by runs of their own: the same lines as above.
    const chosen = result.tests.filter((test) => test.id === "test/math.spec.js::math adds two numbers");
    const covered = await runner.coverageOf?.(chosen, { cwd: dir, timeoutMs: 30_000 });
    expect([...(covered?.keys() ?? [])]).toEqual(["test/math.spec.js::math adds two numbers"]);
    expect(covered?.get("test/math.spec.js::math adds two numbers")?.get("src/math.js")).toEqual(adds);
  });

  it("pools line counts of the suite and of the failing tests alone", async () => {
    const reproduction = await reproducedFailure(dir, ["npm", "test"]);
    expect(reproduction.pooledCoverage?.failing.get("src/math.js")?.has(14)).toBe(true);
    expect(reproduction.pooledCoverage?.passing.get("src/math.js")?.has(14)).toBe(false);
    expect(reproduction.pooledCoverage?.passing.get("src/math.js")?.has(2)).toBe(true);
  });
});

describe("jest adapter", () => {
  it("reports results with frames into the source file and runs a selected test alone", async () => {
    const dir = join(fixtures, "jest-project");
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    expect(runner.name).toBe("jest");
    expect(runner.supportsCoverage).toBe(true);
    const result = await runner.run({ cwd: dir, timeoutMs: 60_000 });
    expect(statuses(result.tests)).toEqual({
      "test/math.test.js::math > adds two numbers": "passed",
      "test/math.test.js::math > averages values": "failed",
      "test/math.test.js::divides by zero": "failed",
      "test/math.test.js::skipped test": "skipped",
    });
    expect(sourceFrame(result.tests, "test/math.test.js::divides by zero")).toMatchObject({
      file: "src/math.js",
      line: 14,
    });

    const subset = await runner.run({
      cwd: dir,
      timeoutMs: 60_000,
      testIds: ["test/math.test.js::math > adds two numbers"],
    });
    expect(statuses(subset.tests)).toEqual({ "test/math.test.js::math > adds two numbers": "passed" });
  });
});

describe("vitest adapter", () => {
  it("reports a JavaScript project and runs a selected test alone", async () => {
    const dir = join(fixtures, "vitest-js-project");
    const runner = createTestRunner({ projectDir: dir, argv: ["npx", "vitest"] });
    const result = await runner.run({ cwd: dir, timeoutMs: 60_000 });
    expect(statuses(result.tests)).toEqual({
      "test/math.spec.js::math > adds two numbers": "passed",
      "test/math.spec.js::math > averages values": "failed",
      "test/math.spec.js::divides by zero": "failed",
      "test/math.spec.js::skipped test": "skipped",
    });
    expect(result.tests.find((test) => test.status === "failed")?.message).toContain("expected 6 to be 4");
    const subset = await runner.run({
      cwd: dir,
      timeoutMs: 60_000,
      testIds: ["test/math.spec.js::divides by zero"],
    });
    expect(statuses(subset.tests)).toEqual({ "test/math.spec.js::divides by zero": "failed" });
  });

  it("maps frames of a TypeScript project back to the .ts source", async () => {
    const dir = join(fixtures, "vitest-ts-project");
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    const result = await runner.run({ cwd: dir, timeoutMs: 60_000 });
    expect(sourceFrame(result.tests, "test/math.spec.ts::divides by zero")).toMatchObject({
      file: "src/math.ts",
      line: 14,
    });
    expect(result.coverage).toBeUndefined();
  });
});

describe("generic adapter", () => {
  it("passes or fails one synthetic test on the exit code and keeps the output", async () => {
    const failing = createTestRunner({
      projectDir: fixtures,
      argv: ["node", "-e", "console.log('checking'); throw new Error('bad')"],
    });
    expect(failing.name).toBe("generic");
    const result = await failing.run({ cwd: fixtures, timeoutMs: 10_000 });
    expect(result.tests).toHaveLength(1);
    expect(result.tests[0]).toMatchObject({
      status: "failed",
      id: "<node -e console.log('checking'); throw new Error('bad')>",
    });
    expect(result.output).toContain("checking");
    expect(classifyRun(result)).toBe("ok");

    const passing = createTestRunner({ projectDir: fixtures, argv: ["node", "-e", "process.exit(0)"] });
    expect((await passing.run({ cwd: fixtures, timeoutMs: 10_000 })).tests[0]?.status).toBe("passed");
  });

  it("is cannot_run when the command does not exist", async () => {
    const runner = createTestRunner({ projectDir: fixtures, argv: ["rfsn-no-such-command-xyz"] });
    const result = await runner.run({ cwd: fixtures, timeoutMs: 10_000 });
    expect(classifyRun(result)).toBe("cannot_run");
    expect(result.setupError).toContain("rfsn-no-such-command-xyz");
  });
});
