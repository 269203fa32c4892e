// Decides whether a session may run repository code without a sandbox: not while RFSN's own environment holds a secret, unless the operator allowed it.
import { isSecretVariableName } from "../environment.js";
import type { IsolationLevel } from "./sandbox-launch.js";

/** The names of secret-looking variables with a value in `env` (names only: values are never reported). */
export function secretVariablesPresent(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value !== "" && isSecretVariableName(name))
    .map(([name]) => name)
    .sort();
}

/**
 * The reason to refuse, or null to go on: refused when there is no isolation at all, a secret is present and the
 * operator did not pass `--allow-unsandboxed` / the Action input `allow-unsandboxed: true` (never the repository's
 * own config: a repository must not be able to lower its own sandbox).
 */
export function unsandboxedRefusal(
  level: IsolationLevel,
  env: NodeJS.ProcessEnv,
  allowUnsandboxed: boolean,
): string | null {
  if (level !== "none" || allowUnsandboxed) return null;
  const secrets = secretVariablesPresent(env);
  if (secrets.length === 0) return null;
  const shown = secrets.slice(0, 5).join(", ") + (secrets.length > 5 ? ", …" : "");
  return (
    `no sandbox is available here and RFSN's environment holds secrets (${shown}), which repository code could ` +
    "read: run RFSN as root (or with passwordless sudo) so it can sandbox the tests, remove the secrets, or accept " +
    "the risk with `--allow-unsandboxed` (CLI) / `allow-unsandboxed: true` (Action input)"
  );
}
