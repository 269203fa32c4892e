// Runs small real vitest projects in a warm vitest session and checks it answers like the cold `vitest run` it replaces.
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import {
  createTestRunner,
  type TestRunner,
  type WarmTestSession,
} from "../../src/runtime/test-runners/index.js";

const repositoryModules = join(import.meta.dirname, "../../node_modules");

const CONFIG = `import { join } from "node:path";
export default { cacheDir: join(import.meta.dirname, ".vitest-cache"), test: { include: ["test/**/*.spec.{js,ts}"] } };
`;

const mathFixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "../fixtures/runners/vitest-js-project", name), "utf8");
const MATH_SOURCE = mathFixture("src/math.js");
const MATH_TEST = mathFixture("test/math.spec.js");

const MATH_IDS = [
  "test/math.spec.js::math > adds two numbers",
  "test/math.spec.js::math > averages values",
  "test/math.spec.js::divides by zero",
];

const VALUE_TEST = `import { expect, test } from "vitest";
import { value } from "../src/value.js";

test("value is two", () => {
  expect(value()).toBe(2);
});
`;
const VALUE_ID = "test/value.spec.js::value is two";

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A vitest project in a temporary directory, its node_modules a link to the repository's. */
async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rfsn-vitest-warm-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await symlink(repositoryModules, join(dir, "node_modules"), "dir");
  const all: Record<string, string> = {
    "package.json":
      '{ "name": "warm-fixture", "private": true, "type": "module", "scripts": { "test": "vitest run" } }',
    "vitest.config.mjs": CONFIG,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** A project whose one test wants `value()` to be 2, with `source` as src/value.js, and its warm session. */
async function valueProject(source: string) {
  const dir = await project({ "src/value.js": source, "test/value.spec.js": VALUE_TEST });
  const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
  return { dir, runner, session: warmSession(runner, dir) };
}

function warmSession(runner: TestRunner, dir: string): WarmTestSession {
  const session = runner.startWarmSession?.(dir);
  if (!session) throw new Error("the vitest runner offers no warm session");
  cleanups.push(() => session.close());
  return session;
}

/** What must be the same between a cold and a warm run (durations aside). */
function comparable(tests: TestCaseResult[]) {
  return tests
    .map(({ durationMs: _duration, ...test }) => test)
    .sort((left, right) => left.id.localeCompare(right.id));
}

function statuses(tests: TestCaseResult[]): Record<string, string> {
  return Object.fromEntries(tests.map((test) => [test.id, test.status]));
}

/** A vitest config for the fixture projects that runs the tests in `pool`. */
function configWithPool(pool: string): string {
  return CONFIG.replace("test: {", `test: { pool: ${JSON.stringify(pool)},`);
}

/** The processes working in `dir`, with their command lines (Linux: from /proc). */
async function processesIn(dir: string): Promise<{ pid: number; command: string }[]> {
  const found: { pid: number; command: string }[] = [];
  for (const pid of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if ((await readlink(`/proc/${pid}/cwd`)) !== dir) continue;
      const command = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
      found.push({ pid: Number(pid), command });
    } catch {
      // The process ended meanwhile, or belongs to someone else.
    }
  }
  return found;
}

