// The gate: a pure, synchronous safety check every proposal passes before it is tried; returns accepted or the first rejection.
import {
  applyFilePatch,
  changedLineCount,
  DiffParseError,
  type FilePatch,
  parseUnifiedDiff,
} from "../diff.js";
import type { GateRejectionType, GateVerdict, Proposal } from "../types.js";
import { type FileChange, fileChanges, findingReason, type GateFinding } from "./changed-lines.js";
import type { GateContext } from "./context.js";
import { fingerprintOfPatches, proposalFingerprint } from "./fingerprint.js";
import { checkForbiddenPatterns } from "./forbidden-patterns.js";
import { checkGitHeaders } from "./git-headers.js";
import { checkPathEscape } from "./path-safety.js";
import { checkProtectedPaths, protectedMatcher, testFileMatcher } from "./protected-paths.js";
import { checkSecrets } from "./secrets.js";
import { checkTestTampering } from "./test-tampering.js";
import { checkTokenRules } from "./token-rules.js";

export type { GateBudget, GateContext, GateLimits } from "./context.js";
export {
  DEFAULT_LIMITS,
  DEFAULT_PROTECTED_PATHS,
  DEFAULT_TEST_PATH_PATTERNS,
  defaultGateContext,
} from "./context.js";
export { proposalFingerprint } from "./fingerprint.js";
export { GlobSet, globToRegExp } from "./glob.js";
export { pathEscapeProblem } from "./path-safety.js";

function reject(type: GateRejectionType, reason: string, fingerprint: string): GateVerdict {
  return { accepted: false, type, reason, fingerprint };
}

function describePaths(patches: readonly FilePatch[]): string {
  const names = patches.map((patch) => patch.newPath ?? patch.oldPath ?? "?");
  return names.length > 4 ? `${names.slice(0, 4).join(", ")}, …` : names.join(", ");
}

function checkMalformed(patches: readonly FilePatch[]): string | null {
  if (patches.length === 0) return "the diff is empty";
  for (const patch of patches) {
    if (patch.oldPath === null && patch.newPath === null) return "a file patch names no file";
    if (!patch.isBinary && patch.hunks.length === 0) {
      const path = patch.newPath ?? patch.oldPath ?? "";
      if (patch.isDeleted) continue;
      return `${path}: changes no lines (rename or mode change only)`;
    }
  }
  return null;
}

function checkBinary(diff: string, changes: readonly FileChange[]): GateFinding | null {
  for (const change of changes) {
    if (change.patch.isBinary) return { path: change.path, what: "is a binary patch" };
    for (const added of change.added) {
      if (added.text.includes("\0"))
        return { path: change.path, line: added.line, what: "adds a line with NUL bytes" };
    }
  }
  if (diff.includes("\0")) return { path: changes[0]?.path ?? "diff", what: "contains NUL bytes" };
  return null;
}

function checkSize(
  patches: readonly FilePatch[],
  changes: readonly FileChange[],
  context: GateContext,
): string | null {
  const { maxFiles, maxChangedLines } = context.limits;
  if (patches.length > maxFiles) {
    return `diff touches ${patches.length} files (limit ${maxFiles}): ${describePaths(patches)}`;
  }
  const changed = changedLineCount(patches);
  if (changed > maxChangedLines) {
    const largest = [...changes].sort(
      (a, b) => b.added.length + b.removed.length - (a.added.length + a.removed.length),
    )[0];
    const detail = largest
      ? `; largest: ${largest.path} (+${largest.added.length} -${largest.removed.length})`
      : "";
    return `diff changes ${changed} lines (limit ${maxChangedLines})${detail}`;
  }
  return null;
}

type SyntaxOutcome = { type: "malformed_diff" | "syntax_error"; reason: string } | null;

function checkApplyAndSyntax(patches: readonly FilePatch[], context: GateContext): SyntaxOutcome {
  const { readFile, checkSyntax } = context;
  if (!readFile) return null;
  for (const patch of patches) {
    if (patch.isBinary || patch.isDeleted || patch.newPath === null) continue;
    let before: string | undefined;
    if (patch.isNew) before = "";
    else before = readFile(patch.oldPath ?? patch.newPath);
    if (before === undefined) continue;
    let after: string;
    try {
      after = applyFilePatch(before, patch);
    } catch (error) {
      return { type: "malformed_diff", reason: `does not apply: ${(error as Error).message}` };
    }
    const problem = checkSyntax?.(patch.newPath, after) ?? null;
    if (problem) return { type: "syntax_error", reason: `${patch.newPath}: ${problem}` };
  }
  return null;
}

