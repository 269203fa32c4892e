// Brings code in and out of a local directory: clone a git URL for `rfsn repair`, apply a final patch with `--apply`.
import { runProcess } from "./process.js";

export class GitCommandError extends Error {
  constructor(what: string, output: string) {
    super(`${what} failed: ${output.trim().split("\n").slice(-5).join("\n")}`);
    this.name = "GitCommandError";
  }
}

const SAFE_GIT = ["-c", "core.hooksPath=/dev/null", "-c", "protocol.ext.allow=never"];

export async function cloneRepository(url: string, into: string): Promise<void> {
  const result = await runProcess(["git", ...SAFE_GIT, "clone", "--quiet", "--", url, into], {
    cwd: process.cwd(),
    trusted: true,
    env: { GIT_TERMINAL_PROMPT: "0" },
    timeoutMs: 10 * 60_000,
  });
  if (result.exitCode !== 0) throw new GitCommandError(`git clone ${url}`, result.output || result.startError || "");
}

/** Applies a unified diff to a working directory (checked first, so nothing changes when it does not apply). */
export async function applyPatchToDirectory(dir: string, diff: string): Promise<void> {
  for (const mode of [["--check"], []]) {
    const result = await runProcess(["git", ...SAFE_GIT, "apply", ...mode, "-"], {
      cwd: dir,
      trusted: true,
      input: diff,
      timeoutMs: 60_000,
    });
    if (result.exitCode !== 0) throw new GitCommandError("git apply", result.output || result.startError || "");
  }
}