/** Waits up to `ms` for `check` to hold, and returns its last answer. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

// Each warm run must start from the state a cold `vitest run` starts from, whatever the previous run left behind.
const COUNTER_SOURCE = "let count = 0;\nexport function next() {\n  count += 1;\n  return count;\n}\n";
const COUNTER_TEST = `import { expect, test } from "vitest";
import { next } from "../src/counter.js";

test("counts from one", () => {
  expect(next()).toBe(1);
  expect(next()).toBe(2);
});
`;
const LEAKING_TEST = `import { expect, test, vi } from "vitest";
import { next } from "../src/counter.js";
import { value } from "../src/value.js";

vi.mock("../src/value.js", () => ({ value: () => 3 }));

test("leaves state behind", () => {
  next();
  globalThis.leaked = "yes";
  process.env.RFSN_LEAKED = "yes";
  Array.prototype.leaked = "yes";
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2000-01-01T00:00:00Z"));
  setInterval(() => {}, 1_000);
  expect(value()).toBe(3);
});
`;
const CLEAN_TEST = `import { expect, test, vi } from "vitest";
import { next } from "../src/counter.js";
import { value } from "../src/value.js";

test("sees nothing of other runs", () => {
  expect(next()).toBe(1);
  expect(value()).toBe(2);
  expect(globalThis.leaked).toBeUndefined();
  expect(process.env.RFSN_LEAKED).toBeUndefined();
  expect([].leaked).toBeUndefined();
  expect(vi.isFakeTimers()).toBe(false);
  expect(new Date().getFullYear()).toBeGreaterThan(2000);
});
`;
const WORKER_TEST = `import { threadId } from "node:worker_threads";
import { expect, test } from "vitest";

test("names its worker", () => {
  expect(\`worker \${process.pid}/\${threadId}\`).toBe("");
});
`;
const COUNTER_ID = "test/counter.spec.js::counts from one";
const LEAKING_ID = "test/leaking.spec.js::leaves state behind";
const CLEAN_ID = "test/clean.spec.js::sees nothing of other runs";
const WORKER_ID = "test/worker.spec.js::names its worker";

describe("warm vitest session", () => {
  it("answers with the same ids, statuses, messages and frames as a cold run", async () => {
    const dir = await project({ "src/math.js": MATH_SOURCE, "test/math.spec.js": MATH_TEST });
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    expect(runner.name).toBe("vitest");
    const cold = await runner.run({ cwd: dir, timeoutMs: 60_000, testIds: MATH_IDS });
    const session = warmSession(runner, dir);
    const warm = await session.run({ testIds: MATH_IDS, timeoutMs: 60_000 });
    expect(statuses(warm.tests)).toEqual({
      "test/math.spec.js::math > adds two numbers": "passed",
      "test/math.spec.js::math > averages values": "failed",
      "test/math.spec.js::divides by zero": "failed",
    });
    expect(comparable(warm.tests)).toEqual(comparable(cold.tests));
    expect(warm.tests.find((test) => test.id === MATH_IDS[2])?.frames[0]).toMatchObject({
      file: "src/math.js",
      line: 18,
    });
    expect(warm).toMatchObject({ runner: "vitest", exitCode: cold.exitCode, timedOut: false });
    expect(warm.setupError).toBeUndefined();
    expect(warm.output).toContain("averages values");

    const one = [MATH_IDS[0] ?? ""];
    const coldOne = await runner.run({ cwd: dir, timeoutMs: 60_000, testIds: one });
    const warmOne = await session.run({ testIds: one, timeoutMs: 60_000 });
    expect(statuses(warmOne.tests)).toEqual({ [one[0] ?? ""]: "passed" });
    expect(comparable(warmOne.tests)).toEqual(comparable(coldOne.tests));
    expect(warmOne.exitCode).toBe(0);

    const coldAll = await runner.run({ cwd: dir, timeoutMs: 60_000 });
    expect(session.runsWholeSuite()).toBe(true);
    const warmAll = await session.run({ timeoutMs: 60_000 });
    expect(statuses(warmAll.tests)).toMatchObject({ "test/math.spec.js::skipped test": "skipped" });
    expect(comparable(warmAll.tests)).toEqual(comparable(coldAll.tests));
  });

  it("sees every edit of the source between runs, also one that keeps the file's size", async () => {
    const dir = await project({
      "src/value.js": "export const value = () => 1;\n",
      "test/value.spec.js": VALUE_TEST,
    });
    const runner = createTestRunner({ projectDir: dir, argv: ["npx", "vitest"] });
    const session = warmSession(runner, dir);
    const run = async () => (await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 })).tests;
    const first = await run();
    expect(statuses(first)).toEqual({ [VALUE_ID]: "failed" });
    expect(first[0]?.message).toContain("expected 1 to be 2");
    for (const [digit, expected] of [
      ["2", "passed"],
      ["3", "failed"],
      ["2", "passed"],
      ["1", "failed"],
    ] as const) {
      // Same size, written well within the same second as the previous run.
      await writeFile(join(dir, "src/value.js"), `export const value = () => ${digit};\n`);
      expect(statuses(await run())).toEqual({ [VALUE_ID]: expected });
    }
    await writeFile(join(dir, "src/value.js"), "export function value() {\n  return 1 + 1;\n}\n");
    expect(statuses(await run())).toEqual({ [VALUE_ID]: "passed" });
    await writeFile(join(dir, "test/value.spec.js"), VALUE_TEST.replace("toBe(2)", "toBe(3)"));
    expect(statuses(await run())).toEqual({ [VALUE_ID]: "failed" });
  });

  it("runs a TypeScript project with frames mapped to the .ts source like a cold run", async () => {
    const dir = await project({
      "src/math.ts":
        'export function divide(a: number, b: number): number {\n  if (b === 0) throw new RangeError("cannot divide by zero");\n  return a / b;\n}\n',
      "test/math.spec.ts":
        'import { expect, test } from "vitest";\nimport { divide } from "../src/math.js";\n\ntest("divides by zero", () => {\n  expect(divide(1, 0)).toBe(Infinity);\n});\n\ntest("divides", () => {\n  const half: number = divide(1, 2);\n  expect(half).toBe(0.5);\n});\n',
    });
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    const ids = ["test/math.spec.ts::divides by zero", "test/math.spec.ts::divides"];
    const cold = await runner.run({ cwd: dir, timeoutMs: 60_000, testIds: ids });
    const session = warmSession(runner, dir);
    const warm = await session.run({ testIds: ids, timeoutMs: 60_000 });
    expect(statuses(warm.tests)).toEqual({ [ids[0] ?? ""]: "failed", [ids[1] ?? ""]: "passed" });
    expect(warm.tests.find((test) => test.id === ids[0])?.frames[0]).toMatchObject({
      file: "src/math.ts",
      line: 2,
    });
    expect(comparable(warm.tests)).toEqual(comparable(cold.tests));

    await writeFile(
      join(dir, "src/math.ts"),
      "export function divide(a: number, b: number): number {\n  if (b === 0) return Infinity;\n  return a / b;\n}\n",
    );
    expect(statuses((await session.run({ testIds: ids, timeoutMs: 60_000 })).tests)).toEqual({
      [ids[0] ?? ""]: "passed",
      [ids[1] ?? ""]: "passed",
    });
  });

  it("fails a test that never ends as unfinished, and the next run starts a new process", async () => {
    const { dir, session } = await valueProject("export function value() {\n  for (;;) {}\n}\n");
    const hung = await session.run({ testIds: [VALUE_ID], timeoutMs: 4_000 });
    expect(hung.timedOut).toBe(true);
    expect(hung.tests).toEqual([
      {
        id: VALUE_ID,
        name: "value is two",
        file: "test/value.spec.js",
        status: "failed",
        message: "did not finish within 4 s",
        frames: [],
      },
    ]);
    expect(hung.durationMs).toBeLessThan(15_000);

    await writeFile(join(dir, "src/value.js"), "export function value() {\n  return 2;\n}\n");
    const next = await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 });
    expect(next.timedOut).toBe(false);
    expect(statuses(next.tests)).toEqual({ [VALUE_ID]: "passed" });
  });

  it("kills the process at once when the run is aborted", async () => {
    const { dir, session } = await valueProject("export function value() {\n  for (;;) {}\n}\n");
    await writeFile(join(dir, "src/value.js"), "export const value = () => 2;\n");
    expect(statuses((await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 })).tests)).toEqual({
      [VALUE_ID]: "passed",
    });

    await writeFile(join(dir, "src/value.js"), "export function value() {\n  for (;;) {}\n}\n");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1_000);
    const aborted = await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000, signal: controller.signal });
    expect(aborted.timedOut).toBe(true);
    expect(aborted.durationMs).toBeLessThan(10_000);
    expect(aborted.tests).toMatchObject([{ id: VALUE_ID, status: "failed" }]);

    await writeFile(join(dir, "src/value.js"), "export const value = () => 2;\n");
    expect(statuses((await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 })).tests)).toEqual({
      [VALUE_ID]: "passed",
    });
  });

  it("reports a syntax error in the source like a cold run, and sees the fix", async () => {
    const { dir, runner, session } = await valueProject("export const value = () => 2;\n");
    expect(statuses((await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 })).tests)).toEqual({
      [VALUE_ID]: "passed",
    });

    await writeFile(join(dir, "src/value.js"), "export const value = () => (2;\n");
    const cold = await runner.run({ cwd: dir, timeoutMs: 60_000, testIds: [VALUE_ID] });
    const warm = await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 });
    expect(cold.setupError).toBe("vitest could not load the test files: test/value.spec.js");
    expect(warm.setupError).toBe(cold.setupError);
    expect(warm.exitCode).toBe(cold.exitCode);
    expect(comparable(warm.tests)).toEqual(comparable(cold.tests));

    await writeFile(join(dir, "src/value.js"), "export const value = () => 2;\n");
    const fixed = await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 });
    expect(fixed.setupError).toBeUndefined();
    expect(statuses(fixed.tests)).toEqual({ [VALUE_ID]: "passed" });
  });

  it("restarts when the vitest config changes, so the new config applies", async () => {
    const { dir, runner, session } = await valueProject("export const value = () => 2;\n");
    expect(statuses((await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 })).tests)).toEqual({
      [VALUE_ID]: "passed",
    });
    await writeFile(join(dir, "vitest.config.mjs"), CONFIG.replace("test/**/*.spec", "test/**/*.check"));
    const cold = await runner.run({ cwd: dir, timeoutMs: 60_000, testIds: [VALUE_ID] });
    const warm = await session.run({ testIds: [VALUE_ID], timeoutMs: 60_000 });
    expect(cold.setupError).toBe("vitest exited with code 1 before running any test");
    expect(warm.tests).toEqual(cold.tests);
    expect(warm.setupError).toBe(cold.setupError);
  });

  // forks and threads get workers started ahead of the run; vmThreads keeps vitest's own pool. All must be fresh.
  it.each(["forks", "threads", "vmThreads"])(
    "runs each request in a %s worker that never ran a test, so nothing of one run reaches the next",
    async (pool) => {
      const dir = await project({
        "vitest.config.mjs": configWithPool(pool),
        "src/counter.js": COUNTER_SOURCE,
        "src/value.js": "export const value = () => 2;\n",
        "test/counter.spec.js": COUNTER_TEST,
        "test/leaking.spec.js": LEAKING_TEST,
        "test/clean.spec.js": CLEAN_TEST,
        "test/worker.spec.js": WORKER_TEST,
      });
      const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
      const session = warmSession(runner, dir);
      const run = async (ids: string[]) => (await session.run({ testIds: ids, timeoutMs: 60_000 })).tests;
      for (let round = 0; round < 3; round += 1) {
        // Module state of the project: the counter starts at zero in every run.
        expect(statuses(await run([COUNTER_ID]))).toEqual({ [COUNTER_ID]: "passed" });
      }
      expect(statuses(await run([LEAKING_ID]))).toEqual({ [LEAKING_ID]: "passed" });
      // A vi.mock, globals, env, prototypes, fake timers and a live interval of the previous run are gone.
      expect(statuses(await run([CLEAN_ID]))).toEqual({ [CLEAN_ID]: "passed" });
      if (pool !== "vmThreads") {
        // In one run too, as cold (vmThreads shares its worker between the files of a run, cold or warm).
        const both = [LEAKING_ID, CLEAN_ID];
        const warmBoth = await run(both);
        const coldBoth = await runner.run({ cwd: dir, timeoutMs: 60_000, testIds: both });
        expect(statuses(warmBoth)).toEqual({ [LEAKING_ID]: "passed", [CLEAN_ID]: "passed" });
        expect(comparable(warmBoth)).toEqual(comparable(coldBoth.tests));
      }
      // Each run has a worker of its own (a new process for forks, a new thread for the thread pools).
      const workers = new Set<string | undefined>();
      for (let round = 0; round < 3; round += 1) {
        const [test] = await run([WORKER_ID]);
        expect(test?.message).toMatch(/worker \d+\/\d+/);
        workers.add(test?.message);
      }
      expect(workers.size).toBe(3);
    },
    120_000,
  );

  it.runIf(process.platform === "linux")(
    "runs each request in a worker started before the request came, and leaves no process behind when closed",
    async () => {
      const dir = await project({ "test/worker.spec.js": WORKER_TEST });
      const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
      const session = runner.startWarmSession?.(dir);
      if (!session) throw new Error("the vitest runner offers no warm session");
      let closed = false;
      cleanups.push(() => {
        if (!closed) session.close();
      });
      const forkWorkers = async () =>
        (await processesIn(dir)).filter(({ command }) => command.includes("vitest/dist/workers/forks.js"));
      const workerOfRun = async () =>
        (await session.run({ testIds: [WORKER_ID], timeoutMs: 60_000 })).tests[0]?.message ?? "";
      expect(await workerOfRun()).toMatch(/worker \d+\/0/);
      for (let round = 0; round < 2; round += 1) {
        // Between runs one worker process waits (the one that ran the last request has been stopped)...
        expect(await eventually(async () => (await forkWorkers()).length === 1)).toBe(true);
        await sleep(300);
        const waiting = await forkWorkers();
        expect(waiting).toHaveLength(1);
        // ...and the next request runs in it.
        expect(await workerOfRun()).toContain(`worker ${waiting[0]?.pid}/0`);
      }
      // A waiting worker that died is not used: the request gets a new one.
      expect(await eventually(async () => (await forkWorkers()).length === 1)).toBe(true);
      const [dead] = await forkWorkers();
      if (!dead) throw new Error("no worker waits");
      process.kill(dead.pid, "SIGKILL");
      expect(await eventually(async () => (await forkWorkers()).length === 0)).toBe(true);
      await sleep(300);
      const next = await workerOfRun();
      expect(next).toMatch(/worker \d+\/0/);
      expect(next).not.toContain(`worker ${dead.pid}/0`);
      session.close();
      closed = true;
      expect(await eventually(async () => (await processesIn(dir)).length === 0)).toBe(true);
    },
    60_000,
  );

  it("takes less time per run than cold runs", async () => {
    const dir = await project({ "src/math.js": MATH_SOURCE, "test/math.spec.js": MATH_TEST });
    const runner = createTestRunner({ projectDir: dir, argv: ["npm", "test"] });
    const failing = MATH_IDS.slice(1);
    const session = warmSession(runner, dir);
    let coldMs = 0;
    let warmMs = 0;
    for (let run = 0; run < 10; run += 1) {
      const cold = await runner.run({ cwd: dir, timeoutMs: 60_000, testIds: failing });
      const warm = await session.run({ testIds: failing, timeoutMs: 60_000 });
      expect(comparable(warm.tests)).toEqual(comparable(cold.tests));
      coldMs += cold.durationMs;
      warmMs += warm.durationMs;
    }
    expect(warmMs / 10).toBeLessThan(coldMs / 10);
  }, 180_000);
});
