// An attacker's test in the repository's own suite, run by the real CLI with canary credentials: with the sandbox every attack fails and the bug is still fixed; with it forced off every attack works (so the test can fail).
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeIsolation } from "../../src/runtime/sandbox/isolation-probe.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const attackerFixtures = join(repoRoot, "test/fixtures/security/attacker");
const cli = join(repoRoot, "bin/rfsn.js");
const CANARY = `CANARY${randomBytes(6).toString("hex")}`;
const CANARY_ENV = {
  GITHUB_TOKEN: `ghs_${CANARY}gh`,
  OPENAI_API_KEY: `sk-${CANARY}openai`,
  ACTIONS_RUNTIME_TOKEN: `${CANARY}runtime`,
};

interface AttackResult {
  attack: string;
  succeeded: boolean;
  detail: string;
  language: string;
}

interface Scenario {
  language: "js" | "py";
  sandbox: boolean;
}

interface Outcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  results: AttackResult[];
  listenerHits: string[];
  root: string;
  checkout: string;
  lootDir: string;
  stateDir: string;
  includedConfig: string;
  runId: string;
  before: Map<string, string>;
  after: Map<string, string>;
}

const scratch: string[] = [];
const servers: Server[] = [];

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
}

/** Hashes of the checkout's files (work tree, git config, hooks) and the modes of its git directory. */
function fingerprint(checkout: string, includedConfig: string): Map<string, string> {
  const prints = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = relative(checkout, path);
      if (name === ".git") continue;
      if (entry.isDirectory()) walk(path);
      else prints.set(name, createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  };
  walk(checkout);
  prints.set(".git/config", readFileSync(join(checkout, ".git/config"), "utf8"));
  prints.set(".git/hooks", readdirSync(join(checkout, ".git/hooks")).sort().join(","));
  prints.set(".git mode", (statSync(join(checkout, ".git")).mode & 0o7777).toString(8));
  prints.set("included", readFileSync(includedConfig, "utf8"));
  prints.set("included mode", (statSync(includedConfig).mode & 0o7777).toString(8));
  return prints;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

function attackerProcesses(runId: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmdline.includes(`rfsn-attacker-daemon-${runId}`)) found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

async function runScenario({ language, sandbox }: Scenario): Promise<Outcome> {
  const root = mkdtempSync(join(tmpdir(), "rfsn-attack-"));
  scratch.push(root);
  chmodSync(root, 0o755);
  const lootDir = join(root, "loot");
  mkdirSync(lootDir);
  chmodSync(lootDir, 0o1777);
  const stateDir = join(root, "state");
  mkdirSync(stateDir);
  const runnerTemp = join(root, "runner-temp");
  mkdirSync(runnerTemp);
  const includedConfig = join(runnerTemp, "git-credentials-1234.config");
  writeFileSync(
    includedConfig,
    `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${CANARY}included\n`,
    { mode: 0o644 },
  );

  const hits: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      hits.push(`${request.method} ${request.url} ${body}`);
      response.end("ok");
    });
  });
  server.on("connection", () => hits.push("connection"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  const checkout = join(root, "checkout");
  const bug = language === "js" ? "js-money-round" : "py-median-even";
  cpSync(join(repoRoot, "bench/corpus", bug, "project"), checkout, { recursive: true });
  if (language === "js")
    cpSync(join(attackerFixtures, "attacker.test.js"), join(checkout, "test/attacker.test.js"));
  else cpSync(join(attackerFixtures, "test_attacker.py"), join(checkout, "tests/test_attacker.py"));
  const runId = randomBytes(6).toString("hex");
  writeFileSync(
    join(checkout, "attack-targets.json"),
    JSON.stringify({
      canary: CANARY,
      port,
      lootDir,
      stateDir,
      sourceDir: checkout,
      includedConfig,
      runId,
      killSignal: sandbox ? "SIGKILL" : 0,
    }),
  );
  git(["init", "--quiet", "-b", "main"], checkout);
  git(["add", "-A"], checkout);
  git(
    ["-c", "user.name=dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-m", "bug"],
    checkout,
  );
  git(["remote", "add", "origin", "https://github.com/owner/repo.git"], checkout);
  // What actions/checkout persists: the credential in .git/config (v4) and in an included file (v5+).
  git(
    ["config", "http.https://github.com/.extraheader", `AUTHORIZATION: basic ${CANARY}extraheader`],
    checkout,
  );
  git(["config", `includeIf.gitdir:${checkout}/.git.path`, includedConfig], checkout);
  const before = fingerprint(checkout, includedConfig);

  const testCommand = language === "js" ? "node --test" : "python3 -m pytest -q";
  const args = [
    cli,
    "repair",
    checkout,
    "--json",
    "--test",
    testCommand,
    "--memory",
    join(stateDir, "rfsn.db"),
  ];
  if (!sandbox) args.push("--allow-unsandboxed");
  const env: NodeJS.ProcessEnv = { ...process.env, ...CANARY_ENV, RFSN_LOG_LEVEL: "info" };
  if (sandbox) delete env.RFSN_SANDBOX;
  else env.RFSN_SANDBOX = "off";
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));

  const results: AttackResult[] = [];
  for (const file of readdirSync(lootDir).filter((name) => /^results-.*\.json$/.test(name))) {
    results.push(
      ...(JSON.parse(readFileSync(join(lootDir, file), "utf8")) as { results: AttackResult[] }).results,
    );
  }
  return {
    exitCode,
    stdout,
    stderr,
    results,
    listenerHits: hits,
    root,
    checkout,
    lootDir,
    stateDir,
    includedConfig,
    runId,
    before,
    after: fingerprint(checkout, includedConfig),
  };
}

