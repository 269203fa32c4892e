// A per-file view of a parsed diff that the gate's checks share: added and removed lines, their numbers and runnable code.
import type { FilePatch, Hunk } from "../diff.js";
import { type CommentSpan, type Language, openConstructAfter, tokenize } from "./code-tokens.js";
import type { HunkTokens } from "./token-rules.js";

export type SourceKind = "python" | "javascript" | "shell" | "other";

export interface ChangedLine {
  text: string;
  /** New-file line number for added lines, old-file line number for removed lines. */
  line: number;
  /**
   * The part of an added line that can run: `text` without the comments the gate is sure of ("" for a line that is
   * only a comment). When unsure (a string or template literal could be open), the whole text. `text` for removals.
   */
  code: string;
}

export interface FileChange {
  path: string;
  patch: FilePatch;
  kind: SourceKind;
  added: ChangedLine[];
  removed: ChangedLine[];
  /** Token streams of each hunk's new side (JavaScript and Python), one per reading of where the hunk starts. */
  hunkTokens: HunkTokens[];
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

/**
 * The per-file view of `patches`. `readFile` gives a file's text before the patch when known: the tokenizer then
 * reads the file up to each hunk to learn whether the hunk starts in code, a string or a comment, instead of
 * checking every possible start.
 */
/** Equal to forbidden-patterns' MAX_ADDED_LINE_LENGTH: a longer added line is rejected, so it is not tokenized. */
const LONGEST_TOKENIZED_LINE = 2_000;

export function fileChanges(
  patches: readonly FilePatch[],
  readFile?: (path: string) => string | undefined,
): FileChange[] {
  return patches.map((patch) => {
    const path = patch.newPath ?? patch.oldPath ?? "";
    const kind = sourceKindOfPath(path);
    const added: ChangedLine[] = [];
    const removed: ChangedLine[] = [];
    for (const hunk of patch.hunks) {
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      // Comment state is known only from what the hunk shows; at its start the gate assumes code.
      const state: CommentState = { inBlock: false, previous: "" };
      for (const line of hunk.lines) {
        const mark = line[0];
        const text = line.slice(1);
        if (mark === "+") {
          added.push({ text, line: newLine, code: runnableCode(text, kind, state) });
          newLine += 1;
        } else if (mark === "-") {
          removed.push({ text, line: oldLine, code: text });
          oldLine += 1;
        } else {
          runnableCode(text, kind, state);
          oldLine += 1;
          newLine += 1;
        }
      }
    }
    const hunkTokens: HunkTokens[] = [];
    // Added lines longer than the forbidden-pattern check's limit are rejected there whatever they hold.
    const tooLong = added.some((line) => line.text.length > LONGEST_TOKENIZED_LINE);
    if ((kind === "python" || kind === "javascript") && added.length > 0 && !tooLong) {
      const before = patch.isNew ? "" : readFile?.(patch.oldPath ?? path);
      const beforeLines = before?.split("\n");
      let index = 0;
      for (const hunk of patch.hunks) {
        const hunkAdded = added.slice(index, index + countAdded(hunk));
        index += hunkAdded.length;
        const opener = beforeLines
          ? openConstructAfter(beforeLines.slice(0, Math.max(0, hunk.oldStart - 1)), kind)
          : undefined;
        hunkTokens.push(...lexHunk(hunk, kind, hunkAdded, opener));
      }
    }
    return { path, patch, kind, added, removed, hunkTokens };
  });
}

function countAdded(hunk: Hunk): number {
  let count = 0;
  for (const line of hunk.lines) if (line[0] === "+") count += 1;
  return count;
}

/**
 * Tokenizes a hunk's new side once as code and, when it holds a quote that could close a string opened above the
 * hunk, once more as if it started inside that string; every reading's tokens are checked, and an added line's
 * runnable code is what remains after removing only the comments that the readings agree on.
 */
function lexHunk(
  hunk: Hunk,
  language: Language,
  hunkAdded: ChangedLine[],
  knownOpener: string | undefined,
): HunkTokens[] {
  const texts: string[] = [];
  const addedLine: Array<number | undefined> = [];
  let addedIndex = 0;
  for (const line of hunk.lines) {
    const mark = line[0];
    if (mark === "-") continue;
    texts.push(line.slice(1));
    addedLine.push(mark === "+" ? hunkAdded[addedIndex++]?.line : undefined);
  }
  const joined = texts.join("\n");
  const openers: string[] = [knownOpener ?? ""];
  if (knownOpener !== undefined) {
    // the file's text before the hunk says how it starts: one reading
  } else if (language === "python") {
    if (joined.includes('"""')) openers.push('"""');
    if (joined.includes("'''")) openers.push("'''");
  } else {
    if (joined.includes("`")) openers.push("`");
    const trimmed = (texts[0] ?? "").trimStart();
    if (trimmed.startsWith("*") && !trimmed.startsWith("*/")) openers[0] = "/*";
  }
  const streams: HunkTokens[] = [];
  const codeByLine = new Map<number, string>();
  for (const opener of openers) {
    const lines = opener === "" ? texts : [opener, ...texts];
    const shift = opener === "" ? 0 : 1;
    const comments: CommentSpan[] = [];
    const tokens = tokenize(lines, language, comments);
    const lineMap = shift === 0 ? addedLine : [undefined, ...addedLine];
    streams.push({ tokens, addedLine: lineMap });
    const removedByLine = new Map<number, CommentSpan[]>();
    for (const span of comments) {
      const list = removedByLine.get(span.line - shift) ?? [];
      list.push(span);
      removedByLine.set(span.line - shift, list);
    }
    texts.forEach((text, i) => {
      if (addedLine[i] === undefined) return;
      let code = text;
      for (const span of [...(removedByLine.get(i) ?? [])].sort((a, b) => b.start - a.start)) {
        code = code.slice(0, span.start) + code.slice(span.end);
      }
      const previous = codeByLine.get(i);
      if (previous === undefined || code.length > previous.length) codeByLine.set(i, code);
    });
  }
  let k = 0;
  texts.forEach((_, i) => {
    if (addedLine[i] === undefined) return;
    const changed = hunkAdded[k++];
    const code = codeByLine.get(i);
    if (changed && code !== undefined && !HIDDEN_LINE_BREAK.test(changed.text)) changed.code = code;
  });
  return streams;
}

/**
 * Characters that end a line for JavaScript or Python (or look like a line break to a reviewer) but not for a diff:
 * CR other than a final one, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR, vertical tab and form feed. Code after one
 * of them runs on a line of its own while the diff shows it as part of, say, a comment.
 */
export const HIDDEN_LINE_BREAK = /\r(?!$)|[\u0085\u2028\u2029\v\f]/;

interface CommentState {
  /** Inside a JavaScript block comment opened on an earlier line that the gate can see. */
  inBlock: boolean;
  /** The previous line of the new file (context or added). */
  previous: string;
}

/**
 * Text showing that a comment-looking line may be the inside of a multi-line string or template, where comment
 * markers mean nothing and code can be interpolated (`${…}`, f-string `{…}`, `$(…)`); such lines are checked whole.
 */
const MAYBE_IN_STRING: Record<SourceKind, RegExp> = {
  javascript: /`|\$\{/,
  python: /\{|"""|'''/,
  shell: /[`'"]|\$[({]/,
  other: /$^/,
};

/** The part of `text` that can run, given the comment state before it; updates the state. */
function runnableCode(text: string, kind: SourceKind, state: CommentState): string {
  const continued = /\\\r?$/.test(state.previous); // a backslash carries the previous line (a string?) into this one
  state.previous = text;
  if (continued || HIDDEN_LINE_BREAK.test(text) || MAYBE_IN_STRING[kind].test(text)) {
    state.inBlock = false;
    return text;
  }
  if (kind === "python" || kind === "shell") {
    const trimmed = text.trimStart();
    return trimmed.startsWith("#") && !trimmed.startsWith("#!") ? "" : text;
  }
  if (kind !== "javascript") return text;
  let rest = text;
  if (state.inBlock) {
    const end = rest.indexOf("*/");
    if (end < 0) return "";
    state.inBlock = false;
    rest = ` ${rest.slice(end + 2)}`;
  }
  // Only leading comments are stripped: a comment marker after code could be inside a string or a regular expression.
  for (;;) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith("//")) return "";
    if (!trimmed.startsWith("/*")) return rest;
    const end = trimmed.indexOf("*/", 2);
    if (end < 0) {
      state.inBlock = true;
      return "";
    }
    rest = ` ${trimmed.slice(end + 2)}`;
  }
}

/** Collapses runs of whitespace and trims, so that re-indented lines compare equal. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
