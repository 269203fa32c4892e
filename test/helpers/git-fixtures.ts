// Test helper: a fixture project committed in a fresh repository whose `origin` is a local bare repository.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FixtureRepository {
  workspace: string;
  bare: string;
  sha: string;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** Copies `fixtureDir` into a new repository on branch main, pushed to a bare `origin`. */
export function repositoryFromFixture(fixtureDir: string): FixtureRepository {
  const root = mkdtempSync(join(tmpdir(), "rfsn-e2e-"));
  const bare = join(root, "origin.git");
  const workspace = join(root, "workspace");
  execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", bare]);
  cpSync(fixtureDir, workspace, { recursive: true });
  git(workspace, "init", "--quiet", "--initial-branch=main");
  git(workspace, "add", "-A");
  git(workspace, "commit", "--quiet", "-m", "initial");
  git(workspace, "remote", "add", "origin", bare);
  git(workspace, "push", "--quiet", "origin", "main");
  return { workspace, bare, sha: git(workspace, "rev-parse", "HEAD") };
}
