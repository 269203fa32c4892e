// The sandbox on real processes: one uid per worktree, the network closed unless opened, namespaces never leaked, warm processes inside, and the refusal to run unsandboxed with secrets.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { renderTextSummary } from "../../src/observability/report-markdown.js";
import { runRepairSession } from "../../src/repair/session.js";
import { runProcess } from "../../src/runtime/process.js";
import { probeIsolation } from "../../src/runtime/sandbox/isolation-probe.js";
import { listRfsnNamespaces } from "../../src/runtime/sandbox/network-namespace.js";
import { openSessionSandbox } from "../../src/runtime/sandbox/session-sandbox.js";
import { createTestRunner } from "../../src/runtime/test-runners/index.js";
import { openRepository, type SourceRepository } from "../../src/runtime/workspace.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const node = process.execPath;
const scratch: string[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "rfsn-sandbox-it-"));
  scratch.push(root);
  chmodSync(root, 0o755);
  const dir = join(root, "project");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function openSandboxed(dir: string, network = false): Promise<SourceRepository> {
  const handle = openSessionSandbox({ network });
  const repository = await openRepository(dir);
  cleanups.push(() => handle.release());
  cleanups.push(() => repository.dispose());
  return repository;
}

async function listener(): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? "");
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, hits };
}

const fetchScript = (port: number) =>
  `fetch("http://127.0.0.1:${port}/probe").then(() => console.log("reached"), () => console.log("unreachable"))`;

const full = process.getuid?.() === 0 && probeIsolation().level === "full";

describe.runIf(full)("the sandbox on real processes", () => {
  it("runs each worktree's code as that worktree's own uid, which cannot write another worktree", async () => {
    const repository = await openSandboxed(project({ "a.txt": "a\n" }));
    const first = await repository.createWorktree();
    const second = await repository.createWorktree();
    const firstUid = statSync(first.dir).uid;
    expect(firstUid).not.toBe(0);
    expect(statSync(second.dir).uid).not.toBe(firstUid);
    const script = `const fs = require("fs");
      const tryWrite = (p) => { try { fs.writeFileSync(p, "x"); return "wrote"; } catch (e) { return e.code; } };
      console.log(JSON.stringify({ uid: process.getuid(), own: tryWrite("own.txt"), other: tryWrite(${JSON.stringify(join(second.dir, "a.txt"))}) }));`;
    const result = await runProcess([node, "-e", script], { cwd: first.dir });
    expect(JSON.parse(result.stdout)).toEqual({ uid: firstUid, own: "wrote", other: "EACCES" });
    expect(readFileSync(join(second.dir, "a.txt"), "utf8")).toBe("a\n");
    // Another uid cannot even look into the first worktree's directory.
    const peek = await runProcess([node, "-e", `require("fs").readdirSync(${JSON.stringify(first.dir)})`], {
      cwd: second.dir,
    });
    expect(peek.exitCode).not.toBe(0);
    expect(peek.stderr).toMatch(/EACCES/);
  });

  it("closes the network by default, and opens it with network: true (what sandbox.network in the config sets)", async () => {
    const { port, hits } = await listener();
    const closed = await openSandboxed(project({ "a.txt": "a\n" }));
    const closedTree = await closed.createWorktree();
    const blocked = await runProcess([node, "-e", fetchScript(port)], { cwd: closedTree.dir });
    expect(blocked.stdout.trim()).toBe("unreachable");
    expect(hits).toEqual([]);
    await closed.dispose();
    // Release this test's first sandbox (the listener's cleanup, pushed first, stays).
    for (const cleanup of cleanups.splice(1).reverse()) await cleanup();

    const open = await openSandboxed(project({ "a.txt": "a\n" }), true);
    const openTree = await open.createWorktree();
    const reached = await runProcess([node, "-e", fetchScript(port)], { cwd: openTree.dir });
    expect(reached.stdout.trim()).toBe("reached");
    expect(hits).toEqual(["/probe"]);
  });

  it("leaves no network namespace behind: not after release, not when RFSN exits, not after it was killed", () => {
    // Other RFSN processes may run meanwhile: only namespaces named after the process that made them count.
    const of = (pid: number | undefined) =>
      listRfsnNamespaces().filter((name) => name.startsWith(`rfsn-${pid}-`));
    const handle = openSessionSandbox();
    const mine = of(process.pid);
    expect(mine).toHaveLength(1);
    handle.release();
    expect(of(process.pid)).toEqual([]);

    const module = join(repoRoot, "dist/src/runtime/sandbox/session-sandbox.js");
    if (!existsSync(module)) execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: "ignore" });
    const opener = (end: string) => [
      "--input-type=module",
      "-e",
      `import { openSessionSandbox } from ${JSON.stringify(module)}; openSessionSandbox(); console.log(process.pid); ${end}`,
    ];
    // A process that exits without releasing: the exit hook removes its namespace.
    const exiting = spawnSync(node, opener("process.exit(0);"), { encoding: "utf8" });
    expect(exiting.status).toBe(0);
    expect(of(Number(exiting.stdout.trim()))).toEqual([]);
    // A process killed outright cannot clean up: the next sandbox removes what a dead RFSN left.
    const killed = spawnSync(node, opener('process.kill(process.pid, "SIGKILL");'), { encoding: "utf8" });
    expect(killed.signal).toBe("SIGKILL");
    const killedPid = Number(killed.stdout.trim());
    expect(of(killedPid)).toHaveLength(1);
    const next = openSessionSandbox();
    expect(of(killedPid)).toEqual([]);
    next.release();
  });

  it("runs kept-alive test processes sandboxed too: another uid that sees no process of RFSN", async () => {
    const files = {
      "package.json":
        '{ "name": "warm", "private": true, "type": "module", "scripts": { "test": "node --test" } }',
      "test/inside.test.js": `import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
test("runs sandboxed", () => {
  assert.notEqual(process.getuid(), 0);
  const visible = readdirSync("/proc").filter((name) => /^\\d+$/.test(name));
  assert.ok(visible.length < 10, \`sees \${visible.length} processes\`);
});
`,
    };
    // Unsandboxed the same test fails: it can fail.
    const plainDir = project(files);
    const plainRunner = createTestRunner({ projectDir: plainDir, argv: ["node", "--test"] });
    const plainSession = plainRunner.startWarmSession?.(plainDir);
    cleanups.push(() => plainSession?.close());
    const ids = ["test/inside.test.js::runs sandboxed"];
    const plain = await plainSession?.run({ timeoutMs: 30_000, testIds: ids });
    expect(plain?.tests.map((test) => test.status)).toEqual(["failed"]);

    const repository = await openSandboxed(project(files));
    const worktree = await repository.createWorktree();
    const runner = createTestRunner({ projectDir: worktree.dir, argv: ["node", "--test"] });
    const session = runner.startWarmSession?.(worktree.dir);
    cleanups.push(() => session?.close());
    const first = await session?.run({ timeoutMs: 30_000, testIds: ids });
    const second = await session?.run({ timeoutMs: 30_000, testIds: ids });
    expect(first?.tests.map((test) => test.status)).toEqual(["passed"]);
    expect(second?.tests.map((test) => test.status)).toEqual(["passed"]);
  });
});

