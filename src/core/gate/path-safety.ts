// Rejects paths that leave the workspace or reach into git's own files: absolute, `..`, `~`, backslashes, NUL, `.git/`, symlinks.
import type { FilePatch } from "../diff.js";
import type { GateFinding } from "./changed-lines.js";

const SYMLINK_MODE = "120000";
const GITLINK_MODE = "160000";

/** Why `path` is unsafe, or null when it is a plain relative path inside the workspace. */
export function pathEscapeProblem(path: string): string | null {
  if (path === "") return "has an empty file name";
  if (path.includes("\0")) return "contains a NUL byte";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters in names are the thing being rejected
  if (/[\x01-\x1f\x7f]/.test(path)) return "contains control characters";
  if (path.includes("\\")) return "contains a backslash";
  if (path.startsWith("/")) return "is an absolute path";
  if (/^[A-Za-z]:/.test(path)) return "is an absolute Windows path";
  if (path.startsWith("~")) return "starts with ~ (a home directory)";
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "..") return "contains a .. segment that leaves the workspace";
    if (segment.toLowerCase() === ".git") return "writes inside .git/";
  }
  return null;
}

export function checkPathEscape(patches: readonly FilePatch[]): GateFinding | null {
  for (const patch of patches) {
    for (const path of [patch.oldPath, patch.newPath]) {
      if (path === null) continue;
      const problem = pathEscapeProblem(path);
      if (problem) return { path: JSON.stringify(path).slice(1, -1), what: `path ${problem}` };
    }
    const shown = patch.newPath ?? patch.oldPath ?? "";
    if (patch.newMode === SYMLINK_MODE) {
      return {
        path: shown,
        what: "creates a symbolic link (mode 120000), which can point outside the workspace",
      };
    }
    if (patch.newMode === GITLINK_MODE) {
      return { path: shown, what: "adds a submodule link (mode 160000)" };
    }
  }
  return null;
}
