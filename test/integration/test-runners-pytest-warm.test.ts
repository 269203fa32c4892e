// Runs real pytest projects through warm sessions: the same results as cold runs, edits seen between runs, hangs, aborts, collection errors, speed.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import {
  createTestRunner,
  type TestRunner,
  type TestRunnerResult,
  type WarmTestSession,
} from "../../src/runtime/test-runners/index.js";

const ARGV = ["python3", "-m", "pytest", "-q"];
const ADD_TEST = "tests/test_calc.py::test_add";
const ZERO_TEST = "tests/test_calc.py::test_zero";
const HANG_TEST = "tests/test_hang.py::test_hangs";

/** add() subtracts: test_add fails, test_zero passes. */
const CALC_PROJECT: Record<string, string> = {
  "calc.py": "def add(a, b):\n    return a - b\n",
  "tests/test_calc.py": [
    "from calc import add",
    "",
    "",
    "def test_add():",
    "    assert add(2, 3) == 5",
    "",
    "",
    "def test_zero():",
    "    assert add(0, 0) == 0",
    "",
  ].join("\n"),
  "tests/test_hang.py": "def test_hangs():\n    while True:\n        pass\n",
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function makeProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rfsn-warm-project-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) await writeProjectFile(dir, path, text);
  return dir;
}

async function writeProjectFile(dir: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), text);
}

function warmRunner(dir: string): { runner: TestRunner; warm: WarmTestSession } {
  const runner = createTestRunner({ projectDir: dir, argv: ARGV });
  const warm = runner.startWarmSession?.(dir);
  if (!warm) throw new Error("the pytest runner has no warm session");
  cleanups.push(() => warm.close());
  return { runner, warm };
}

/** What must be the same between a warm and a cold run (not durations). */
function comparable(result: TestRunnerResult) {
  return {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    setupError: result.setupError,
    tests: result.tests.map((test: TestCaseResult) => ({
      id: test.id,
      name: test.name,
      file: test.file,
      status: test.status,
      message: test.message,
      frames: test.frames,
    })),
  };
}

function statuses(result: TestRunnerResult): Record<string, string> {
  return Object.fromEntries(result.tests.map((test) => [test.id, test.status]));
}

