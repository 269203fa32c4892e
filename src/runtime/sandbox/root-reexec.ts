// Re-runs the current RFSN command as root through passwordless sudo (GitHub-hosted runners), so that it can sandbox repository code.
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