describe("refusing to run repository code unsandboxed while a secret is present", () => {
  const bug = join(repoRoot, "bench/corpus/js-money-round/project");
  const saved = process.env.RFSN_TEST_CANARY_TOKEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.RFSN_TEST_CANARY_TOKEN;
    else process.env.RFSN_TEST_CANARY_TOKEN = saved;
  });

  function copyOfBug(): string {
    const dir = mkdtempSync(join(tmpdir(), "rfsn-refusal-"));
    scratch.push(dir);
    cpSync(bug, join(dir, "project"), { recursive: true });
    return join(dir, "project");
  }

  it("ends cannot_run before any test runs, naming the fix, and reports the isolation", async () => {
    process.env.RFSN_TEST_CANARY_TOKEN = "canary-refusal-123456";
    const report = await runRepairSession({
      projectDir: copyOfBug(),
      testCommand: "node --test",
      sandbox: { maxLevel: "none" },
    });
    expect(report.outcome).toBe("cannot_run");
    expect(report.outcomeReason).toMatch(/RFSN_TEST_CANARY_TOKEN/);
    expect(report.outcomeReason).toMatch(/--allow-unsandboxed/);
    expect(report.outcomeReason).not.toMatch(/canary-refusal/);
    expect(report.testRuns).toBe(0);
    expect(report.isolation?.level).toBe("none");
    expect(renderTextSummary(report)).toMatch(/sandbox: none, network open/);
  });

  it("runs when the operator allows it", async () => {
    process.env.RFSN_TEST_CANARY_TOKEN = "canary-refusal-123456";
    const report = await runRepairSession({
      projectDir: copyOfBug(),
      testCommand: "node --test",
      sandbox: { maxLevel: "none", allowUnsandboxed: true },
    });
    expect(report.outcome).toBe("fixed");
    expect(report.isolation?.level).toBe("none");
  });
});
