// Stack frames, V8 coverage lines, timeouts, run classification and the flaky-test rerun of the test-runner adapters.
import { describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { rerunFailing } from "../../src/runtime/test-runners/flaky-rerun.js";
import { testsForCoverage } from "../../src/runtime/test-runners/per-test-coverage.js";
import { coverageFromTrace } from "../../src/runtime/test-runners/pytest-runner.js";
import { classifyRun } from "../../src/runtime/test-runners/run-classification.js";
import {
  parsePythonTraceback,
  parseV8Stack,
  projectRelativePath,
} from "../../src/runtime/test-runners/stack-frames.js";
import type { TestRunner, TestRunnerResult } from "../../src/runtime/test-runners/types.js";
import { selectableIds, withUnfinishedTests } from "../../src/runtime/test-runners/unfinished-tests.js";
import { lineRunCounts, linesThatRan } from "../../src/runtime/test-runners/v8-coverage.js";

function result(tests: TestCaseResult[], fields: Partial<TestRunnerResult> = {}): TestRunnerResult {
  return {
    runner: "x",
    argv: ["x"],
    exitCode: 1,
    signal: null,
    timedOut: false,
    durationMs: 1,
    output: "",
    tests,
    ...fields,
  };
}

const failed = (id: string): TestCaseResult => ({ id, name: id, status: "failed", frames: [] });
const passed = (id: string): TestCaseResult => ({ id, name: id, status: "passed", frames: [] });

describe("stack frames", () => {
  it("reads V8 frames with and without function names, relative to the project, internals dropped", () => {
    const stack = [
      "TypeError: x is not a function",
      "    at Object.parse [as run] (/p/src/parser.js:10:5)",
      "    at async load (file:///p/src/loader.mjs:3:1)",
      "    at /p/test/a.test.js:7:12",
      "    at new Promise (<anonymous>)",
      "    at Module._compile (node:internal/modules/cjs/loader:1:1)",
      "    at run (/elsewhere/lib.js:1:2)",
    ].join("\n");
    expect(parseV8Stack(stack, "/p")).toEqual([
      { file: "src/parser.js", line: 10, column: 5, functionName: "Object.parse" },
      { file: "src/loader.mjs", line: 3, column: 1, functionName: "load" },
      { file: "test/a.test.js", line: 7, column: 12 },
      { file: "/elsewhere/lib.js", line: 1, column: 2, functionName: "run" },
    ]);
  });

  it("reads native Python tracebacks innermost first", () => {
    const traceback = [
      "Traceback (most recent call last):",
      '  File "/p/tests/test_a.py", line 4, in test_it',
      "    run()",
      '  File "/p/pkg/core.py", line 12, in run',
      "    1 / 0",
      "ZeroDivisionError: division by zero",
    ].join("\n");
    expect(parsePythonTraceback(traceback, "/p")).toEqual([
      { file: "pkg/core.py", line: 12, functionName: "run" },
      { file: "tests/test_a.py", line: 4, functionName: "test_it" },
    ]);
  });

  it("keeps paths outside the project absolute and converts file URLs", () => {
    expect(projectRelativePath("file:///p/a%20b.js", "/p")).toBe("a b.js");
    expect(projectRelativePath("/q/x.js", "/p")).toBe("/q/x.js");
    expect(projectRelativePath("src/x.js", "/p")).toBe("src/x.js");
  });
});

describe("V8 coverage to lines", () => {
  const source = [
    "function used() {",
    "  return 1;",
    "}",
    "function unused() {",
    "  return 2;",
    "}",
    "used();",
    "",
  ].join("\n");
  const offset = (text: string) => source.indexOf(text);

  it("counts lines of ranges that ran and leaves out nested ranges that did not", () => {
    const lines = linesThatRan(
      lineRunCounts(source, [
        { ranges: [{ startOffset: 0, endOffset: source.length, count: 1 }] },
        {
          functionName: "used",
          ranges: [{ startOffset: 0, endOffset: offset("function unused"), count: 1 }],
        },
        {
          functionName: "unused",
          ranges: [{ startOffset: offset("function unused"), endOffset: offset("used();"), count: 0 }],
        },
      ]),
    );
    expect([...lines].sort((a, b) => a - b)).toEqual([1, 2, 3, 7]);
  });

  it("counts a line by its first character, so that a loop header counts the loop's runs and not its body's", () => {
    const loop = "function f(items) {\n  for (const item of items) {\n    use(item);\n  }\n}\n";
    const at = (text: string) => loop.indexOf(text);
    const counts = lineRunCounts(loop, [
      { functionName: "f", ranges: [{ startOffset: 0, endOffset: loop.length - 1, count: 2 }] },
      { ranges: [{ startOffset: at("{\n    use"), endOffset: at("  }\n}"), count: 7 }] },
    ]);
    expect(counts.get(2)).toBe(2);
    expect(counts.get(3)).toBe(7);
    // A line whose first character never ran still counts what ran on it.
    const tail = "if (never) {\n} else { ran(); }\n";
    const elseCounts = lineRunCounts(tail, [
      { ranges: [{ startOffset: 0, endOffset: tail.length, count: 1 }] },
      { ranges: [{ startOffset: tail.indexOf("{\n}"), endOffset: tail.indexOf(" else"), count: 0 }] },
    ]);
    expect(elseCounts.get(2)).toBe(1);
  });

  it("reads the plugin's per-test trace, keeping only project source files", () => {
    const coverage = coverageFromTrace(
      JSON.stringify({
        "tests/test_a.py::test_x": { "calc.py": [1, 2], "tests/helpers.py": [3], "/abs/lib.py": [4] },
      }),
    );
    expect(coverage?.get("tests/test_a.py::test_x")).toEqual(new Map([["calc.py", new Set([1, 2])]]));
    expect(coverageFromTrace("{not json")).toBeUndefined();
    expect(coverageFromTrace(undefined)).toBeUndefined();
  });

  it("covers failing tests first and caps the number of single-test runs", () => {
    const tests = [passed("a"), failed("b"), { ...passed("c"), status: "skipped" as const }, passed("d")];
    expect(testsForCoverage(tests).map((test) => test.id)).toEqual(["b", "a", "d"]);
    expect(testsForCoverage(tests, 2).map((test) => test.id)).toEqual(["b", "a"]);
  });
});

describe("timeouts", () => {
  it("fails started and requested tests that have no result", () => {
    const tests = withUnfinishedTests({
      tests: [passed("t.py::a")],
      timedOut: true,
      timeoutMs: 30_000,
      startedIds: ["t.py::b"],
      requestedIds: ["t.py::a", "t.py::c"],
      argv: ["pytest"],
    });
    expect(tests.map((test) => [test.id, test.status, test.message])).toEqual([
      ["t.py::a", "passed", undefined],
      ["t.py::b", "failed", "did not finish within 30 s"],
      ["t.py::c", "failed", "did not finish within 30 s"],
    ]);
  });

  it("adds one failing test named after the command when it cannot tell which test hung", () => {
    const tests = withUnfinishedTests({ tests: [], timedOut: true, timeoutMs: 5_000, argv: ["npm", "test"] });
    expect(tests).toEqual([
      {
        id: "<npm test>",
        name: "<npm test>",
        status: "failed",
        message: "did not finish within 5 s",
        frames: [],
      },
    ]);
    expect(selectableIds(["<npm test>"], ["npm", "test"])).toEqual([]);
  });

  it("changes nothing when the run finished", () => {
    const tests = [passed("a")];
    expect(withUnfinishedTests({ tests, timedOut: false, timeoutMs: 1, argv: ["x"] })).toBe(tests);
  });
});

describe("classifyRun", () => {
  it("is cannot_run for setup errors and for a non-zero exit without any test", () => {
    expect(classifyRun(result([failed("a")], { setupError: "pytest could not collect the tests" }))).toBe(
      "cannot_run",
    );
    expect(classifyRun(result([], { exitCode: 2 }))).toBe("cannot_run");
  });

  it("is ok for failing tests, for a hang and for an empty but successful run", () => {
    expect(classifyRun(result([failed("a"), passed("b")]))).toBe("ok");
    expect(classifyRun(result([], { exitCode: null, timedOut: true }))).toBe("ok");
    expect(classifyRun(result([], { exitCode: 0 }))).toBe("ok");
  });
});

describe("rerunFailing", () => {
  it("reruns only the failing tests and reports which passed the second time", async () => {
    const requested: string[][] = [];
    const runner: TestRunner = {
      name: "generic",
      argv: ["x"],
      supportsCoverage: false,
      cheapCoverage: false,
      run: async (options) => {
        requested.push(options.testIds ?? []);
        return result([passed("flaky"), failed("broken")]);
      },
    };
    const outcome = await rerunFailing(runner, result([failed("flaky"), failed("broken"), passed("fine")]), {
      cwd: "/",
      timeoutMs: 1000,
    });
    expect(requested).toEqual([["flaky", "broken"]]);
    expect(outcome.passedOnRerun).toEqual(["flaky"]);
    expect(outcome.failedAgain).toEqual(["broken"]);
    const nothing = await rerunFailing(runner, result([passed("fine")]), { cwd: "/", timeoutMs: 1000 });
    expect(nothing).toEqual({ passedOnRerun: [], failedAgain: [], rerun: undefined });
    expect(requested).toHaveLength(1);
  });
});
