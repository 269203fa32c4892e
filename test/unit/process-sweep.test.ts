// The /proc sweep kills exactly the processes that carry a run's marker in their environment, with real processes.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { isSecretVariableName, scrubbedEnvironment } from "../../src/runtime/environment.js";
import { runProcess } from "../../src/runtime/process.js";
import {
  hasEnvironEntry,
  newRunMarker,
  RUN_MARKER_VARIABLE,
  sweepMarkedProcesses,
} from "../../src/runtime/process-sweep.js";

const hasProc = existsSync("/proc/self/environ");
const scratch = mkdtempSync(join(tmpdir(), "rfsn-sweep-"));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A detached, idle node process (its own session, like a daemon) with `extra` in its environment, once it runs. */
async function idleDaemon(extra: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["-e", "process.stdout.write('ready'); setInterval(() => {}, 1000);"],
    {
      detached: true,
      stdio: ["ignore", "pipe", "ignore"],
      env: { PATH: process.env.PATH ?? "", ...extra },
    },
  );
  children.push(child);
  // Until it has exec'd node, /proc shows the environment of this process, not its own.
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once("data", () => resolve());
    child.once("error", reject);
  });
  return child;
}

function exited(child: ChildProcess, ms: number): Promise<NodeJS.Signals | null | "still running"> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("still running"), ms);
    child.once("exit", (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

describe("hasEnvironEntry", () => {
  const entry = Buffer.from("RFSN_RUN_ID=abc");
  it.each([
    ["RFSN_RUN_ID=abc", true],
    ["A=1\0RFSN_RUN_ID=abc\0B=2\0", true],
    ["A=RFSN_RUN_ID=abc\0RFSN_RUN_ID=abc\0", true],
    ["RFSN_RUN_ID=abcd\0", false],
    ["XRFSN_RUN_ID=abc\0", false],
    ["A=RFSN_RUN_ID=abc\0", false],
    ["", false],
  ])("%j holds the entry: %s", (environ, expected) => {
    expect(hasEnvironEntry(Buffer.from(environ), entry)).toBe(expected);
  });
});

describe("the run marker", () => {
  it("has a name the environment scrubbing keeps (it is no secret) and a fresh value each time", () => {
    expect(isSecretVariableName(RUN_MARKER_VARIABLE)).toBe(false);
    const marker = newRunMarker();
    expect(scrubbedEnvironment({}, { [RUN_MARKER_VARIABLE]: marker })[RUN_MARKER_VARIABLE]).toBe(marker);
    expect(newRunMarker()).not.toBe(marker);
  });

  it("is set by runProcess for every run, fresh each time, and options.env cannot replace it", async () => {
    const printEnv = join(
      dirname(fileURLToPath(import.meta.url)),
      "../fixtures/security/processes/print-env.mjs",
    );
    const seen: string[] = [];
    for (const trusted of [false, true]) {
      const result = await runProcess([process.execPath, printEnv], {
        cwd: scratch,
        trusted,
        env: { [RUN_MARKER_VARIABLE]: "chosen-by-the-caller" },
        timeoutMs: 20_000,
      });
      seen.push((JSON.parse(result.stdout) as Record<string, string>)[RUN_MARKER_VARIABLE] ?? "");
    }
    for (const marker of seen) expect(marker).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]).not.toBe(seen[1]);
  });
});

describe.skipIf(!hasProc)("sweepMarkedProcesses on Linux", () => {
  it("kills the detached process carrying the marker and leaves unmarked and look-alike ones running", async () => {
    const marker = newRunMarker();
    const entry = `${RUN_MARKER_VARIABLE}=${marker}`;
    const marked = await idleDaemon({ [RUN_MARKER_VARIABLE]: marker, OTHER: "1" });
    const unmarked = await idleDaemon({ OTHER: "1" });
    const longerValue = await idleDaemon({ [RUN_MARKER_VARIABLE]: `${marker}0` });
    const inAValue = await idleDaemon({ OTHER: entry });

    const started = performance.now();
    const killed = sweepMarkedProcesses([marker]);
    const elapsed = performance.now() - started;

    expect(killed).toEqual([marked.pid]);
    expect(await exited(marked, 2_000)).toBe("SIGKILL");
    for (const survivor of [unmarked, longerValue, inAValue]) {
      expect(await exited(survivor, 200)).toBe("still running");
    }
    // One readdir of /proc and one environ per process: a few milliseconds, not a noticeable pause.
    expect(elapsed).toBeLessThan(500);
  });

  it("still finds a process started after startedAfterMs, and reads everything if the clock went back", async () => {
    const before = Date.now();
    const first = newRunMarker();
    const second = newRunMarker();
    const a = await idleDaemon({ [RUN_MARKER_VARIABLE]: first });
    const b = await idleDaemon({ [RUN_MARKER_VARIABLE]: second });
    expect(sweepMarkedProcesses([first], { startedAfterMs: before })).toEqual([a.pid]);
    expect(sweepMarkedProcesses([second], { startedAfterMs: Date.now() + 3_600_000 })).toEqual([b.pid]);
    expect(await exited(a, 2_000)).toBe("SIGKILL");
    expect(await exited(b, 2_000)).toBe("SIGKILL");
  });

  it("kills the processes of several markers in one sweep", async () => {
    const markers = [newRunMarker(), newRunMarker()];
    const daemons = await Promise.all(markers.map((marker) => idleDaemon({ [RUN_MARKER_VARIABLE]: marker })));
    expect(sweepMarkedProcesses(markers).sort()).toEqual(daemons.map((daemon) => daemon.pid).sort());
  });
});

describe("sweepMarkedProcesses anywhere", () => {
  it("does nothing when there is no /proc (macOS) or no marker", () => {
    expect(sweepMarkedProcesses([newRunMarker()], { procRoot: join(scratch, "no-proc") })).toEqual([]);
    expect(sweepMarkedProcesses([])).toEqual([]);
    expect(sweepMarkedProcesses([""])).toEqual([]);
  });

  it("never kills this process, even when its environment carries the marker", () => {
    const marker = newRunMarker();
    const fakeProc = join(scratch, "fake-proc");
    mkdirSync(join(fakeProc, String(process.pid)), { recursive: true });
    writeFileSync(join(fakeProc, String(process.pid), "environ"), `A=1\0${RUN_MARKER_VARIABLE}=${marker}\0`);
    mkdirSync(join(fakeProc, "self"), { recursive: true });
    mkdirSync(join(fakeProc, "999999999999999999999"), { recursive: true });
    expect(sweepMarkedProcesses([marker], { procRoot: fakeProc })).toEqual([]);
  });
});
