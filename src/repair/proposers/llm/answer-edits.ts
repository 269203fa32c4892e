// Parses a model's answer into edits: search/replace blocks and (leniently) unified diffs, tolerating wrong hunk counts.

/** One replacement in one file: the `search` lines become the `replace` lines. */
export interface AnswerEdit {
  /** The path as the model wrote it ("" when it named none). */
  path: string;
  search: string[];
  replace: string[];
  /** Where the hunk said the change starts (1-based), to choose between several matches. */
  hintLine?: number;
  format: "search_replace" | "diff";
}

export interface ParsedAnswer {
  edits: AnswerEdit[];
  /** What was wrong with the answer when no edit could be read from it. */
  problem?: string;
}

const SEARCH_START = /^\s*<{5,9}\s*SEARCH\b.*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE_END = /^\s*>{5,9}\s*REPLACE\b.*$/;
const FENCE = /^\s*(```|~~~)/;
const NUMBERED_LINE = /^\s*\d+ \| ?/;

/** A path line such as `src/a.js`, `**src/a.js**`, `File: src/a.js` or `### src/a.js`, cleaned; "" when none. */
function cleanPathLine(line: string): string {
  let text = line.trim();
  text = text.replace(/^#+\s*/, "").replace(/^[-*]\s+/, "");
  text = text.replace(/^(file|path|filename)\s*:\s*/i, "");
  text = text.replace(/^[*`'"]+|[*`'":]+$/g, "").trim();
  if (!text || /\s/.test(text) || !/[\w-]/.test(text)) return "";
  return text;
}

/** The path named just before line `index` (skipping a fence opener and blank lines). */
function pathBefore(lines: readonly string[], index: number): string {
  for (let i = index - 1, looked = 0; i >= 0 && looked < 3; i -= 1) {
    const line = lines[i] ?? "";
    if (!line.trim()) continue;
    looked += 1;
    if (FENCE.test(line)) {
      const info = line
        .trim()
        .replace(/^(```|~~~)/, "")
        .trim();
      if (info.includes("/") || info.includes(".")) {
        const path = cleanPathLine(info);
        if (path) return path;
      }
      continue;
    }
    return cleanPathLine(line);
  }
  return "";
}

/** Removes `  12 | ` prefixes copied from the prompt when every non-blank line of the search part carries one. */
function stripPromptLineNumbers(edit: AnswerEdit): AnswerEdit {
  const meaningful = edit.search.filter((line) => line.trim() !== "");
  if (meaningful.length === 0 || !meaningful.every((line) => NUMBERED_LINE.test(line))) return edit;
  const strip = (line: string) => line.replace(NUMBERED_LINE, "");
  return { ...edit, search: edit.search.map(strip), replace: edit.replace.map(strip) };
}

function parseSearchReplace(lines: readonly string[]): { edits: AnswerEdit[]; problem?: string } {
  const edits: AnswerEdit[] = [];
  let problem: string | undefined;
  let lastPath = "";
  for (let i = 0; i < lines.length; i += 1) {
    if (!SEARCH_START.test(lines[i] ?? "")) continue;
    const path = pathBefore(lines, i) || lastPath;
    const search: string[] = [];
    const replace: string[] = [];
    let j = i + 1;
    while (j < lines.length && !DIVIDER.test(lines[j] ?? "") && !SEARCH_START.test(lines[j] ?? ""))
      search.push(lines[j++] ?? "");
    if (j >= lines.length || !DIVIDER.test(lines[j] ?? "")) {
      problem = "a <<<<<<< SEARCH block has no ======= divider";
      i = j - 1;
      continue;
    }
    j += 1;
    while (j < lines.length && !REPLACE_END.test(lines[j] ?? "") && !SEARCH_START.test(lines[j] ?? ""))
      replace.push(lines[j++] ?? "");
    if (j >= lines.length || !REPLACE_END.test(lines[j] ?? "")) {
      problem = "a SEARCH block is not closed by >>>>>>> REPLACE";
      i = j - 1;
      continue;
    }
    lastPath = path;
    edits.push(stripPromptLineNumbers({ path, search, replace, format: "search_replace" }));
    i = j;
  }
  return problem ? { edits, problem } : { edits };
}

function diffPath(header: string): string {
  const raw = header
    .replace(/^(---|\+\+\+)\s+/, "")
    .replace(/\t.*$/, "")
    .trim();
  if (raw === "/dev/null") return "";
  return raw.replace(/^"(.*)"$/, "$1");
}

function isFileHeader(lines: readonly string[], i: number): boolean {
  return /^---\s+\S/.test(lines[i] ?? "") && /^\+\+\+\s+\S/.test(lines[i + 1] ?? "");
}

function isHunkLine(line: string): boolean {
  return line === "" || line[0] === " " || line[0] === "+" || line[0] === "-" || line[0] === "\\";
}

/** Hunks of each `--- / +++` file section; the `@@` counts are ignored, the body decides. */
function parseLooseDiff(lines: readonly string[]): AnswerEdit[] {
  const edits: AnswerEdit[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!isFileHeader(lines, i)) continue;
    const newPath = diffPath(lines[i + 1] ?? "");
    const path = newPath || diffPath(lines[i] ?? "");
    i += 2;
    while (i < lines.length && /^@@/.test(lines[i] ?? "")) {
      const start = /^@@\s*-(\d+)/.exec(lines[i] ?? "");
      const body: string[] = [];
      i += 1;
      while (i < lines.length) {
        const line = lines[i] ?? "";
        if (
          /^@@/.test(line) ||
          isFileHeader(lines, i) ||
          /^diff --git /.test(line) ||
          FENCE.test(line) ||
          !isHunkLine(line)
        )
          break;
        body.push(line);
        i += 1;
      }
      while (body.length > 0 && (body.at(-1) ?? "").trim() === "") body.pop();
      const search: string[] = [];
      const replace: string[] = [];
      for (const line of body) {
        if (line.startsWith("\\")) continue;
        const text = line.slice(1);
        if (line.startsWith("+")) replace.push(text);
        else if (line.startsWith("-")) search.push(text);
        else {
          search.push(text);
          replace.push(text);
        }
      }
      if (search.length > 0 || replace.length > 0) {
        const hintLine = start ? Number(start[1]) : undefined;
        edits.push({
          path,
          search,
          replace,
          format: "diff",
          ...(hintLine !== undefined ? { hintLine } : {}),
        });
      }
    }
    i -= 1;
  }
  return edits;
}

/** Every edit the answer contains; `problem` explains an answer with none. Never throws. */
export function parseAnswerEdits(answer: string): ParsedAnswer {
  const lines = answer.replace(/\r\n?/g, "\n").split("\n");
  const blocks = parseSearchReplace(lines);
  if (blocks.edits.length > 0) return { edits: blocks.edits };
  const hunks = parseLooseDiff(lines);
  if (hunks.length > 0) return { edits: hunks };
  if (blocks.problem) return { edits: [], problem: blocks.problem };
  if (!answer.trim()) return { edits: [], problem: "the answer was empty" };
  return { edits: [], problem: "the answer contained neither a search/replace block nor a unified diff" };
}
