// Brings code in and out of a local directory: clone a git URL for `rfsn repair`, apply a final patch with `--apply`.
import { git } from "./git.js";

export async function cloneRepository(url: string, into: string): Promise<void> {
  await git(["clone", "--quiet", "--", url, into], process.cwd(), { timeoutMs: 10 * 60_000 });
}

/** Applies a unified diff to a working directory (checked first, so nothing changes when it does not apply). */
export async function applyPatchToDirectory(dir: string, diff: string): Promise<void> {
  await git(["apply", "--check", "-"], dir, { input: diff, timeoutMs: 60_000 });
  await git(["apply", "-"], dir, { input: diff, timeoutMs: 60_000 });
}
