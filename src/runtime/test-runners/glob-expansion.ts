// Expands shell-style globs in test file arguments (`test/**/*.test.js`), which npm's shell would expand but RFSN runs without one.
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";

const GLOB_CHARS = /[*?[{]/;
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);
const MAX_DEPTH = 20;

export function hasGlob(word: string): boolean {
  return GLOB_CHARS.test(word);
}

/** A regular expression for a glob over `/`-separated relative paths: `**`, `*`, `?`, `[…]`, `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
  let pattern = "";
  let braces = 0;
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] ?? "";
    if (char === "*") {
      if (glob[index + 1] === "*") {
        const slash = glob[index + 2] === "/";
        pattern += slash ? "(?:.*/)?" : ".*";
        index += slash ? 2 : 1;
      } else pattern += "[^/]*";
    } else if (char === "?") pattern += "[^/]";
    else if (char === "[") {
      const close = glob.indexOf("]", index + 1);
      if (close < 0) pattern += "\\[";
      else {
        const body = glob
          .slice(index + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        pattern += `[${body}]`;
        index = close;
      }
    } else if (char === "{") {
      braces += 1;
      pattern += "(?:";
    } else if (char === "}" && braces > 0) {
      braces -= 1;
      pattern += ")";
    } else if (char === "," && braces > 0) pattern += "|";
    else pattern += char.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${pattern}$`);
}

async function walk(dir: string, relative: string, depth: number, found: string[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
  let entries: Dirent[];
  try {
    entries = await readdir(join(dir, relative), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith("."))
        await walk(dir, path, depth + 1, found);
    } else if (entry.isFile()) found.push(path);
  }
}

/** Files under `cwd` matching `glob`, sorted; the glob itself when nothing matches (like a shell without nullglob). */
export async function expandGlob(glob: string, cwd: string): Promise<string[]> {
  const normalized = glob.replace(/^\.\//, "");
  const segments = normalized.split("/");
  const firstGlob = segments.findIndex((segment) => hasGlob(segment));
  const base = segments.slice(0, Math.max(0, firstGlob)).join("/");
  const files: string[] = [];
  await walk(cwd, base, 0, files);
  const matcher = globToRegExp(normalized);
  const matches = files.filter((file) => matcher.test(file)).sort();
  return matches.length > 0 ? matches : [glob];
}

/** Replaces every glob argument by the files it matches. */
export async function expandGlobArguments(args: readonly string[], cwd: string): Promise<string[]> {
  const expanded: string[] = [];
  for (const arg of args) {
    if (hasGlob(arg)) expanded.push(...(await expandGlob(arg, cwd)));
    else expanded.push(arg);
  }
  return expanded;
}
