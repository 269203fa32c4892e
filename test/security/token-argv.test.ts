// The push never puts the token in git's argv: a git wrapper on PATH records every argv while a real push runs.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pushRepairBranch } from "../../src/github/branch-push.js";

const TOKEN = "ghs_FakeInstallationToken0123456789abcdef";
const BASIC = Buffer.from(`x-access-token:${TOKEN}`, "utf8").toString("base64");
const scratch = mkdtempSync(join(tmpdir(), "rfsn-token-argv-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" });
}

describe("pushing the repair branch", () => {
  it("passes the token to git only through the environment, never in argv or the repository's config", async () => {
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    const bin = join(scratch, "bin");
    const argvLog = join(scratch, "argv.log");
    execFileSync("mkdir", ["-p", bin]);
    writeFileSync(
      join(bin, "git"),
      `#!/bin/sh\nfor word in "$@"; do printf '%s\\0' "$word" >> '${argvLog}'; done\nprintf '\\n' >> '${argvLog}'\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(join(bin, "git"), 0o755);

    const remote = join(scratch, "remote.git");
    const work = join(scratch, "work");
    git(["init", "--quiet", "--bare", remote], scratch);
    git(["init", "--quiet", "-b", "main", work], scratch);
    writeFileSync(join(work, "a.txt"), "fixed\n");
    git(["add", "a.txt"], work);
    git(
      ["-c", "user.name=rfsn", "-c", "user.email=rfsn@example.test", "commit", "--quiet", "-m", "fix"],
      work,
    );
    git(["branch", "rfsn/fix/abc1234-1"], work);
    git(["remote", "add", "origin", remote], work);

    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${savedPath ?? ""}`;
    try {
      const result = await pushRepairBranch({
        dir: work,
        branch: "rfsn/fix/abc1234-1",
        token: TOKEN,
        timeoutMs: 30_000,
      });
      expect(result.branch).toBe("rfsn/fix/abc1234-1");
    } finally {
      process.env.PATH = savedPath;
    }

    const recorded = readFileSync(argvLog, "utf8");
    expect(recorded).toContain("push"); // the wrapper really saw the push
    expect(recorded).not.toContain(TOKEN);
    expect(recorded).not.toContain(BASIC);
    expect(git(["rev-parse", "refs/heads/rfsn/fix/abc1234-1"], remote).trim()).toBe(
      git(["rev-parse", "rfsn/fix/abc1234-1"], work).trim(),
    );
    for (const config of [join(work, ".git/config"), join(remote, "config")]) {
      const text = readFileSync(config, "utf8");
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(BASIC);
    }
  });
});
