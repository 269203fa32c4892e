// Parses the machine-readable reports of pytest, jest/vitest, mocha and node:test into per-test results.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJestJsonReport } from "../../src/runtime/test-runners/jest-json-report.js";
import { parseJunitReport } from "../../src/runtime/test-runners/junit-report.js";
import { parseMochaReport } from "../../src/runtime/test-runners/mocha-runner.js";
import {
  nodeTestRunResult,
  summarizeNodeTestEvents,
} from "../../src/runtime/test-runners/node-test-events.js";
import { summarizePytestEvents, testsFromJunit } from "../../src/runtime/test-runners/pytest-runner.js";
import { parseJsonLines } from "../../src/runtime/test-runners/test-process.js";

const reports = join(import.meta.dirname, "../fixtures/runners/reports");
const read = (name: string) => readFileSync(join(reports, name), "utf8");

describe("JUnit reports", () => {
  it("reads passed, failed and skipped test cases with messages and decoded details", () => {
    const cases = parseJunitReport(read("pytest-junit.xml"));
    expect(cases.map((testCase) => [testCase.name, testCase.status])).toEqual([
      ["test_add", "passed"],
      ["test_average", "failed"],
      ["test_divide_by_zero", "failed"],
      ["test_skipped", "skipped"],
      ["test_param[1-1]", "passed"],
      ["test_param[2-2]", "passed"],
    ]);
    expect(cases[1]?.message).toBe("assert 6.0 == 4\n +  where 6.0 = average([2, 4, 6])");
    expect(cases[2]?.details).toContain(">       return a / b");
    expect(cases[3]?.message).toBe("not today");
  });

  it("turns pytest JUnit cases into node ids with class names and frames from the traceback text", () => {
    const tests = testsFromJunit(read("pytest-junit.xml"), "/project/pytest-project");
    expect(tests.map((test) => test.id)).toContain("tests/test_calc.py::TestGroup::test_param[2-2]");
    const divide = tests.find((test) => test.name === "test_divide_by_zero");
    expect(divide?.frames.map((frame) => `${frame.file}:${frame.line}`)).toEqual([
      "calc.py:13",
      "tests/test_calc.py:15",
    ]);
  });

  it("reads CDATA, comments and self-closing error elements", () => {
    const xml = `<testsuites><!-- <testcase name="hidden"/> --><testcase name="a" classname="m"><error message="boom"><![CDATA[x < y]]></error></testcase><testcase name="b" classname="m"><skipped/></testcase></testsuites>`;
    expect(parseJunitReport(xml)).toEqual([
      { name: "a", classname: "m", status: "failed", message: "boom", details: "x < y" },
      { name: "b", classname: "m", status: "skipped" },
    ]);
  });
});

