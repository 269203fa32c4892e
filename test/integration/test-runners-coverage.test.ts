// Per-test coverage of vitest and jest projects from the runners' own coverage (istanbul json mapped to the sources).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { createTestRunner } from "../../src/runtime/test-runners/index.js";
import { istanbulExecutedLines } from "../../src/runtime/test-runners/istanbul-coverage.js";
import { testsForCoverage } from "../../src/runtime/test-runners/per-test-coverage.js";
import { hasVitestCoverageProvider } from "../../src/runtime/test-runners/vitest-runner.js";

const fixtures = join(import.meta.dirname, "../fixtures/runners");

function sorted(lines: Set<number> | undefined): number[] {
  return [...(lines ?? [])].sort((a, b) => a - b);
}

describe("vitest coverage", () => {
  it("gives each failing test the lines of the functions it called and nothing else", async () => {
    const dir = join(fixtures, "vitest-ts-project");
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    expect(runner.supportsCoverage).toBe(true);
    expect(runner.cheapCoverage).toBe(false);
    const result = await runner.run({ cwd: dir, timeoutMs: 60_000, coverage: true });
    const coverage = result.coverage;
    expect(coverage).toBeDefined();

    const divide = coverage?.get("test/math.spec.ts::divides by zero");
    expect([...(divide?.keys() ?? [])]).toEqual(["src/math.ts"]);
    expect(sorted(divide?.get("src/math.ts"))).toContain(14);
    expect(sorted(divide?.get("src/math.ts")).some((line) => line <= 10)).toBe(false);

    const average = sorted(coverage?.get("test/math.spec.ts::math > averages values")?.get("src/math.ts"));
    expect(average).toEqual(expect.arrayContaining([2, 8, 10]));
    expect(average).not.toContain(14);

    const passing = sorted(coverage?.get("test/math.spec.ts::math > adds two numbers")?.get("src/math.ts"));
    expect(passing).toContain(2);
    expect(passing).not.toContain(10);
    expect(coverage?.has("test/math.spec.ts::skipped test")).toBe(false);
  });

  it("covers the tests an earlier run reported, and only those, without running the suite again", async () => {
    const dir = join(fixtures, "vitest-ts-project");
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    const plain = await runner.run({ cwd: dir, timeoutMs: 60_000 });
    const divide = plain.tests.filter((test) => test.id === "test/math.spec.ts::divides by zero");
    expect(divide).toHaveLength(1);
    const coverage = await runner.coverageOf?.(divide, { cwd: dir, timeoutMs: 60_000 });
    expect([...(coverage?.keys() ?? [])]).toEqual(["test/math.spec.ts::divides by zero"]);
    const lines = sorted(coverage?.get("test/math.spec.ts::divides by zero")?.get("src/math.ts"));
    expect(lines).toContain(14);
    expect(lines.some((line) => line <= 10)).toBe(false);
  });

  it("offers no coverage when @vitest/coverage-v8 does not resolve from the project", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rfsn-no-coverage-"));
    try {
      await writeFile(join(dir, "package.json"), '{ "scripts": { "test": "vitest run" } }');
      expect(hasVitestCoverageProvider(dir)).toBe(false);
      const runner = createTestRunner({ projectDir: dir, argv: ["npx", "vitest"], runner: "vitest" });
      expect(runner.supportsCoverage).toBe(false);
      expect(runner.coverageOf).toBeUndefined();
      expect(hasVitestCoverageProvider(join(fixtures, "vitest-ts-project"))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("jest coverage", () => {
  it("gives the failing test the lines of the function it called", async () => {
    const dir = join(fixtures, "jest-project");
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    expect(runner.supportsCoverage).toBe(true);
    const result = await runner.run({ cwd: dir, timeoutMs: 60_000, coverage: true });
    const divide = sorted(result.coverage?.get("test/math.test.js::divides by zero")?.get("src/math.js"));
    expect(divide).toContain(14);
    expect(divide).not.toContain(10);
    const average = sorted(
      result.coverage?.get("test/math.test.js::math > averages values")?.get("src/math.js"),
    );
    expect(average).toContain(10);
    expect(average).not.toContain(14);
  });
});

describe("istanbul coverage reports", () => {
  const root = "/repo";

  it("keeps the lines of statements that ran, across every line a statement spans", () => {
    const report = {
      "/repo/src/a.ts": {
        path: "/repo/src/a.ts",
        statementMap: {
          "0": { start: { line: 3, column: 2 }, end: { line: 5, column: 1 } },
          "1": { start: { line: 8, column: 0 }, end: { line: 8, column: 9 } },
          "2": { start: { line: 9, column: 0 }, end: { line: null, column: null } },
          "3": { start: {}, end: {} },
        },
        s: { "0": 2, "1": 0, "2": 1, "3": 4 },
      },
    };
    expect(sorted(istanbulExecutedLines(report, root).get("src/a.ts"))).toEqual([3, 4, 5, 9]);
  });

  it("leaves out test files, dependencies, files outside the project and files where nothing ran", () => {
    const ran = { statementMap: { "0": { start: { line: 1 }, end: { line: 1 } } }, s: { "0": 1 } };
    const report = {
      "/repo/test/a.test.ts": ran,
      "/repo/node_modules/x/index.js": ran,
      "/elsewhere/b.ts": ran,
      "/repo/src/idle.ts": { ...ran, s: { "0": 0 } },
      "/repo/src/used.ts": ran,
      "/repo/src/broken.ts": "not an object",
    };
    expect([...istanbulExecutedLines(report, root).keys()]).toEqual(["src/used.ts"]);
    expect(istanbulExecutedLines(null, root).size).toBe(0);
  });

  it("runs only the first few failing tests alone when asked to", () => {
    const test = (id: string, status: TestCaseResult["status"]): TestCaseResult => ({
      id,
      name: id,
      status,
      frames: [],
    });
    const tests = [test("f1", "failed"), test("f2", "failed"), test("f3", "failed"), test("p1", "passed")];
    expect(testsForCoverage(tests, 10, 2).map((chosen) => chosen.id)).toEqual(["f1", "f2", "p1"]);
  });
});
