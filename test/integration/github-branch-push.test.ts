// Pushing repair branches to a real bare repository as origin: the branch lands, existing branches are never touched,
// failures are typed, and the token never shows in argv, output or logs.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ProcessRunner,
  PushRejectedError,
  pushRepairBranch,
  RemoteUnreachableError,
  UnsafeBranchError,
} from "../../src/github/branch-push.js";
import { runProcess } from "../../src/runtime/process.js";

const TOKEN = "ghs_SuperSecretToken0123456789abcdef";
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");

let root: string;
let origin: string;
let work: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "core.hooksPath=/dev/null", ...args], {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  }).trim();
}

function commitOnBranch(branch: string, content: string): string {
  git(work, "checkout", "-q", "-B", branch, "main");
  writeFileSync(join(work, "fix.txt"), content);
  git(work, "add", "fix.txt");
  git(work, "commit", "-q", "-m", `fix ${content}`);
  const sha = git(work, "rev-parse", "HEAD");
  git(work, "checkout", "-q", "main");
  return sha;
}

interface Recorder {
  runner: ProcessRunner;
  argvs: string[][];
  envs: Array<Record<string, string | undefined>>;
  outputs: string[];
}

function recorder(): Recorder {
  const recorded: Recorder = { argvs: [], envs: [], outputs: [], runner: async () => ({}) as never };
  recorded.runner = async (argv, options) => {
    recorded.argvs.push(argv);
    recorded.envs.push(options.env ?? {});
    const result = await runProcess(argv, options);
    recorded.outputs.push(result.output);
    return result;
  };
  return recorded;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "rfsn-push-"));
  origin = join(root, "origin.git");
  work = join(root, "work");
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", origin]);
  execFileSync("git", ["init", "-q", "-b", "main", work]);
  writeFileSync(join(work, "README.md"), "hello\n");
  git(work, "add", "README.md");
  git(work, "commit", "-q", "-m", "initial");
  git(work, "remote", "add", "origin", `file://${origin}`);
  git(work, "push", "-q", "origin", "main");
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("pushing a repair branch", () => {
  it("creates the branch on origin at the local commit", async () => {
    const sha = commitOnBranch("rfsn/fix/abc1234-1", "one");
    const result = await pushRepairBranch({ dir: work, branch: "rfsn/fix/abc1234-1", token: TOKEN });
    expect(result).toEqual({ branch: "rfsn/fix/abc1234-1", commit: sha });
    expect(git(origin, "rev-parse", "refs/heads/rfsn/fix/abc1234-1")).toBe(sha);
  });

  it("refuses to overwrite a branch that already exists on origin", async () => {
    const first = commitOnBranch("rfsn/fix/taken", "first");
    await pushRepairBranch({ dir: work, branch: "rfsn/fix/taken", token: TOKEN });
    git(work, "branch", "-q", "-D", "rfsn/fix/taken");
    commitOnBranch("rfsn/fix/taken", "second");
    const attempt = pushRepairBranch({ dir: work, branch: "rfsn/fix/taken", token: TOKEN });
    await expect(attempt).rejects.toBeInstanceOf(PushRejectedError);
    await expect(attempt).rejects.toThrow(/already exists on origin/);
    expect(git(origin, "rev-parse", "refs/heads/rfsn/fix/taken")).toBe(first);
  });

  it("refuses branches outside rfsn/ before running git at all", async () => {
    const recorded = recorder();
    await expect(
      pushRepairBranch({ dir: work, branch: "main", token: TOKEN, runner: recorded.runner }),
    ).rejects.toBeInstanceOf(UnsafeBranchError);
    await expect(
      pushRepairBranch({ dir: work, branch: "rfsn/../main", token: TOKEN, runner: recorded.runner }),
    ).rejects.toBeInstanceOf(UnsafeBranchError);
    expect(recorded.argvs).toEqual([]);
  });

  it("reports an unreachable remote", async () => {
    commitOnBranch("rfsn/fix/lost", "x");
    git(work, "remote", "set-url", "origin", `file://${join(root, "missing.git")}`);
    const attempt = pushRepairBranch({ dir: work, branch: "rfsn/fix/lost", token: TOKEN });
    await expect(attempt).rejects.toBeInstanceOf(RemoteUnreachableError);
  });

  it("reports a push the remote rejects", async () => {
    commitOnBranch("rfsn/fix/declined", "x");
    const hook = join(origin, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'branch protected by policy' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    const attempt = pushRepairBranch({ dir: work, branch: "rfsn/fix/declined", token: TOKEN });
    await expect(attempt).rejects.toBeInstanceOf(PushRejectedError);
    await expect(attempt).rejects.toThrow(/rejected/);
  });

  it("reports a missing local branch", async () => {
    await expect(
      pushRepairBranch({ dir: work, branch: "rfsn/fix/never-made", token: TOKEN }),
    ).rejects.toThrow(/no local branch rfsn\/fix\/never-made/);
  });

  it("never puts the token in argv, output or logs, and hands it to git through the environment", async () => {
    commitOnBranch("rfsn/fix/secret", "x");
    const recorded = recorder();
    const logs: string[] = [];
    await pushRepairBranch({
      dir: work,
      branch: "rfsn/fix/secret",
      token: TOKEN,
      runner: recorded.runner,
      log: (line) => logs.push(line),
    });
    const visible = JSON.stringify({ argv: recorded.argvs, outputs: recorded.outputs, logs });
    expect(visible).not.toContain(TOKEN);
    expect(visible).not.toContain(BASIC);
    expect(
      recorded.argvs.some(
        (argv) => argv.includes("push") && !argv.includes("--force") && !argv.includes("-f"),
      ),
    ).toBe(true);
    const pushEnv = recorded.envs[recorded.argvs.findIndex((argv) => argv.includes("push"))] ?? {};
    expect(pushEnv.GIT_CONFIG_VALUE_1).toBe(`AUTHORIZATION: basic ${BASIC}`);
    const configured = execFileSync(
      "git",
      ["config", "--get-urlmatch", "http.extraheader", `file://${origin}`],
      {
        cwd: work,
        encoding: "utf8",
        env: { ...process.env, ...pushEnv } as NodeJS.ProcessEnv,
      },
    ).trim();
    expect(configured).toBe(`AUTHORIZATION: basic ${BASIC}`);
  });

  it("keeps the token out of error messages", async () => {
    commitOnBranch("rfsn/fix/err", "x");
    git(work, "remote", "set-url", "origin", `file://${join(root, TOKEN)}`);
    const error = await pushRepairBranch({ dir: work, branch: "rfsn/fix/err", token: TOKEN }).catch(
      (caught: Error) => caught,
    );
    expect(error).toBeInstanceOf(RemoteUnreachableError);
    expect(
      `${(error as RemoteUnreachableError).message} ${(error as RemoteUnreachableError).detail}`,
    ).not.toContain(TOKEN);
  });

  it("replaces an Authorization header that actions/checkout persisted, sending exactly one", async () => {
    commitOnBranch("rfsn/fix/http", "x");
    const seen: string[][] = [];
    const server = createServer((request, response) => {
      seen.push(
        request.rawHeaders.filter(
          (_, index) => index % 2 === 1 && /^authorization$/i.test(request.rawHeaders[index - 1] ?? ""),
        ),
      );
      response.writeHead(404);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      git(work, "remote", "set-url", "origin", `http://127.0.0.1:${port}/octo-org/service.git`);
      git(work, "config", `http.http://127.0.0.1:${port}/.extraheader`, "AUTHORIZATION: basic c3RhbGU=");
      const attempt = pushRepairBranch({
        dir: work,
        branch: "rfsn/fix/http",
        token: TOKEN,
        timeoutMs: 10_000,
      });
      await expect(attempt).rejects.toBeInstanceOf(RemoteUnreachableError);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]).toEqual([`basic ${BASIC}`]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
