// Runs real pytest projects through the pytest adapter: results, frames, subsets, per-test coverage, hangs, import errors.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyRun, createTestRunner, detectTestCommand } from "../../src/runtime/test-runners/index.js";

const fixtures = join(import.meta.dirname, "../fixtures/runners");
const project = join(fixtures, "pytest-project");

describe("pytest adapter", () => {
  it("reports every test with status, message, frames into the source file and per-test coverage", async () => {
    const detected = await detectTestCommand(project);
    expect(detected?.runner).toBe("pytest");
    const runner = createTestRunner({ projectDir: project, argv: detected?.argv ?? [] });
    expect(runner.cheapCoverage).toBe(true);
    const result = await runner.run({ cwd: project, timeoutMs: 30_000, coverage: true });

    expect(classifyRun(result)).toBe("ok");
    expect(result.exitCode).toBe(1);
    expect(Object.fromEntries(result.tests.map((test) => [test.id, test.status]))).toEqual({
      "tests/test_calc.py::test_add": "passed",
      "tests/test_calc.py::test_average": "failed",
      "tests/test_calc.py::test_divide_by_zero": "failed",
      "tests/test_calc.py::test_skipped": "skipped",
      "tests/test_calc.py::TestGroup::test_param[1-1]": "passed",
      "tests/test_calc.py::TestGroup::test_param[2-2]": "passed",
    });
    const divide = result.tests.find((test) => test.name === "test_divide_by_zero");
    expect(divide?.message).toBe("ZeroDivisionError: division by zero");
    expect(divide?.frames[0]).toEqual({ file: "calc.py", line: 13, functionName: "divide" });
    expect(result.tests.find((test) => test.name === "test_average")?.message).toContain("assert 6.0 == 4");

    const averageLines = result.coverage?.get("tests/test_calc.py::test_average")?.get("calc.py");
    expect([...(averageLines ?? [])].sort((a, b) => a - b)).toEqual([1, 2, 5, 6, 7, 8, 9]);
    expect([
      ...(result.coverage?.get("tests/test_calc.py::test_divide_by_zero")?.get("calc.py") ?? []),
    ]).not.toContain(6);
    expect([...(result.coverage?.get("tests/test_calc.py::test_add")?.keys() ?? [])]).toEqual(["calc.py"]);
  });

  it("runs only the selected node ids", async () => {
    const runner = createTestRunner({ projectDir: project, argv: ["python3", "-m", "pytest", "tests"] });
    const result = await runner.run({
      cwd: project,
      timeoutMs: 30_000,
      testIds: ["tests/test_calc.py::test_average", "tests/test_calc.py::TestGroup::test_param[2-2]"],
    });
    expect(result.tests.map((test) => [test.id, test.status])).toEqual([
      ["tests/test_calc.py::test_average", "failed"],
      ["tests/test_calc.py::TestGroup::test_param[2-2]", "passed"],
    ]);
    expect(result.coverage).toBeUndefined();
  });

  it("fails the test that hangs with a 'did not finish' message and keeps the results before it", async () => {
    const dir = join(fixtures, "pytest-hang");
    const runner = createTestRunner({ projectDir: dir, argv: ["python3", "-m", "pytest"] });
    const result = await runner.run({ cwd: dir, timeoutMs: 4_000 });
    expect(result.timedOut).toBe(true);
    expect(classifyRun(result)).toBe("ok");
    expect(result.tests.map((test) => [test.id, test.status, test.message])).toEqual([
      ["tests/test_hang.py::test_quick", "passed", undefined],
      ["tests/test_hang.py::test_hangs_forever", "failed", "did not finish within 4 s"],
    ]);
  });

  it("classifies an import error during collection as cannot_run", async () => {
    const dir = join(fixtures, "pytest-import-error");
    const runner = createTestRunner({ projectDir: dir, argv: ["pytest"] });
    const result = await runner.run({ cwd: dir, timeoutMs: 30_000 });
    expect(classifyRun(result)).toBe("cannot_run");
    expect(result.setupError).toContain("tests/test_broken.py");
    expect(result.tests[0]?.message).toContain("No module named 'missing_module'");
  });
});
