// Decides whether a repair patch can be offered as a one-click review suggestion on the failing pull request, and renders it (pure).
import { DiffParseError, parseUnifiedDiff } from "./diff.js";

/** A suggestion replaces at most this many lines, with at most this many. */
export const MAX_SUGGESTED_LINES = 3;

/** One file of a pull request as `GET /repos/{owner}/{repo}/pulls/{n}/files` lists it. */
export interface PullRequestFile {
  filename: string;
  status: string;
  /** The file's hunks (no file header); absent for binary files and diffs GitHub finds too large. */
  patch?: string;
}

export interface SuggestionInput {
  /** The repair patch, a unified diff against `failingCommit`. */
  repairDiff: string;
  /** The commit the repair started from. */
  failingCommit: string;
  /** The pull request's head now: line numbers are only valid when the repair started from it. */
  pullRequestHead: string;
  pullRequestFiles: readonly PullRequestFile[];
}

export interface ReviewSuggestion {
  path: string;
  /** First line of the range on the pull request's head (RIGHT side); equal to `line` for one line. */
  startLine: number;
  line: number;
  /** The replacement lines, without line ends. */
  replacement: string[];
  /** The comment body: one sentence and the ```suggestion block. */
  body: string;
}

export type SuggestionDecision =
  | { suggest: true; suggestion: ReviewSuggestion }
  | { suggest: false; reason: string };

/** The new-side line numbers a pull-request file patch shows (added and context lines): the lines GitHub accepts comments on. */
export function commentableLines(filePatch: string): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  let inHunk = false;
  for (const text of filePatch.split("\n")) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      next = Number(header[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const kind = text[0];
    if (kind === " " || kind === "+") {
      lines.add(next);
      next += 1;
    }
  }
  return lines;
}

/** A fence longer than any backtick run in the replacement, so the suggestion cannot be closed early. */
function suggestionBlock(replacement: readonly string[]): string {
  const longest = Math.max(
    0,
    ...replacement.flatMap((line) => [...line.matchAll(/`{3,}/g)].map((m) => m[0].length)),
  );
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}suggestion`, ...replacement, fence].join("\n");
}

const no = (reason: string): SuggestionDecision => ({ suggest: false, reason });

/**
 * A suggestion exists when the repair started from the pull request's head, touches one file with one contiguous
 * change of at most 3 lines replaced by at most 3, and every line it replaces is part of the pull request's diff.
 * A pure insertion is anchored on the line before it (or after it, at the top of a file), which must be in the diff too.
 */
export function planReviewSuggestion(input: SuggestionInput): SuggestionDecision {
  if (input.failingCommit.toLowerCase() !== input.pullRequestHead.toLowerCase())
    return no("the pull request's head moved since the repair started");
  let files: ReturnType<typeof parseUnifiedDiff>;
  try {
    files = parseUnifiedDiff(input.repairDiff);
  } catch (error) {
    if (error instanceof DiffParseError) return no(`the patch is not a readable diff (${error.message})`);
    throw error;
  }
  if (files.length !== 1) return no(`the patch touches ${files.length} files`);
  const [file] = files;
  if (
    !file ||
    file.isBinary ||
    file.isNew ||
    file.isDeleted ||
    file.oldPath !== file.newPath ||
    !file.newPath
  )
    return no("the patch creates, deletes, renames or rewrites a binary file");
  const changed: Array<{ hunk: (typeof file.hunks)[number]; index: number }> = [];
  for (const hunk of file.hunks)
    hunk.lines.forEach((line, index) => {
      if (line[0] === "+" || line[0] === "-") changed.push({ hunk, index });
    });
  if (changed.length === 0) return no("the patch changes nothing");
  const first = changed[0];
  const last = changed.at(-1);
  if (!first || !last || first.hunk !== last.hunk || last.index - first.index + 1 !== changed.length)
    return no("the patch changes more than one contiguous block of lines");

  // Old-side line number of each line of the hunk, up to the change.
  const hunk = first.hunk;
  let oldLine = hunk.oldStart;
  for (let index = 0; index < first.index; index += 1) if (hunk.lines[index]?.[0] !== "+") oldLine += 1;
  const block = hunk.lines.slice(first.index, last.index + 1);
  const removed = block.filter((line) => line[0] === "-");
  const added = block.filter((line) => line[0] === "+").map((line) => line.slice(1));
  if (removed.length > MAX_SUGGESTED_LINES || added.length > MAX_SUGGESTED_LINES)
    return no(
      `the patch changes ${Math.max(removed.length, added.length)} lines; suggestions are made for at most ${MAX_SUGGESTED_LINES}`,
    );

  let startLine = oldLine;
  let endLine = oldLine + removed.length - 1;
  let replacement = added;
  if (removed.length === 0) {
    // An insertion: suggest the neighbouring unchanged line together with the inserted ones.
    const before = hunk.lines[first.index - 1];
    const after = hunk.lines[last.index + 1];
    if (before?.[0] === " ") {
      startLine = oldLine - 1;
      endLine = startLine;
      replacement = [before.slice(1), ...added];
    } else if (after?.[0] === " ") {
      startLine = oldLine;
      endLine = startLine;
      replacement = [...added, after.slice(1)];
    } else return no("the insertion has no unchanged line next to it to anchor a suggestion");
  }

  const pullFile = input.pullRequestFiles.find((entry) => entry.filename === file.newPath);
  if (!pullFile) return no(`${file.newPath} is not changed by the pull request`);
  if (pullFile.patch === undefined)
    return no(`GitHub shows no diff for ${file.newPath} (binary or too large)`);
  const shown = commentableLines(pullFile.patch);
  for (let line = startLine; line <= endLine; line += 1)
    if (!shown.has(line)) return no(`line ${line} of ${file.newPath} is not part of the pull request's diff`);

  const body = [
    "RFSN's verified fix for the failing tests, as a suggestion you can apply in one click:",
    "",
    suggestionBlock(replacement),
  ].join("\n");
  return {
    suggest: true,
    suggestion: { path: file.newPath, startLine, line: endLine, replacement, body },
  };
}
