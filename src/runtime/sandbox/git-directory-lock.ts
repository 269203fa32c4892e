// Makes a source repository's git directory (and the config files it includes, where checkout credentials live) unreadable to sandbox uids for a session, then restores the modes.
import { chmodSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

/** Paths named by `include.path` / `includeIf.*.path` entries of a git config file, resolved like git does. */
export function includedConfigPaths(configText: string, configDir: string): string[] {
  const paths: string[] = [];
  let section = "";
  for (const raw of configText.split("\n")) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z][\w.-]*)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (header?.[1]) {
      section = header[1].toLowerCase();
      continue;
    }
    if (section !== "include" && section !== "includeif") continue;
    const entry = /^path\s*=\s*(.*)$/i.exec(line);
    if (!entry?.[1]) continue;
    const value = entry[1].trim().replace(/^"(.*)"$/, "$1");
    if (value.startsWith("~")) continue; // HOME-relative: root's own home, unreachable by sandbox uids already.
    paths.push(isAbsolute(value) ? value : resolve(configDir, value));
  }
  return paths;
}

/** The include paths of `<gitDir>/config` (read directly: no git process, so nothing of the repository runs). */
function readConfigIncludes(gitDir: string): string[] {
  try {
    const text = readFileSync(`${gitDir}/config`, "utf8");
    return includedConfigPaths(text, gitDir);
  } catch {
    return [];
  }
}

/** Removes every permission of group and others from `paths`; returns the function that puts the modes back. */
export function lockPaths(paths: readonly string[]): () => void {
  const restores: Array<() => void> = [];
  for (const path of paths) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) continue;
    const mode = stats.mode & 0o7777;
    if ((mode & 0o077) === 0) continue;
    chmodSync(path, mode & 0o7700);
    restores.push(() => {
      try {
        chmodSync(path, mode);
      } catch {
        // Removed meanwhile.
      }
    });
  }
  return () => {
    for (const restore of restores.splice(0)) restore();
  };
}

/**
 * Locks a git directory and the files its config includes (actions/checkout v5+ keeps the credential in an
 * included file under RUNNER_TEMP): only the owner (RFSN runs as root) can read them until the returned function runs.
 */
export function lockGitDirectory(gitDir: string): () => void {
  return lockPaths([gitDir, ...readConfigIncludes(gitDir)]);
}
