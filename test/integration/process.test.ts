// Runs real child processes through runProcess: process-group kills, output caps, scrubbed environments, failures.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ProcessFailedError, runProcess, runProcessOrThrow } from "../../src/runtime/process.js";

const fixtures = fileURLToPath(new URL("../fixtures/process/", import.meta.url));
const node = process.execPath;
const fixture = (name: string) => join(fixtures, name);

/** True while `pid` names a running process (a zombie waiting to be reaped counts as gone). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true;
  }
}

async function waitUntilGone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isRunning(pid);
}

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

describe("runProcess", () => {
  it("kills a hung process tree, grandchild included, within the timeout plus two seconds", async () => {
    const started = Date.now();
    const result = await runProcess([node, fixture("stubborn-tree.mjs")], {
      cwd: tmpdir(),
      timeoutMs: 1_500,
      killGraceMs: 500,
    });
    const grandchild = Number(/grandchild (\d+)/.exec(result.stdout)?.[1]);
    leftovers.push(grandchild);
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGKILL");
    expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_500 + 2_000);
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitUntilGone(grandchild, 1_000)).toBe(true);
  });

  it("kills the whole tree at once when aborted, long before its timeout", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = runProcess([node, fixture("stubborn-tree.mjs")], {
      cwd: tmpdir(),
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    const grandchild = Number(/grandchild (\d+)/.exec(result.stdout)?.[1]);
    leftovers.push(grandchild);
    expect(result.signal).toBe("SIGKILL");
    expect(result.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await waitUntilGone(grandchild, 1_000)).toBe(true);
  });

  it("does not wait for a background process that keeps stdout open, and kills it with the group", async () => {
    const started = Date.now();
    const result = await runProcess([node, fixture("background-holder.mjs"), "group"], {
      cwd: tmpdir(),
      timeoutMs: 20_000,
    });
    const background = Number(/background (\d+)/.exec(result.stdout)?.[1]);
    leftovers.push(background);
    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await waitUntilGone(background, 2_000)).toBe(true);
  });

  it("returns even when a daemon that left the process group holds stdout open", async () => {
    const started = Date.now();
    const result = await runProcess([node, fixture("background-holder.mjs"), "session"], {
      cwd: tmpdir(),
      timeoutMs: 20_000,
    });
    const daemon = Number(/background (\d+)/.exec(result.stdout)?.[1]);
    leftovers.push(daemon);
    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("gives an untrusted child no tokens, keys or Action inputs from the parent environment", async () => {
    const planted = {
      GITHUB_TOKEN: "ghs_plantedtoken000000000000",
      FOO_API_KEY: "sk-planted-api-key-1234",
      INPUT_TOKEN: "planted-action-input-123",
      ACTIONS_RUNTIME_TOKEN: "planted-runtime-token-99",
      DATABASE_PASSWORD: "planted-password-xyz",
    };
    const saved = Object.fromEntries(Object.keys(planted).map((name) => [name, process.env[name]]));
    Object.assign(process.env, planted);
    try {
      const result = await runProcess([node, fixture("print-env.mjs")], {
        cwd: tmpdir(),
        env: { RFSN_VISIBLE: "yes", EXTRA_TOKEN: "planted-extra-token-42", COPY: planted.GITHUB_TOKEN },
      });
      const childEnv = JSON.parse(result.stdout) as Record<string, string>;
      for (const [name, value] of Object.entries(planted)) {
        expect(childEnv[name]).toBeUndefined();
        expect(result.stdout).not.toContain(value);
      }
      expect(result.stdout).not.toContain("planted-extra-token-42");
      expect(childEnv.COPY).toBeUndefined();
      expect(childEnv.RFSN_VISIBLE).toBe("yes");
      expect(childEnv.PATH).toBe(process.env.PATH);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("passes the whole environment to a trusted tool", async () => {
    process.env.RFSN_TRUSTED_TEST_TOKEN = "visible-to-trusted-tools";
    try {
      const result = await runProcess([node, fixture("print-env.mjs")], { cwd: tmpdir(), trusted: true });
      expect(JSON.parse(result.stdout).RFSN_TRUSTED_TEST_TOKEN).toBe("visible-to-trusted-tools");
    } finally {
      delete process.env.RFSN_TRUSTED_TEST_TOKEN;
    }
  });

  it("caps a 100 MB printout, keeping its head and tail and saying how much was cut", async () => {
    const result = await runProcess([node, fixture("print-bulk.mjs"), "100"], {
      cwd: tmpdir(),
      maxOutputBytes: 1024 * 1024,
      timeoutMs: 20_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.stdout.startsWith("START\n")).toBe(true);
    expect(result.stdout.endsWith("END\n")).toBe(true);
    expect(result.stdout).toMatch(/\[… \d+ bytes truncated by rfsn …\]/);
    expect(result.stdout.length).toBeLessThan(1024 * 1024 + 200);
    const dropped = Number(/\[… (\d+) bytes truncated/.exec(result.stdout)?.[1]);
    expect(dropped).toBe(100 * 1024 * 1024 + "START\nEND\n".length - 1024 * 1024);
  });

  it("keeps small output whole and interleaves stdout with stderr in arrival order", async () => {
    const result = await runProcess([node, fixture("interleave.mjs"), "3"], { cwd: tmpdir() });
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(result.truncated).toBe(false);
    expect(result.stdout).toBe("one\nthree\n");
    expect(result.stderr).toBe("two\n");
    expect(result.output).toBe("one\ntwo\nthree\n");
    expect(result.durationMs).toBeGreaterThanOrEqual(100);
  });

  it("reports a child killed by a signal by the signal's name", async () => {
    const result = await runProcess([node, fixture("kill-self.mjs"), "SIGTERM"], { cwd: tmpdir() });
    expect(result.signal).toBe("SIGTERM");
    expect(result.exitCode).toBeNull();
    expect(result.timedOut).toBe(false);
  });

  it("reports a command that does not exist instead of throwing", async () => {
    const result = await runProcess(["rfsn-no-such-command-xyz", "--flag"], { cwd: tmpdir() });
    expect(result.startError).toBe("command not found: rfsn-no-such-command-xyz");
    expect(result.exitCode).toBeNull();
  });

  it("reports a missing working directory and an empty command", async () => {
    const missing = await runProcess([node, "--version"], { cwd: join(tmpdir(), "rfsn-does-not-exist-0") });
    expect(missing.startError).toMatch(/working directory does not exist/);
    const empty = await runProcess([], { cwd: tmpdir() });
    expect(empty.startError).toBe("empty command");
  });

  it("says when the process has started, before it ends, and never for a command that cannot start", async () => {
    const events: string[] = [];
    const run = runProcess([node, "-e", "setTimeout(() => {}, 200)"], {
      cwd: tmpdir(),
      onStarted: () => events.push("started"),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    events.push("waited");
    await run;
    expect(events).toEqual(["started", "waited"]);
    const missing = await runProcess(["rfsn-no-such-command-xyz"], {
      cwd: tmpdir(),
      onStarted: () => events.push("started again"),
    });
    expect(missing.startError).toBeDefined();
    expect(events).toEqual(["started", "waited"]);
  });

  it("feeds input to stdin", async () => {
    const result = await runProcess([node, fixture("echo-stdin.mjs")], { cwd: tmpdir(), input: "hello\n" });
    expect(result.stdout).toBe("HELLO\n");
  });

  it("throws ProcessFailedError with the command, exit code and last lines from runProcessOrThrow", async () => {
    await expect(runProcessOrThrow([node, "--version"], { cwd: tmpdir() })).resolves.toMatchObject({
      exitCode: 0,
    });
    const failure = await runProcessOrThrow([node, fixture("interleave.mjs"), "7"], { cwd: tmpdir() }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProcessFailedError);
    expect((failure as Error).message).toMatch(/interleave\.mjs 7` exited with code 7:\none\ntwo\nthree/);
  });
});
