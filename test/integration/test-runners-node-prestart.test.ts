// The node:test adapter's prestarted processes: started before the candidate is written, yet as fresh as a cold run.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createTestRunner, type WarmTestSession } from "../../src/runtime/test-runners/index.js";

const fixtures = join(import.meta.dirname, "../fixtures/runners");
const FAILING = ["test/math.test.js::divides by zero"];

const directories: string[] = [];
const sessions: WarmTestSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOf(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-prestart-"));
  directories.push(dir);
  cpSync(join(fixtures, fixture), dir, { recursive: true });
  return dir;
}

const HANGS = "test/hang.test.js::hangs forever";

function hangingProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-prestart-hang-"));
  directories.push(dir);
  mkdirSync(join(dir, "test"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, "test/hang.test.js"),
    'import { test } from "node:test";\ntest("finishes", () => {});\ntest("hangs forever", () => {\n  for (;;) {}\n});\n',
  );
  return dir;
}

function startSession(dir: string): WarmTestSession {
  const runner = createTestRunner({ projectDir: dir, argv: ["node", "--test"] });
  const session = runner.startWarmSession?.(dir);
  if (!session) throw new Error("node:test has no prestarted session");
  sessions.push(session);
  return session;
}

describe("prestarted node:test processes", () => {
  it("read the code as it is when released, not when started", async () => {
    const dir = copyOf("node-test-project");
    const session = startSession(dir);
    const first = await session.run({ testIds: FAILING, timeoutMs: 30_000 });
    expect(first.tests.map((test) => [test.id, test.status])).toEqual([[FAILING[0], "failed"]]);
    // The next process is already waiting; the fix is written only now.
    await sleep(300);
    writeFileSync(
      join(dir, "src/math.js"),
      readFileSync(join(dir, "src/math.js"), "utf8").replace(
        /export function divide\(a, b\) \{/,
        "export function divide(a, b) {\n  if (b === 0) return Number.POSITIVE_INFINITY;",
      ),
    );
    const second = await session.run({ testIds: FAILING, timeoutMs: 30_000 });
    expect(second.tests.map((test) => [test.id, test.status])).toEqual([[FAILING[0], "passed"]]);
  });

  it("count the timeout and the duration from the release, and kill a hung run", async () => {
    const session = startSession(hangingProject());
    await session.run({ testIds: [HANGS], timeoutMs: 1_000 });
    // The next process waits longer than the timeout before it is released: only the run itself counts.
    await sleep(1_500);
    const held = await session.run({ testIds: [HANGS], timeoutMs: 1_000 });
    expect(held.timedOut).toBe(true);
    expect(held.tests.find((test) => test.id === HANGS)?.message).toBe("did not finish within 1 s");
    expect(held.durationMs).toBeGreaterThanOrEqual(900);
    expect(held.durationMs).toBeLessThan(1_450);
  });

  it("stop a released run when its signal aborts", async () => {
    const session = startSession(hangingProject());
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 500);
    const aborted = await session.run({ testIds: [HANGS], timeoutMs: 30_000, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(aborted.signal).toBe("SIGKILL");
    expect(aborted.tests.some((test) => test.id === HANGS && test.status === "passed")).toBe(false);
  });
});
