// Finds the directories of the interpreters tests run with (node, python), so that sandbox uids can reach them.
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** Interpreters test commands commonly start, looked up on PATH like a shell would (no process is started). */
const INTERPRETERS = ["python3", "python"];

function onPath(name: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The real directories holding this node and the Python interpreters on PATH. A toolchain installed under a private
 * home (pyenv in `/root`, nvm in `~/.nvm`) is otherwise out of reach of the sandbox's uids.
 */
export function toolchainDirectories(execPath: string, path: string): string[] {
  const found = [realpathSync(execPath), ...INTERPRETERS.map((name) => onPath(name, path))];
  return [...new Set(found.filter((file): file is string => file !== null).map((file) => dirname(file)))];
}