describe("warm pytest session", () => {
  it("answers like a cold run: the same tests, statuses, messages and frames", async () => {
    const dir = await makeProject(CALC_PROJECT);
    const { runner, warm } = warmRunner(dir);
    const testIds = [ADD_TEST, ZERO_TEST];
    const cold = await runner.run({ cwd: dir, testIds, timeoutMs: 30_000 });
    expect(statuses(cold)).toEqual({ [ADD_TEST]: "failed", [ZERO_TEST]: "passed" });
    for (let round = 0; round < 2; round += 1) {
      const result = await warm.run({ testIds, timeoutMs: 30_000 });
      expect(comparable(result)).toEqual(comparable(cold));
      expect(result.argv.slice(0, 4)).toEqual(ARGV);
    }
    const failing = cold.tests.find((test) => test.id === ADD_TEST);
    expect(failing?.message).toContain("assert -1 == 5");
    expect(failing?.frames[0]).toMatchObject({ file: "tests/test_calc.py", line: 5 });
  });

  it("runs the whole suite like a cold run when given no test ids", async () => {
    const { "tests/test_hang.py": _hangs, ...withoutHang } = CALC_PROJECT;
    const dir = await makeProject(withoutHang);
    const { runner, warm } = warmRunner(dir);
    expect(warm.runsWholeSuite()).toBe(true);
    const cold = await runner.run({ cwd: dir, timeoutMs: 30_000 });
    const whole = await warm.run({ timeoutMs: 30_000 });
    expect(statuses(whole)).toEqual({ [ADD_TEST]: "failed", [ZERO_TEST]: "passed" });
    expect(comparable(whole)).toEqual(comparable(cold));
  });

  // The driver reads the installed distributions once; pytest must still load their plugins on every run.
  it("loads a plugin installed as a distribution (a pytest11 entry point) on every run, like a cold run", async () => {
    const dir = await makeProject({
      "rfsn_greeting_plugin.py": "import pytest\n\n\n@pytest.fixture\ndef greeting():\n    return 'hello'\n",
      "rfsn_greeting_plugin-1.0.dist-info/METADATA":
        "Metadata-Version: 2.1\nName: rfsn-greeting-plugin\nVersion: 1.0\n",
      "rfsn_greeting_plugin-1.0.dist-info/entry_points.txt": "[pytest11]\ngreeting = rfsn_greeting_plugin\n",
      "rfsn_greeting_plugin-1.0.dist-info/RECORD": "rfsn_greeting_plugin.py,,\n",
      "tests/test_greeting.py": "def test_greets(greeting):\n    assert greeting == 'hello'\n",
    });
    const { runner, warm } = warmRunner(dir);
    const cold = await runner.run({ cwd: dir, timeoutMs: 30_000 });
    expect(statuses(cold)).toEqual({ "tests/test_greeting.py::test_greets": "passed" });
    for (let round = 0; round < 3; round += 1) {
      expect(comparable(await warm.run({ timeoutMs: 30_000 }))).toEqual(comparable(cold));
    }
  });

  it("reads the source afresh on every run, also after an edit that keeps the file size", async () => {
    const dir = await makeProject(CALC_PROJECT);
    const { runner, warm } = warmRunner(dir);
    const run = () => warm.run({ testIds: [ADD_TEST], timeoutMs: 30_000 });
    expect(statuses(await run())).toEqual({ [ADD_TEST]: "failed" });

    await writeProjectFile(dir, "calc.py", "def add(a, b):\n    return a + b\n");
    expect(statuses(await run())).toEqual({ [ADD_TEST]: "passed" });

    // Same size as the line before: only the content tells the versions apart.
    await writeProjectFile(dir, "calc.py", "def add(a, b):\n    return a * b\n");
    const broken = await run();
    expect(broken.tests[0]?.message).toContain("assert 6 == 5");
    expect(comparable(broken)).toEqual(
      comparable(await runner.run({ cwd: dir, testIds: [ADD_TEST], timeoutMs: 30_000 })),
    );
  });

  it("rewrites the assertions of a test file edited between runs, and calls a conftest.py hook on every run", async () => {
    const dir = await makeProject({
      ...CALC_PROJECT,
      "conftest.py": [
        "import pytest",
        "",
        "",
        "def pytest_collection_modifyitems(items):",
        "    for item in items:",
        '        if item.name == "test_zero":',
        '            item.add_marker(pytest.mark.skip(reason="skipped by conftest.py"))',
        "",
      ].join("\n"),
    });
    const { runner, warm } = warmRunner(dir);
    const run = () => warm.run({ testIds: [ADD_TEST, ZERO_TEST], timeoutMs: 30_000 });
    const first = await run();
    expect(statuses(first)).toEqual({ [ADD_TEST]: "failed", [ZERO_TEST]: "skipped" });
    expect(first.tests[0]?.message).toContain("assert -1 == 5");
    // The same size again: only the content tells the versions apart.
    const edited = CALC_PROJECT["tests/test_calc.py"]?.replace("== 5", "== 7") ?? "";
    await writeProjectFile(dir, "tests/test_calc.py", edited);
    const second = await run();
    expect(statuses(second)).toEqual({ [ADD_TEST]: "failed", [ZERO_TEST]: "skipped" });
    expect(second.tests[0]?.message).toContain("assert -1 == 7");
    expect(second.tests[0]?.message).toContain("where -1 = add(2, 3)");
    expect(comparable(await run())).toEqual(
      comparable(await runner.run({ cwd: dir, testIds: [ADD_TEST, ZERO_TEST], timeoutMs: 30_000 })),
    );
  });

  it("imports a module file added between runs", async () => {
    const dir = await makeProject(CALC_PROJECT);
    const { warm } = warmRunner(dir);
    expect(statuses(await warm.run({ testIds: [ADD_TEST], timeoutMs: 30_000 }))).toEqual({
      [ADD_TEST]: "failed",
    });
    await writeProjectFile(dir, "arithmetic.py", "def plus(a, b):\n    return a + b\n");
    await writeProjectFile(
      dir,
      "calc.py",
      "from arithmetic import plus\n\n\ndef add(a, b):\n    return plus(a, b)\n",
    );
    expect(statuses(await warm.run({ testIds: [ADD_TEST], timeoutMs: 30_000 }))).toEqual({
      [ADD_TEST]: "passed",
    });
  });

  it("fails a test that never ends with the unfinished-test message, then runs again in a new process", async () => {
    const dir = await makeProject(CALC_PROJECT);
    const { warm } = warmRunner(dir);
    const hung = await warm.run({ testIds: [HANG_TEST, ZERO_TEST], timeoutMs: 3_000 });
    expect(hung.timedOut).toBe(true);
    expect(hung.setupError).toBeUndefined();
    expect(hung.tests.map((test) => [test.id, test.status, test.message])).toEqual([
      [HANG_TEST, "failed", "did not finish within 3 s"],
      [ZERO_TEST, "failed", "did not finish within 3 s"],
    ]);
    const next = await warm.run({ testIds: [ZERO_TEST], timeoutMs: 30_000 });
    expect(next.timedOut).toBe(false);
    expect(statuses(next)).toEqual({ [ZERO_TEST]: "passed" });
  });

  it("kills the process when the run is aborted", async () => {
    const dir = await makeProject(CALC_PROJECT);
    const { warm } = warmRunner(dir);
    await warm.run({ testIds: [ZERO_TEST], timeoutMs: 30_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const aborted = await warm.run({ testIds: [HANG_TEST], timeoutMs: 30_000, signal: controller.signal });
    expect(aborted.durationMs).toBeLessThan(5_000);
    expect(aborted.signal).toBe("SIGKILL");
    expect(aborted.tests.find((test) => test.id === HANG_TEST)?.status).not.toBe("passed");
    expect(statuses(await warm.run({ testIds: [ZERO_TEST], timeoutMs: 30_000 }))).toEqual({
      [ZERO_TEST]: "passed",
    });
  });

  it("reports a collection error like a cold run, and runs normally once the source is fixed", async () => {
    const dir = await makeProject({ ...CALC_PROJECT, "calc.py": "def add(a, b)\n    return a + b\n" });
    const { runner, warm } = warmRunner(dir);
    const broken = await warm.run({ testIds: [ADD_TEST], timeoutMs: 30_000 });
    const cold = await runner.run({ cwd: dir, testIds: [ADD_TEST], timeoutMs: 30_000 });
    expect(broken.setupError).toContain("tests/test_calc.py");
    expect(broken.tests[0]?.message).toContain("SyntaxError");
    expect(comparable(broken)).toEqual(comparable(cold));

    await writeProjectFile(dir, "calc.py", "def add(a, b):\n    return a + b\n");
    const fixed = await warm.run({ testIds: [ADD_TEST], timeoutMs: 30_000 });
    expect(fixed.setupError).toBeUndefined();
    expect(statuses(fixed)).toEqual({ [ADD_TEST]: "passed" });
  });

  it("starts every run from the same state: environment and module changes made by tests do not leak", async () => {
    const dir = await makeProject({
      "tests/test_state.py": [
        "import os",
        "import sys",
        "import types",
        "",
        "",
        "def test_leaves_state_behind():",
        '    assert "RFSN_WARM_LEAK" not in os.environ',
        '    assert "rfsn_made_up_module" not in sys.modules',
        '    os.environ["RFSN_WARM_LEAK"] = "1"',
        '    sys.modules["rfsn_made_up_module"] = types.ModuleType("rfsn_made_up_module")',
        '    sys.path.insert(0, "/nonexistent")',
        '    os.chdir("/")',
        "",
      ].join("\n"),
    });
    const { warm } = warmRunner(dir);
    const id = "tests/test_state.py::test_leaves_state_behind";
    for (let round = 0; round < 3; round += 1) {
      expect(statuses(await warm.run({ testIds: [id], timeoutMs: 30_000 }))).toEqual({ [id]: "passed" });
    }
  });

  it("runs the tests faster than a cold run", async () => {
    const dir = await makeProject(CALC_PROJECT);
    const { runner, warm } = warmRunner(dir);
    const testIds = [ADD_TEST];
    await warm.run({ testIds, timeoutMs: 30_000 });
    const timed = async (run: () => Promise<TestRunnerResult>) => {
      const started = performance.now();
      for (let round = 0; round < 10; round += 1)
        expect(statuses(await run())).toEqual({ [ADD_TEST]: "failed" });
      return (performance.now() - started) / 10;
    };
    const coldAverage = await timed(() => runner.run({ cwd: dir, testIds, timeoutMs: 30_000 }));
    const warmAverage = await timed(() => warm.run({ testIds, timeoutMs: 30_000 }));
    expect(warmAverage).toBeLessThan(coldAverage);
  });
});
