// Re-runs the current RFSN command as root through passwordless sudo (GitHub-hosted runners), so that it can sandbox repository code.
import { lchown, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { runInheritingStdio, runTrustedToolSync } from "../process.js";

/** Set in the re-executed process so that it never tries again. */
export const ROOT_REEXEC_VARIABLE = "RFSN_ROOT_REEXEC";

export interface RootReexecDecision {
  reexec: boolean;
  /** Why not, for the log (empty when re-executing). */
  reason: string;
}

/** Whether to re-execute: not root, not already re-executed, and `sudo -n true` works. */
export function shouldReexecAsRoot(
  isRoot: boolean,
  env: NodeJS.ProcessEnv,
  sudoWorks: () => boolean = () => runTrustedToolSync(["sudo", "-n", "true"]),
): RootReexecDecision {
  if (isRoot) return { reexec: false, reason: "already root" };
  if (env[ROOT_REEXEC_VARIABLE] === "1") return { reexec: false, reason: "already re-executed once" };
  if (!sudoWorks()) return { reexec: false, reason: "no passwordless sudo" };
  return { reexec: true, reason: "" };
}

/** The argv that runs this same node entry as root with the environment kept (PATH included, which sudo resets). */
export function rootReexecArgv(
  execPath: string,
  execArgv: readonly string[],
  argv: readonly string[],
  path: string,
) {
  return [
    "sudo",
    "-n",
    "--preserve-env",
    "--",
    "env",
    `PATH=${path}`,
    `${ROOT_REEXEC_VARIABLE}=1`,
    execPath,
    ...execArgv,
    ...argv.slice(1),
  ];
}

/**
 * When RFSN is not root but may become root without a password, runs the current command again as root and
 * resolves with its exit code (the caller exits with it); resolves with null when it stays in this process.
 * Call it first thing in `rfsn repair` and in the Action's repair step.
 */
export async function reexecAsRootWhenPossible(): Promise<number | null> {
  const decision = shouldReexecAsRoot(process.getuid?.() === 0, process.env);
  if (!decision.reexec) return null;
  const argv = rootReexecArgv(process.execPath, process.execArgv, process.argv, process.env.PATH ?? "");
  return await runInheritingStdio(argv, process.env);
}

/** The user sudo ran us for (`SUDO_UID`/`SUDO_GID`), when this process is the re-executed one; null otherwise. */
export function invokingUser(env: NodeJS.ProcessEnv): { uid: number; gid: number } | null {
  if (env[ROOT_REEXEC_VARIABLE] !== "1") return null;
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  return Number.isInteger(uid) && Number.isInteger(gid) && uid > 0 ? { uid, gid } : null;
}

/**
 * Gives what the re-executed (root) run created back to the user who started it, so that later steps of the job
 * (the cache save, the runner's clean-up) can read and delete it. Follows no symlink; missing paths are skipped.
 */
export async function handBackToInvokingUser(
  paths: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const user = invokingUser(env);
  if (!user) return;
  const visit = async (path: string): Promise<void> => {
    const stats = await lstat(path).catch(() => null);
    if (!stats) return;
    await lchown(path, user.uid, user.gid).catch(() => undefined);
    if (!stats.isDirectory()) return;
    const entries = await readdir(path).catch(() => [] as string[]);
    for (const entry of entries) await visit(join(path, entry));
  };
  for (const path of paths) await visit(path);
}