describe("pytest plugin events", () => {
  const root = "/project";
  const events = [
    { event: "start", nodeid: "tests/test_a.py::test_ok" },
    {
      event: "report",
      nodeid: "tests/test_a.py::test_ok",
      when: "setup",
      outcome: "passed",
      duration: 0.001,
    },
    { event: "report", nodeid: "tests/test_a.py::test_ok", when: "call", outcome: "passed", duration: 0.002 },
    { event: "report", nodeid: "tests/test_a.py::test_ok", when: "teardown", outcome: "passed", duration: 0 },
    { event: "start", nodeid: "tests/test_a.py::test_bad" },
    { event: "report", nodeid: "tests/test_a.py::test_bad", when: "setup", outcome: "passed" },
    {
      event: "report",
      nodeid: "tests/test_a.py::test_bad",
      when: "call",
      outcome: "failed",
      message: "ZeroDivisionError: division by zero",
      longrepr: "…",
      frames: [
        {
          file: "/usr/lib/python3/site-packages/_pytest/python.py",
          line: 150,
          function: "pytest_pyfunc_call",
        },
        { file: "/project/tests/test_a.py", line: 7, function: "test_bad" },
        { file: "/project/calc.py", line: 3, function: "divide" },
      ],
    },
    {
      event: "report",
      nodeid: "tests/test_a.py::test_fixture",
      when: "setup",
      outcome: "failed",
      longrepr: "E  fixture 'db' not found",
    },
    { event: "start", nodeid: "tests/test_a.py::test_hangs" },
    { event: "report", nodeid: "tests/test_a.py::test_hangs", when: "setup", outcome: "passed" },
    {
      event: "collect_error",
      nodeid: "tests/test_b.py",
      longrepr: "tests/test_b.py:1: in <module>\n    import nope\nE   ModuleNotFoundError",
    },
  ];

  it("folds setup, call and teardown into one result per test, innermost frame first, runner frames dropped", () => {
    const summary = summarizePytestEvents(events, root);
    const bad = summary.tests.find((test) => test.id === "tests/test_a.py::test_bad");
    expect(bad).toMatchObject({
      status: "failed",
      message: "ZeroDivisionError: division by zero",
      file: "tests/test_a.py",
    });
    expect(bad?.frames).toEqual([
      { file: "calc.py", line: 3, functionName: "divide" },
      { file: "tests/test_a.py", line: 7, functionName: "test_bad" },
    ]);
    expect(summary.tests.find((test) => test.id === "tests/test_a.py::test_ok")).toMatchObject({
      status: "passed",
      durationMs: 3,
    });
  });

  it("reports setup errors as failures and collection errors separately", () => {
    const summary = summarizePytestEvents(events, root);
    expect(summary.tests.find((test) => test.id === "tests/test_a.py::test_fixture")?.message).toBe(
      "error in setup: E  fixture 'db' not found",
    );
    expect(summary.collectionErrors).toMatchObject([
      { id: "tests/test_b.py", status: "failed", frames: [{ file: "tests/test_b.py", line: 1 }] },
    ]);
  });

  it("leaves a test that started but never got a verdict out of the results", () => {
    const summary = summarizePytestEvents(events, root);
    expect(summary.tests.map((test) => test.id)).not.toContain("tests/test_a.py::test_hangs");
    expect(summary.started).toContain("tests/test_a.py::test_hangs");
  });
});

describe("jest and vitest JSON reports", () => {
  it("reads statuses, ids with describe blocks, messages and frames into the source file", () => {
    const summary = parseJestJsonReport(read("jest-report.json"), "/project/jest-project");
    expect(summary.executed).toBe(3);
    expect(summary.tests.map((test) => [test.id, test.status])).toEqual([
      ["test/math.test.js::math > adds two numbers", "passed"],
      ["test/math.test.js::math > averages values", "failed"],
      ["test/math.test.js::divides by zero", "failed"],
      ["test/math.test.js::skipped test", "skipped"],
    ]);
    const divide = summary.tests[2];
    expect(divide?.message).toBe("RangeError: cannot divide by zero");
    expect(divide?.frames[0]).toMatchObject({ file: "src/math.js", line: 14, functionName: "divide" });
  });

  it("reports a test file that failed to load as a failed test named after the file", () => {
    const report = JSON.stringify({
      testResults: [
        {
          name: "/p/test/broken.test.js",
          status: "failed",
          message:
            "\u001b[1mCannot find module 'nope' from 'test/broken.test.js'\u001b[22m\n    at Resolver.resolveModule (/p/node_modules/jest-resolve/build/index.js:1:1)",
          assertionResults: [],
        },
      ],
    });
    const summary = parseJestJsonReport(report, "/p");
    expect(summary.executed).toBe(0);
    expect(summary.fileErrors).toEqual(["test/broken.test.js"]);
    expect(summary.tests[0]).toMatchObject({
      id: "test/broken.test.js",
      status: "failed",
      message: "Cannot find module 'nope' from 'test/broken.test.js'",
    });
  });
});

describe("mocha JSON reports", () => {
  it("reads passes, failures with stacks relative to the project, and pending tests", () => {
    const tests = parseMochaReport(read("mocha-report.json"), "/project/mocha-project");
    expect(tests.map((test) => [test.id, test.status])).toEqual([
      ["test/math.spec.js::math adds two numbers", "passed"],
      ["test/math.spec.js::math averages values", "failed"],
      ["test/math.spec.js::math divides by zero", "failed"],
      ["test/math.spec.js::math is skipped", "skipped"],
    ]);
    expect(tests[2]?.frames[0]).toMatchObject({ file: "src/math.js", line: 14, functionName: "divide" });
    expect(tests[1]?.message).toContain("6 !== 4");
  });
});

