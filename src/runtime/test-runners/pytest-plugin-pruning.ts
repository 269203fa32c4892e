// Finds slow-to-load pytest plugins a project never uses, so they can be blocked with `-p no:<name>` on every run.
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Plugins installed system-wide that cost seconds per start (hypothesis imports ~1.3 s) and matter only when the
 * project mentions them. A plugin is blocked only when no Python or config file of the project contains its word.
 */
export const HEAVY_PYTEST_PLUGINS: readonly { plugin: string; word: RegExp }[] = [
  { plugin: "hypothesispytest", word: /hypothesis/i },
  { plugin: "benchmark", word: /benchmark/i },
];

const SCANNED_FILE = /\.(py|ini|toml|cfg)$/;
const SKIPPED_DIRECTORIES = new Set([
  "node_modules",
  ".git",
  ".venv",
  "venv",
  "__pycache__",
  "site-packages",
  ".tox",
]);
const MAX_FILES = 2_000;
const MAX_FILE_BYTES = 512 * 1024;

async function projectFiles(root: string): Promise<string[] | undefined> {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() ?? root;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith("."))
          pending.push(join(dir, entry.name));
      } else if (entry.isFile() && SCANNED_FILE.test(entry.name)) {
        files.push(join(dir, entry.name));
        // Too large to scan quickly: keep every plugin rather than guess.
        if (files.length > MAX_FILES) return undefined;
      }
    }
  }
  return files;
}

/** Names of heavy plugins the project at `root` does not mention (to pass as `-p no:<name>`). */
export async function unusedHeavyPlugins(root: string): Promise<string[]> {
  const files = await projectFiles(root);
  if (!files) return [];
  const unused = new Set(HEAVY_PYTEST_PLUGINS.map((entry) => entry.plugin));
  for (const file of files) {
    if (unused.size === 0) break;
    let text: string;
    try {
      text = (await readFile(file)).subarray(0, MAX_FILE_BYTES).toString("utf8");
    } catch {
      continue;
    }
    for (const { plugin, word } of HEAVY_PYTEST_PLUGINS) if (word.test(text)) unused.delete(plugin);
  }
  return HEAVY_PYTEST_PLUGINS.map((entry) => entry.plugin).filter((plugin) => unused.has(plugin));
}
