// Runs the content rules over the tokens of added code, per file and hunk: Python rules for Python, JavaScript rules for JavaScript and TypeScript.
import type { FileChange } from "./changed-lines.js";
import type { GlobSet } from "./glob.js";
import { javascriptRules } from "./javascript-token-rules.js";
import { pythonRules } from "./python-token-rules.js";
import { type HunkTokens, type TokenFinding, Walker } from "./token-walker.js";

export type { HunkTokens, TokenFinding } from "./token-walker.js";

/** The first token-rule finding over a file's hunks (for Python and JavaScript/TypeScript files). */
export function checkTokenRules(
  changes: readonly FileChange[],
  hunksOf: (change: FileChange) => readonly HunkTokens[],
  testFiles: GlobSet,
): TokenFinding | null {
  for (const change of changes) {
    if (change.kind !== "python" && change.kind !== "javascript") continue;
    if (change.added.length === 0) continue;
    const inTestFile = testFiles.match(change.path) !== null;
    for (const hunk of hunksOf(change)) {
      const walker = new Walker(hunk);
      const found =
        change.kind === "python"
          ? pythonRules(walker, change.path, inTestFile)
          : javascriptRules(walker, change.path, inTestFile);
      if (found) return found;
    }
  }
  return null;
}