describe("node:test reporter events", () => {
  const lines = [
    { type: "test:start", name: "math", nesting: 0, file: "/p/test/a.test.js" },
    { type: "test:start", name: "adds", nesting: 1, file: "/p/test/a.test.js" },
    { type: "test:pass", name: "adds", nesting: 1, file: "/p/test/a.test.js", durationMs: 1.4 },
    { type: "test:start", name: "fails", nesting: 1, file: "/p/test/a.test.js" },
    {
      type: "test:fail",
      name: "fails",
      nesting: 1,
      file: "/p/test/a.test.js",
      failureType: "testCodeFailure",
      message: "boom",
      stack:
        "Error: boom\n    at divide (file:///p/src/math.js:3:9)\n    at TestContext.<anonymous> (file:///p/test/a.test.js:6:5)\n    at Test.run (node:internal/test_runner/test:1:1)",
    },
    {
      type: "test:fail",
      name: "math",
      nesting: 0,
      file: "/p/test/a.test.js",
      suite: true,
      failureType: "subtestsFailed",
    },
    {
      type: "test:pass",
      name: "other",
      nesting: 0,
      file: "/p/test/a.test.js",
      skip: "test name does not match pattern",
    },
    { type: "test:pass", name: "later", nesting: 0, file: "/p/test/a.test.js", skip: "not yet" },
    { type: "test:start", name: "stuck", nesting: 0, file: "/p/test/b.test.js" },
    {
      type: "test:fail",
      name: "/p/test/c.test.js",
      nesting: 0,
      file: "/p/test/c.test.js",
      message: "test failed",
    },
  ]
    .map((line) => JSON.stringify(line))
    .join("\n");

  it("builds ids from the file and the nesting path, and drops suites and pattern skips", () => {
    const summary = summarizeNodeTestEvents(parseJsonLines(`${lines}\n{"type":"test:pa`), "/p");
    expect(summary.tests.map((test) => [test.id, test.status])).toEqual([
      ["test/a.test.js::math > adds", "passed"],
      ["test/a.test.js::math > fails", "failed"],
      ["test/a.test.js::later", "skipped"],
      ["test/c.test.js", "failed"],
    ]);
    expect(summary.fileErrors).toEqual(["test/c.test.js"]);
    expect(summary.tests[1]?.frames).toEqual([
      { file: "src/math.js", line: 3, column: 9, functionName: "divide" },
      { file: "test/a.test.js", line: 6, column: 5 },
    ]);
    expect(summary.suites).toEqual(["test/a.test.js::math"]);
    expect(summary.started).toEqual(["test/b.test.js::stuck"]);
  });

  it("makes a test file that hung before reporting its tests an unfinished failing test of that file", () => {
    const records = [
      { type: "file:dequeue", file: "/p/test/a.test.js" },
      { type: "test:pass", name: "adds", nesting: 0, file: "/p/test/a.test.js", durationMs: 2 },
      { type: "file:dequeue", file: "/p/test/loop.test.js" },
    ];
    const summary = summarizeNodeTestEvents(records, "/p");
    expect(summary.unfinishedFiles).toEqual(["test/loop.test.js"]);
    const outcome = { exitCode: null, signal: "SIGKILL", timedOut: true, durationMs: 2_000, output: "" };
    const run = nodeTestRunResult({
      argv: ["node", "--test"],
      command: ["node", "--test"],
      outcome,
      summary,
      timeoutMs: 2_000,
      selected: [],
    });
    expect(run.tests.map((test) => [test.id, test.file, test.status])).toEqual([
      ["test/a.test.js::adds", "test/a.test.js", "passed"],
      ["test/loop.test.js", "test/loop.test.js", "failed"],
    ]);
    expect(run.tests[1]?.message).toMatch(/did not finish/);
  });

  it("answers for a whole test file that was asked for, from its tests", () => {
    const records = [
      { type: "test:pass", name: "adds", nesting: 0, file: "/p/test/loop.test.js", durationMs: 2 },
      { type: "test:pass", name: "ends", nesting: 0, file: "/p/test/loop.test.js", durationMs: 2 },
    ];
    const run = nodeTestRunResult({
      argv: ["node", "--test"],
      command: ["node", "--test", "test/loop.test.js"],
      outcome: { exitCode: 0, signal: null, timedOut: false, durationMs: 50, output: "" },
      summary: summarizeNodeTestEvents(records, "/p"),
      timeoutMs: 2_000,
      selected: ["test/loop.test.js"],
    });
    expect(run.tests.find((test) => test.id === "test/loop.test.js")?.status).toBe("passed");
  });
});
