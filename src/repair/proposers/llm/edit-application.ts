// Applies parsed answer edits to the current sources (tolerating whitespace drift and loose paths) and reports what changed.
import type { AnswerEdit } from "./answer-edits.js";

export interface ChangedFile {
  path: string;
  before: string;
  after: string;
}

export type EditApplication = { ok: true; files: ChangedFile[] } | { ok: false; reason: string };

export interface EditSources {
  readSource: (file: string) => Promise<string | undefined>;
  /** Project files the prompt showed, to resolve a path the model wrote loosely (absolute, or a suffix). */
  knownFiles: readonly string[];
}

/** The project-relative file an edit means, or undefined when none matches. */
async function resolvePath(written: string, sources: EditSources): Promise<string | undefined> {
  const candidates = new Set<string>();
  const plain = written.trim().replace(/\\/g, "/");
  if (plain) {
    candidates.add(plain);
    candidates.add(plain.replace(/^[ab]\//, ""));
    candidates.add(plain.replace(/^\.\//, ""));
    candidates.add(plain.replace(/^\/+/, ""));
  }
  for (const candidate of candidates) {
    if (!candidate || candidate.split("/").includes("..")) continue;
    if ((await sources.readSource(candidate)) !== undefined) return candidate;
  }
  if (!plain) return sources.knownFiles.length === 1 ? sources.knownFiles[0] : undefined;
  const bySuffix = sources.knownFiles.filter(
    (file) => plain.endsWith(`/${file}`) || file.endsWith(`/${plain.replace(/^[ab]\//, "")}`),
  );
  return bySuffix.length === 1 ? bySuffix[0] : undefined;
}

type LineComparison = (a: string, b: string) => boolean;

const COMPARISONS: readonly LineComparison[] = [
  (a, b) => a === b,
  (a, b) => a.trimEnd() === b.trimEnd(),
  (a, b) => a.trim() === b.trim(),
];

/** Start indexes where `needle` occurs in `haystack` line by line. */
function occurrences(haystack: readonly string[], needle: readonly string[], same: LineComparison): number[] {
  const found: number[] = [];
  for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    let matches = true;
    for (let k = 0; k < needle.length; k += 1) {
      if (!same(haystack[start + k] ?? "", needle[k] ?? "")) {
        matches = false;
        break;
      }
    }
    if (matches) found.push(start);
  }
  return found;
}

function leadingWhitespace(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? "";
}

/** When the model got the indentation wrong by a constant amount, shifts its replacement to the file's indentation. */
function reindent(
  replace: readonly string[],
  search: readonly string[],
  matched: readonly string[],
): string[] {
  const index = search.findIndex((line) => line.trim() !== "");
  if (index < 0) return [...replace];
  const written = leadingWhitespace(search[index] ?? "");
  const actual = leadingWhitespace(matched[index] ?? "");
  if (written === actual) return [...replace];
  return replace.map((line) => {
    if (line.trim() === "") return line;
    if (line.startsWith(written)) return actual + line.slice(written.length);
    return line;
  });
}

function describe(lines: readonly string[]): string {
  const first = lines.find((line) => line.trim() !== "")?.trim() ?? "";
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}

/** `lines` with the edit applied, or the reason it cannot be. */
function applyToLines(lines: string[], edit: AnswerEdit, path: string): string[] | string {
  const search = [...edit.search];
  while (search.length > 0 && search[0]?.trim() === "" && edit.format === "search_replace") search.shift();
  while (search.length > 0 && search.at(-1)?.trim() === "" && edit.format === "search_replace") search.pop();
  if (search.length === 0) {
    if (edit.hintLine !== undefined && edit.format === "diff") {
      const at = Math.min(Math.max(0, edit.hintLine), lines.length);
      return [...lines.slice(0, at), ...edit.replace, ...lines.slice(at)];
    }
    return `the SEARCH part for ${path} is empty; copy the lines to change from the file`;
  }
  const trimmedReplace =
    edit.format === "search_replace" ? trimBlankEdges(edit.replace, edit.search) : edit.replace;
  for (const same of COMPARISONS) {
    const found = occurrences(lines, search, same);
    if (found.length === 0) continue;
    const hint = (edit.hintLine ?? 1) - 1;
    const start = found.reduce(
      (best, candidate) => (Math.abs(candidate - hint) < Math.abs(best - hint) ? candidate : best),
      found[0] ?? 0,
    );
    const matched = lines.slice(start, start + search.length);
    const replacement =
      same === COMPARISONS[0] ? [...trimmedReplace] : reindent(trimmedReplace, search, matched);
    return [...lines.slice(0, start), ...replacement, ...lines.slice(start + search.length)];
  }
  return `the ${edit.format === "diff" ? "diff hunk" : "SEARCH text"} for ${path} does not match the current file (it starts with "${describe(search)}")`;
}

/** Blank lines around the replacement are dropped when the search part had none there (they were formatting). */
function trimBlankEdges(replace: readonly string[], search: readonly string[]): string[] {
  const result = [...replace];
  if (search[0]?.trim() !== "") while (result.length > 0 && result[0]?.trim() === "") result.shift();
  if (search.at(-1)?.trim() !== "") while (result.length > 0 && result.at(-1)?.trim() === "") result.pop();
  return result;
}

/** Applies every edit in order (several edits to one file compose); fails as a whole on the first one that does not fit. */
export async function applyAnswerEdits(
  edits: readonly AnswerEdit[],
  sources: EditSources,
): Promise<EditApplication> {
  const working = new Map<string, { before: string; lines: string[] }>();
  for (const edit of edits) {
    const path = await resolvePath(edit.path, sources);
    if (!path) {
      return {
        ok: false,
        reason: edit.path
          ? `${edit.path} is not a file of the project`
          : "an edit does not say which file it changes (put the path on the line before <<<<<<< SEARCH)",
      };
    }
    let file = working.get(path);
    if (!file) {
      const before = (await sources.readSource(path)) ?? "";
      file = { before, lines: before.split("\n") };
      working.set(path, file);
    }
    const result = applyToLines(file.lines, edit, path);
    if (typeof result === "string") return { ok: false, reason: result };
    file.lines = result;
  }
  const files: ChangedFile[] = [];
  for (const [path, { before, lines }] of working) {
    const after = lines.join("\n");
    if (after !== before) files.push({ path, before, after });
  }
  if (files.length === 0) return { ok: false, reason: "the edit changes nothing" };
  return { ok: true, files };
}

/** The 1-based, inclusive line range of `before` that differs from `after` (for the proposal's location). */
export function changedRange(before: string, after: string): { startLine: number; endLine: number } {
  const a = before.split("\n");
  const b = after.split("\n");
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix += 1;
  const startLine = Math.min(prefix + 1, Math.max(1, a.length));
  const endLine = Math.max(startLine, a.length - suffix);
  return { startLine, endLine };
}