/** Checks a proposal against the context; pure and synchronous. Rejections name the file, line and what was found. */
export function gate(proposal: Proposal, context: GateContext): GateVerdict {
  let patches: FilePatch[];
  try {
    patches = parseUnifiedDiff(proposal.diff);
  } catch (error) {
    const message = error instanceof DiffParseError ? error.message : String(error);
    return reject("malformed_diff", message, proposalFingerprint(proposal.diff));
  }
  const fingerprint = fingerprintOfPatches(patches);
  const malformed = checkMalformed(patches);
  if (malformed) return reject("malformed_diff", malformed, fingerprint);

  const escaped = checkPathEscape(patches);
  if (escaped) return reject("path_escape", findingReason(escaped), fingerprint);

  const header = checkGitHeaders(proposal.diff);
  if (header) return reject(header.type, `diff line ${header.line}: ${header.what}`, fingerprint);

  const changes = fileChanges(patches, context.readFile);
  const binary = checkBinary(proposal.diff, changes);
  if (binary) return reject("binary", findingReason(binary), fingerprint);

  const protectedPath = checkProtectedPaths(patches, protectedMatcher(context.protectedPaths));
  if (protectedPath) return reject("protected_path", findingReason(protectedPath), fingerprint);

  const size = checkSize(patches, changes, context);
  if (size) return reject("too_large", size, fingerprint);

  const tampering = checkTestTampering(changes, testFileMatcher(context.testPathPatterns));
  if (tampering) return reject("test_tampering", findingReason(tampering), fingerprint);

  const secret = checkSecrets(changes);
  if (secret) return reject("secret", findingReason(secret), fingerprint);

  const forbidden = checkForbiddenPatterns(changes);
  if (forbidden) return reject("forbidden_pattern", findingReason(forbidden), fingerprint);

  const token = checkTokenRules(
    changes,
    (change) => change.hunkTokens,
    testFileMatcher(context.testPathPatterns),
  );
  if (token) return reject(token.type, findingReason(token.finding), fingerprint);

  const syntax = checkApplyAndSyntax(patches, context);
  if (syntax) return reject(syntax.type, syntax.reason, fingerprint);

  if (proposal.phase !== "patch") {
    return reject(
      "phase_violation",
      `proposal ${proposal.id} was made in phase ${proposal.phase}; only the patch phase may propose changes`,
      fingerprint,
    );
  }
  if (context.phase !== "patch") {
    return reject(
      "phase_violation",
      `the session is in phase ${context.phase}; proposals are accepted only in the patch phase`,
      fingerprint,
    );
  }

  if (context.seenFingerprints.has(fingerprint)) {
    return reject("duplicate", `the same change (fingerprint ${fingerprint}) was already tried`, fingerprint);
  }

  const { candidatesLeft, deadlineMs, nowMs } = context.budget;
  if (candidatesLeft <= 0)
    return reject("budget", "no candidate budget left (0 candidates remaining)", fingerprint);
  if (deadlineMs !== undefined && nowMs !== undefined && nowMs >= deadlineMs) {
    return reject("budget", `the time budget ran out ${Math.round(nowMs - deadlineMs)} ms ago`, fingerprint);
  }
  return { accepted: true, fingerprint };
}

const PRIMING_SOURCE = "export function pick(items, index) {\n  return items[index];\n}\n";
const PRIMING_PROPOSAL: Proposal = {
  id: "priming",
  intent: "fix_bug",
  phase: "patch",
  origin: "operator",
  operator: "off_by_one",
  rationale: "priming",
  diff:
    "--- a/src/rfsn-priming.js\n+++ b/src/rfsn-priming.js\n@@ -1,3 +1,3 @@\n export function pick(items, index) {\n" +
    "-  return items[index];\n+  return items[index - 1];\n }\n",
};

/**
 * Gates a built-in proposal once and forgets the verdict, so that the first real candidates do not wait for the
 * checks' first-run costs (tens of ms); meant for a moment the thread would otherwise wait.
 */
export function primeGate(context: GateContext): void {
  gate(PRIMING_PROPOSAL, { ...context, seenFingerprints: new Set(), readFile: () => PRIMING_SOURCE });
}