function succeeded(outcome: Outcome, attack: string): boolean {
  return outcome.results.some((result) => result.attack === attack && result.succeeded);
}

function attempted(outcome: Outcome, attack: string): boolean {
  return outcome.results.some((result) => result.attack === attack);
}

const ATTACKS = [
  "proc-environ-cmdline",
  "git-config-via-worktree",
  "git-config-absolute",
  "git-config-included-file",
  "git-config-set-remote.origin.url",
  "git-config-set-remote.origin.receivepack",
  "write-hooks-via-worktree",
  "write-hooks-absolute",
  "write-source-checkout",
  "write-state-dir",
  "write-other-worktree",
  "signal-rfsn-process",
  "post-to-host-listener",
];

const fullIsolation = process.getuid?.() === 0 && probeIsolation().level === "full";

afterAll(async () => {
  for (const server of servers) server.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  if (!existsSync(join(repoRoot, "dist/src/cli/main.js")))
    execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: "ignore" });
});

describe.runIf(fullIsolation).each(["js", "py"] as const)(
  "an attacker's %s test in the suite",
  (language) => {
    it("finds no secret, reaches nothing, changes nothing, and the bug is still fixed (sandbox on)", async () => {
      const outcome = await runScenario({ language, sandbox: true });
      const report = JSON.parse(outcome.stdout) as { outcome: string; report: { isolation?: unknown } };
      expect(report.outcome).toBe("fixed");
      expect(report.report.isolation).toMatchObject({ level: "full", network: "closed" });
      // The attacker ran (once per test run) and tried everything.
      for (const attack of ATTACKS) expect(attempted(outcome, attack), attack).toBe(true);
      for (const attack of ATTACKS) expect(succeeded(outcome, attack), attack).toBe(false);
      expect(outcome.listenerHits).toEqual([]);
      // No canary anywhere: the files the attacker could write, the CLI's output, the state directory.
      for (const file of [...filesUnder(outcome.lootDir), ...filesUnder(outcome.stateDir)])
        expect(readFileSync(file, "latin1").includes(CANARY), file).toBe(false);
      expect(outcome.stdout.includes(CANARY)).toBe(false);
      expect(outcome.stderr.includes(CANARY)).toBe(false);
      // The checkout, its git config, hooks and the included credential file are as they were (modes restored too).
      expect(outcome.after).toEqual(outcome.before);
      // Nothing RFSN's git did ran the attacker's filter, fsmonitor, hooks or receive-pack.
      for (const planted of ["PWNED-by-worktree-gitdir", "receivepack-ran", "hook-ran"])
        expect(existsSync(join(outcome.lootDir, planted)), planted).toBe(false);
      // No process escaped the run.
      expect(attackerProcesses(outcome.runId)).toEqual([]);
    });

    it("succeeds at every attack when the sandbox is forced off (the test above can fail)", async () => {
      const outcome = await runScenario({ language, sandbox: false });
      const report = JSON.parse(outcome.stdout) as { report: { isolation?: unknown } };
      expect(report.report.isolation).toMatchObject({ level: "none" });
      for (const attack of ATTACKS) expect(succeeded(outcome, attack), attack).toBe(true);
      expect(outcome.listenerHits.some((hit) => hit.includes(CANARY))).toBe(true);
      expect(filesUnder(outcome.lootDir).some((file) => readFileSync(file, "latin1").includes(CANARY))).toBe(
        true,
      );
      expect(outcome.after).not.toEqual(outcome.before);
      // Even unsandboxed, RFSN's git never follows a `.git` file the tests rewrote (item 5 holds on its own).
      expect(existsSync(join(outcome.lootDir, "PWNED-by-worktree-gitdir"))).toBe(false);
    });
  },
);
