// Runs small real node:test projects in a warm node:test session and checks it answers like the cold run it replaces.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { createTestRunner, type WarmTestSession } from "../../src/runtime/test-runners/index.js";

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rfsn-node-warm-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const all: Record<string, string> = {
    "package.json":
      '{ "name": "warm-fixture", "private": true, "type": "module", "scripts": { "test": "node --test" } }',
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

function warmSession(dir: string): { session: WarmTestSession; runner: ReturnType<typeof createTestRunner> } {
  const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
  const session = runner.startWarmSession?.(dir);
  if (!session) throw new Error("the node:test runner offers no warm session");
  cleanups.push(() => session.close());
  return { session, runner };
}

function comparable(tests: TestCaseResult[]) {
  return tests
    .map(({ durationMs: _duration, ...test }) => test)
    .sort((left, right) => left.id.localeCompare(right.id));
}

function statuses(tests: TestCaseResult[]): Record<string, string> {
  return Object.fromEntries(tests.map((test) => [test.id, test.status]));
}

const COUNTER_TEST = `import assert from "node:assert/strict";
import { test } from "node:test";
import { next } from "../src/counter.js";

test("the counter starts at one", () => {
  globalThis.runs = (globalThis.runs ?? 0) + 1;
  assert.equal(globalThis.runs, 1);
  assert.equal(next(), 1);
});
`;
const COUNTER_ID = "test/counter.test.js::the counter starts at one";

describe("warm node:test session", () => {
  it("answers with the same ids, statuses, messages and frames as a cold run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rfsn-node-warm-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(join(import.meta.dirname, "../fixtures/runners/node-test-project"), dir, { recursive: true });
    const { session, runner } = warmSession(dir);
    const testIds = ["test/math.test.js::math > averages values", "test/math.test.js::divides by zero"];
    // A whole run first, as a session's baseline, teaches both which ids are suites.
    await runner.run({ cwd: dir, timeoutMs: 30_000 });
    const cold = await runner.run({ cwd: dir, timeoutMs: 30_000, testIds });
    const warm = await session.run({ testIds, timeoutMs: 30_000, startupTimeoutMs: 10_000 });
    expect(warm.setupError).toBeUndefined();
    expect(comparable(warm.tests)).toEqual(comparable(cold.tests));
    expect(statuses(warm.tests)).toEqual({
      "test/math.test.js::math > averages values": "failed",
      "test/math.test.js::divides by zero": "failed",
    });
    expect(warm.output).toContain("averages values");
  });

  it("runs the whole suite as the last cold whole-suite run found it, and only once one has run", async () => {
    const dir = await project({
      "src/counter.js": "let count = 0;\nexport function next() {\n  count += 1;\n  return count;\n}\n",
      "test/counter.test.js": COUNTER_TEST,
      "test/more.test.js": `import assert from "node:assert/strict";
import { test } from "node:test";
import { next } from "../src/counter.js";

test("counts on", () => {
  next();
  assert.equal(next(), 3);
});
`,
    });
    const { session, runner } = warmSession(dir);
    expect(session.runsWholeSuite()).toBe(false);
    const cold = await runner.run({ cwd: dir, timeoutMs: 30_000 });
    expect(session.runsWholeSuite()).toBe(true);
    const warm = await session.run({ timeoutMs: 30_000, startupTimeoutMs: 10_000 });
    expect(warm.setupError).toBeUndefined();
    expect(warm.exitCode).toBe(cold.exitCode);
    expect(comparable(warm.tests)).toEqual(comparable(cold.tests));
    expect(statuses(warm.tests)).toEqual({
      [COUNTER_ID]: "passed",
      "test/more.test.js::counts on": "failed",
    });
  });

  it("loads the code afresh each run: edits show, module state and globals do not carry over", async () => {
    const counter = "let count = 0;\nexport function next() {\n  count += 1;\n  return count;\n}\n";
    const dir = await project({ "src/counter.js": counter, "test/counter.test.js": COUNTER_TEST });
    const { session } = warmSession(dir);
    for (let run = 0; run < 3; run += 1) {
      const result = await session.run({
        testIds: [COUNTER_ID],
        timeoutMs: 30_000,
        startupTimeoutMs: 10_000,
      });
      expect(statuses(result.tests)).toEqual({ [COUNTER_ID]: "passed" });
    }
    await writeFile(join(dir, "src/counter.js"), counter.replace("count = 0", "count = 1"));
    const edited = await session.run({ testIds: [COUNTER_ID], timeoutMs: 30_000 });
    expect(edited.tests[0]).toMatchObject({ status: "failed", message: expect.stringContaining("2") });
  });

  it("fails a test that never ends as unfinished, and the next run starts a new process", async () => {
    const dir = await project({
      "src/counter.js": "export function next() {\n  for (;;) {}\n}\n",
      "test/counter.test.js": COUNTER_TEST,
    });
    const { session } = warmSession(dir);
    const hung = await session.run({ testIds: [COUNTER_ID], timeoutMs: 3_000 });
    expect(hung.timedOut).toBe(true);
    expect(hung.tests).toMatchObject([
      { id: COUNTER_ID, status: "failed", message: "did not finish within 3 s" },
    ]);
    await writeFile(join(dir, "src/counter.js"), "export function next() {\n  return 1;\n}\n");
    const next = await session.run({ testIds: [COUNTER_ID], timeoutMs: 30_000, startupTimeoutMs: 10_000 });
    expect(statuses(next.tests)).toEqual({ [COUNTER_ID]: "passed" });
  });

  it("reports a test that needs a process of its own as a setup error, so the session runs it cold", async () => {
    const dir = await project({
      "test/cwd.test.js": `import { test } from "node:test";\ntest("moves", () => {\n  process.chdir("..");\n});\n`,
    });
    const { session, runner } = warmSession(dir);
    const warm = await session.run({
      testIds: ["test/cwd.test.js::moves"],
      timeoutMs: 30_000,
      startupTimeoutMs: 10_000,
    });
    expect(warm.setupError).toMatch(/needs a process of its own/);
    const cold = await runner.run({ cwd: dir, timeoutMs: 30_000, testIds: ["test/cwd.test.js::moves"] });
    expect(statuses(cold.tests)).toEqual({ "test/cwd.test.js::moves": "passed" });
  });

  it("offers no warm session when an option needs node's runner process", async () => {
    const dir = await project({ "test/a.test.js": "" });
    const runner = createTestRunner({ projectDir: dir, argv: ["node", "--test", "--test-concurrency=2"] });
    expect(runner.startWarmSession).toBeUndefined();
  });
});
