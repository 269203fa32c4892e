// A per-file view of a parsed diff that the gate's checks share: added and removed lines with their line numbers.
import type { FilePatch } from "../diff.js";

export type SourceKind = "python" | "javascript" | "shell" | "other";

export interface ChangedLine {
  text: string;
  /** New-file line number for added lines, old-file line number for removed lines. */
  line: number;
}

export interface FileChange {
  path: string;
  patch: FilePatch;
  kind: SourceKind;
  added: ChangedLine[];
  removed: ChangedLine[];
}

/** A finding of one check: where, and what was found. */
export interface GateFinding {
  path: string;
  line?: number;
  what: string;
}

export function findingReason(finding: GateFinding): string {
  return `${finding.path}: ${finding.what}${finding.line === undefined ? "" : ` (line ${finding.line})`}`;
}

export function sourceKindOfPath(path: string): SourceKind {
  const dot = path.lastIndexOf(".");
  const extension = dot > path.lastIndexOf("/") ? path.slice(dot + 1).toLowerCase() : "";
  switch (extension) {
    case "py":
    case "pyi":
    case "pyw":
      return "python";
    case "js":
    case "mjs":
    case "cjs":
    case "jsx":
    case "ts":
    case "mts":
    case "cts":
    case "tsx":
      return "javascript";
    case "sh":
    case "bash":
    case "zsh":
    case "ps1":
    case "bat":
    case "cmd":
      return "shell";
    default:
      return extension === "" ? "shell" : "other";
  }
}

export function fileChanges(patches: readonly FilePatch[]): FileChange[] {
  return patches.map((patch) => {
    const path = patch.newPath ?? patch.oldPath ?? "";
    const added: ChangedLine[] = [];
    const removed: ChangedLine[] = [];
    for (const hunk of patch.hunks) {
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      for (const line of hunk.lines) {
        const kind = line[0];
        if (kind === "+") {
          added.push({ text: line.slice(1), line: newLine });
          newLine += 1;
        } else if (kind === "-") {
          removed.push({ text: line.slice(1), line: oldLine });
          oldLine += 1;
        } else {
          oldLine += 1;
          newLine += 1;
        }
      }
    }
    return { path, patch, kind: sourceKindOfPath(path), added, removed };
  });
}

/** True for a line that is only a comment in the file's language (such lines cannot run). */
export function isCommentOnly(text: string, kind: SourceKind): boolean {
  const trimmed = text.trimStart();
  if (kind === "python" || kind === "shell") return trimmed.startsWith("#") && !trimmed.startsWith("#!");
  if (kind === "javascript")
    return trimmed.startsWith("//") || trimmed.startsWith("/*") || trimmed.startsWith("* ");
  return false;
}

/** Collapses runs of whitespace and trims, so that re-indented lines compare equal. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
