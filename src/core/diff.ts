// Unified diffs without I/O: parse git-style and plain diffs, create minimal line diffs (Myers), apply them to text.

/** One `@@ -a,b +c,d @@` block; `lines` keep their ' ', '+' or '-' prefix. */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
  /** `\ No newline at end of file` followed the last old-side line of this hunk. */
  oldEndsWithoutNewline?: boolean;
  /** `\ No newline at end of file` followed the last new-side line of this hunk. */
  newEndsWithoutNewline?: boolean;
}

/** The change to one file. Paths are relative, without the `a/` / `b/` prefixes; null stands for `/dev/null`. */
export interface FilePatch {
  oldPath: string | null;
  newPath: string | null;
  hunks: Hunk[];
  isBinary: boolean;
  isNew: boolean;
  isDeleted: boolean;
  /** File mode from `new file mode` / `new mode` lines, e.g. "100755", or "120000" for a symbolic link. */
  newMode?: string;
}

/** Thrown when text is not a unified diff, or a hunk's line counts do not match its header. */
export class DiffParseError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(line > 0 ? `diff line ${line}: ${message}` : message);
    this.name = "DiffParseError";
    this.line = line;
  }
}

/** Thrown when a patch does not fit the text it is applied to. */
export class PatchMismatchError extends Error {
  readonly path: string | null;
  constructor(message: string, path: string | null) {
    super(`${path ?? "(unnamed file)"}: ${message}`);
    this.name = "PatchMismatchError";
    this.path = path;
  }
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const NO_NEWLINE_MARKER = "\\ No newline at end of file";
/** Lines inside a `GIT binary patch` block: `literal N`, `delta N`, base85 rows and blank separators. */
const GIT_BINARY_DATA = /^(?:(?:literal|delta) \d+|[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]*|)$/;

// ---------------------------------------------------------------------------------------------------------
// Parsing

/** A C-quoted git name (`"a/caf\\303\\251"`, quotes included) as text; octal escapes are UTF-8 bytes. */
export function unquoteCPath(text: string): string {
  // Git quotes unusual names as "a/caf\303\251" with C escapes (octal bytes).
  const bytes: number[] = [];
  for (let i = 1; i < text.length - 1; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch !== 92) {
      for (const byte of new TextEncoder().encode(text[i] ?? "")) bytes.push(byte);
      continue;
    }
    const next = text[i + 1] ?? "";
    i += 1;
    if (/[0-7]/.test(next)) {
      const octal = text.slice(i, i + 3);
      bytes.push(Number.parseInt(octal, 8));
      i += 2;
    } else {
      const escapes: Record<string, number> = {
        n: 10,
        t: 9,
        r: 13,
        '"': 34,
        "\\": 92,
        a: 7,
        b: 8,
        f: 12,
        v: 11,
      };
      bytes.push(escapes[next] ?? next.charCodeAt(0));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The path part of a `---`/`+++` line: drops a trailing tab + timestamp and unquotes. */
function headerPath(raw: string): string {
  let text = raw;
  if (text.startsWith('"')) {
    const end = findClosingQuote(text, 0);
    if (end > 0) return unquoteCPath(text.slice(0, end + 1));
  }
  const tab = text.indexOf("\t");
  if (tab >= 0) text = text.slice(0, tab);
  return text.replace(/\s+$/, "");
}

function findClosingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === "\\") i += 1;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Paths named by `diff --git a/x b/y` (with or without quotes). */
function gitHeaderPaths(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const end = findClosingQuote(rest, 0);
    if (end < 0) return null;
    const first = unquoteCPath(rest.slice(0, end + 1));
    const tail = rest.slice(end + 1).trimStart();
    const second = tail.startsWith('"') ? unquoteCPath(tail) : tail;
    return [first, second];
  }
  // Same name on both sides (the common case, and names may contain spaces): split in the middle.
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2;
    const first = rest.slice(0, half);
    const second = rest.slice(half + 1);
    if (rest[half] === " " && first.slice(2) === second.slice(2)) return [first, second];
  }
  const split = rest.indexOf(" b/");
  if (split >= 0) {
    const second = rest.slice(split + 1);
    return [rest.slice(0, split), second.startsWith('"') ? unquoteCPath(second) : second];
  }
  const space = rest.indexOf(" ");
  if (space < 0) return null;
  return [rest.slice(0, space), rest.slice(space + 1)];
}

function stripPrefixes(oldRaw: string | null, newRaw: string | null): [string | null, string | null] {
  const oldOk = oldRaw === null || oldRaw.startsWith("a/");
  const newOk = newRaw === null || newRaw.startsWith("b/");
  if (oldOk && newOk && (oldRaw !== null || newRaw !== null)) {
    return [oldRaw === null ? null : oldRaw.slice(2), newRaw === null ? null : newRaw.slice(2)];
  }
  return [oldRaw, newRaw];
}

function devNull(path: string): string | null {
  return path === "/dev/null" ? null : path;
}

function emptyPatch(): FilePatch {
  return { oldPath: null, newPath: null, hunks: [], isBinary: false, isNew: false, isDeleted: false };
}

/** Parses a unified diff (git-style or plain) into one `FilePatch` per file; '' or whitespace gives []. */
export function parseUnifiedDiff(text: string): FilePatch[] {
  if (text.trim() === "") return [];
  const raw = text.split("\n");
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop();
  const lines = raw.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  // A diff whose every line ends in CR was converted to CRLF as a whole: its CRs are line ends, not content. Otherwise
  // a CR before the LF of a hunk line belongs to the file's line (git's diff of a CRLF file), and hunks keep it.
  const contentLines = raw.every((line) => line.endsWith("\r")) ? lines : raw;
  const patches: FilePatch[] = [];
  let current: FilePatch | null = null;
  /** The current patch came from `diff --git` and has not seen its `---`/`+++` pair yet. */
  let awaitingHeaders = false;
  let sawHeaders = false;
  let i = 0;

  const startPatch = (): FilePatch => {
    const patch = emptyPatch();
    patches.push(patch);
    return patch;
  };

  while (i < lines.length) {
    const line = lines[i] ?? "";
    const lineNumber = i + 1;

    if (line.startsWith("diff --git ")) {
      current = startPatch();
      const paths = gitHeaderPaths(line.slice("diff --git ".length));
      if (!paths) throw new DiffParseError(`cannot read the file names in "${line}"`, lineNumber);
      [current.oldPath, current.newPath] = stripPrefixes(paths[0], paths[1]);
      awaitingHeaders = true;
      sawHeaders = false;
      i += 1;
      continue;
    }

    if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) {
      const oldRaw = devNull(headerPath(line.slice(4)));
      const newRaw = devNull(headerPath((lines[i + 1] ?? "").slice(4)));
      if (!current || !awaitingHeaders) current = startPatch();
      const [oldPath, newPath] = stripPrefixes(oldRaw, newRaw);
      current.oldPath = oldPath;
      current.newPath = newPath;
      if (oldPath === null) current.isNew = true;
      if (newPath === null) current.isDeleted = true;
      awaitingHeaders = false;
      sawHeaders = true;
      i += 2;
      continue;
    }

    if (line.startsWith("@@")) {
      if (!current || !sawHeaders) {
        throw new DiffParseError("hunk header before any ---/+++ file header", lineNumber);
      }
      const parsed = readHunk(lines, contentLines, i);
      current.hunks.push(parsed.hunk);
      i = parsed.next;
      continue;
    }

    const binary = /^Binary files (.+) and (.+) differ$/.exec(line);
    if (binary) {
      if (!current || !awaitingHeaders) {
        current = startPatch();
        const [oldPath, newPath] = stripPrefixes(devNull(binary[1] ?? ""), devNull(binary[2] ?? ""));
        current.oldPath = oldPath;
        current.newPath = newPath;
        current.isNew = oldPath === null;
        current.isDeleted = newPath === null;
      }
      current.isBinary = true;
      awaitingHeaders = false;
      i += 1;
      continue;
    }

    if (current && awaitingHeaders) {
      if (line === "GIT binary patch") {
        current.isBinary = true;
        awaitingHeaders = false;
        i += 1;
        while (i < lines.length && GIT_BINARY_DATA.test(lines[i] ?? "")) i += 1;
        continue;
      }
      if (line.startsWith("new file mode")) {
        current.isNew = true;
        current.oldPath = null;
        current.newMode = line.slice("new file mode".length).trim();
      } else if (line.startsWith("new mode")) {
        current.newMode = line.slice("new mode".length).trim();
      } else if (line.startsWith("deleted file mode")) {
        current.isDeleted = true;
        current.newPath = null;
      } else if (line.startsWith("rename from ") || line.startsWith("copy from ")) {
        current.oldPath = headerPath(line.slice(line.indexOf(" from ") + 6));
      } else if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
        current.newPath = headerPath(line.slice(line.indexOf(" to ") + 4));
      }
      // index, mode and similarity lines carry nothing the engine needs.
      i += 1;
      continue;
    }

    if (/^[-+ ]/.test(line) && current && current.hunks.length > 0 && line !== "-- ") {
      throw new DiffParseError(
        `"${truncate(line)}" follows a complete hunk; the hunk header's line counts are too small`,
        lineNumber,
      );
    }
    // Anything else (commit messages, "Index:" lines, "===" rulers, signatures) is preamble between files.
    i += 1;
  }

  if (patches.length === 0) {
    throw new DiffParseError(
      `not a unified diff: no "diff --git", "---"/"+++" or "Binary files" header in ${lines.length} lines`,
      0,
    );
  }
  return patches;
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Reads the hunk whose header is `lines[start]`; `lines` have a final CR removed, `content` is what hunks keep. */
function readHunk(lines: string[], content: string[], start: number): { hunk: Hunk; next: number } {
  const header = lines[start] ?? "";
  const match = HUNK_HEADER.exec(header);
  if (!match) throw new DiffParseError(`malformed hunk header "${truncate(header)}"`, start + 1);
  const hunk: Hunk = {
    oldStart: Number(match[1]),
    oldLines: match[2] === undefined ? 1 : Number(match[2]),
    newStart: Number(match[3]),
    newLines: match[4] === undefined ? 1 : Number(match[4]),
    lines: [],
  };
  let oldLeft = hunk.oldLines;
  let newLeft = hunk.newLines;
  let i = start + 1;
  let last = "";
  while (oldLeft > 0 || newLeft > 0) {
    if (i >= lines.length) {
      throw new DiffParseError(
        `hunk "${header}" ends early: ${oldLeft} old and ${newLeft} new lines missing`,
        start + 1,
      );
    }
    const line = lines[i] ?? "";
    const kind = line === "" ? " " : line[0];
    if (kind === "\\") {
      markNoNewline(hunk, last);
      i += 1;
      continue;
    }
    if (kind === " " && oldLeft > 0 && newLeft > 0) {
      oldLeft -= 1;
      newLeft -= 1;
    } else if (kind === "-" && oldLeft > 0) {
      oldLeft -= 1;
    } else if (kind === "+" && newLeft > 0) {
      newLeft -= 1;
    } else {
      throw new DiffParseError(
        `line "${truncate(line)}" does not fit hunk "${header}" (${oldLeft} old and ${newLeft} new lines left)`,
        i + 1,
      );
    }
    hunk.lines.push(line === "" ? " " : (content[i] ?? line));
    last = kind ?? " ";
    i += 1;
  }
  while (i < lines.length && (lines[i] ?? "").startsWith("\\")) {
    markNoNewline(hunk, last);
    i += 1;
  }
  return { hunk, next: i };
}

function markNoNewline(hunk: Hunk, lastKind: string): void {
  if (lastKind === "-") hunk.oldEndsWithoutNewline = true;
  else if (lastKind === "+") hunk.newEndsWithoutNewline = true;
  else if (lastKind === " ") {
    hunk.oldEndsWithoutNewline = true;
    hunk.newEndsWithoutNewline = true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Line diff (Myers, linear space)

type EditKind = " " | "-" | "+";

interface Edit {
  kind: EditKind;
  /** The line with its terminator ("\n" or "\r\n"), or without one for a final unterminated line. */
  text: string;
}

/** Splits text into lines that keep their terminators. */
function splitKeepingEnds(text: string): string[] {
  if (text === "") return [];
  const result: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    if (end < 0) {
      result.push(text.slice(start));
      break;
    }
    result.push(text.slice(start, end + 1));
    start = end + 1;
  }
  return result;
}

/**
 * Minimal edit script between two integer sequences. Lines that occur on one side only can never match, so they
 * are set aside before running Myers on the rest; this keeps the result minimal and makes rewrites fast.
 */
function diffSequences(a: Int32Array, b: Int32Array, idCount: number): EditKind[] {
  const onA = new Uint8Array(idCount);
  const onB = new Uint8Array(idCount);
  for (const id of a) onA[id] = 1;
  for (const id of b) onB[id] = 1;
  const keptA: number[] = [];
  const keptB: number[] = [];
  a.forEach((id, index) => {
    if (onB[id]) keptA.push(index);
  });
  b.forEach((id, index) => {
    if (onA[id]) keptB.push(index);
  });
  if (keptA.length === a.length && keptB.length === b.length) return myersScript(a, b);

  const reducedScript = myersScript(
    Int32Array.from(keptA, (index) => a[index] ?? 0),
    Int32Array.from(keptB, (index) => b[index] ?? 0),
  );
  const script: EditKind[] = [];
  let i = 0; // position in a
  let j = 0; // position in b
  let ri = 0; // position in keptA
  let rj = 0; // position in keptB
  const advanceTo = (aEnd: number, bEnd: number) => {
    for (; i < aEnd; i += 1) script.push("-");
    for (; j < bEnd; j += 1) script.push("+");
  };
  for (const kind of reducedScript) {
    if (kind === " ") {
      advanceTo(keptA[ri] ?? a.length, keptB[rj] ?? b.length);
      script.push(" ");
      i += 1;
      j += 1;
      ri += 1;
      rj += 1;
    } else if (kind === "-") {
      ri += 1;
    } else {
      rj += 1;
    }
  }
  advanceTo(a.length, b.length);
  return script;
}

/** Minimal edit script between two integer sequences (Myers' O(ND) with the linear-space middle snake). */
function myersScript(a: Int32Array, b: Int32Array): EditKind[] {
  const script: EditKind[] = [];
  // Work is split into ranges processed left to right, so the stack holds ranges in reverse order.
  const pending: Array<[number, number, number, number] | EditKind[]> = [[0, a.length, 0, b.length]];
  while (pending.length > 0) {
    const item = pending.pop();
    if (!item) break;
    if (typeof item[0] === "string") {
      for (const kind of item as EditKind[]) script.push(kind);
      continue;
    }
    let [aLo, aHi, bLo, bHi] = item as [number, number, number, number];
    const head: EditKind[] = [];
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      head.push(" ");
      aLo += 1;
      bLo += 1;
    }
    let tailCount = 0;
    while (aHi > aLo && bHi > bLo && a[aHi - 1] === b[bHi - 1]) {
      tailCount += 1;
      aHi -= 1;
      bHi -= 1;
    }
    for (const kind of head) script.push(kind);
    const tail: EditKind[] = new Array(tailCount).fill(" ");
    if (aLo === aHi || bLo === bHi) {
      for (let i = aLo; i < aHi; i += 1) script.push("-");
      for (let i = bLo; i < bHi; i += 1) script.push("+");
      for (const kind of tail) script.push(kind);
      continue;
    }
    const [x, y] = middleSnake(a, aLo, aHi, b, bLo, bHi);
    pending.push(tail);
    pending.push([x, aHi, y, bHi]);
    pending.push([aLo, x, bLo, y]);
  }
  return script;
}

/** A point on an optimal edit path strictly inside the range (ranges here never share a first or last line). */
function middleSnake(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
): [number, number] {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const max = Math.ceil((n + m) / 2);
  const offset = max + 1;
  const forward = new Int32Array(2 * max + 3);
  const backward = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d += 1) {
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (forward[offset + k - 1] ?? 0) < (forward[offset + k + 1] ?? 0))) {
        x = forward[offset + k + 1] ?? 0;
      } else {
        x = (forward[offset + k - 1] ?? 0) + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x += 1;
        y += 1;
      }
      forward[offset + k] = x;
      const reverseK = delta - k;
      if (odd && reverseK >= -(d - 1) && reverseK <= d - 1) {
        if (x + (backward[offset + reverseK] ?? 0) >= n) return [aLo + x, bLo + y];
      }
    }
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (backward[offset + k - 1] ?? 0) < (backward[offset + k + 1] ?? 0))) {
        x = backward[offset + k + 1] ?? 0;
      } else {
        x = (backward[offset + k - 1] ?? 0) + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
        x += 1;
        y += 1;
      }
      backward[offset + k] = x;
      const forwardK = delta - k;
      if (!odd && forwardK >= -d && forwardK <= d) {
        if (x + (forward[offset + forwardK] ?? 0) >= n) return [aHi - x, bHi - y];
      }
    }
  }
  // Unreachable for ranges with differing ends; split off the first old line as a fallback.
  return [aLo + 1, bLo];
}

/** Line edits around the changes, with how many shared lines come before the first of them. */
interface EditWindow {
  edits: Edit[];
  firstLine: number;
}

/** Characters compared at once while looking for the lines two texts share. */
const CHUNK = 64;

/**
 * Where two texts stop sharing whole lines: `prefix` characters at the start, `suffix` at the end, both on line
 * boundaries of both texts. Found by comparing characters, so a one-line edit of a long file splits nothing.
 */
function sharedLineEnds(before: string, after: string): { prefix: number; suffix: number } {
  const shorter = Math.min(before.length, after.length);
  // Whole chunks compare natively; the last few characters one by one.
  let same = 0;
  while (same + CHUNK <= shorter && before.slice(same, same + CHUNK) === after.slice(same, same + CHUNK))
    same += CHUNK;
  while (same < shorter && before.charCodeAt(same) === after.charCodeAt(same)) same += 1;
  const prefix = same === 0 ? 0 : before.lastIndexOf("\n", same - 1) + 1;
  const room = shorter - prefix;
  let tail = 0;
  while (
    tail + CHUNK <= room &&
    before.slice(before.length - tail - CHUNK, before.length - tail) ===
      after.slice(after.length - tail - CHUNK, after.length - tail)
  ) {
    tail += CHUNK;
  }
  while (
    tail < room &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  ) {
    tail += 1;
  }
  // The shared tail counts from the first position that starts a line in both texts.
  const startsLine = (text: string, at: number) => at === prefix || text.charCodeAt(at - 1) === 10;
  if (startsLine(before, before.length - tail) && startsLine(after, after.length - tail)) {
    return { prefix, suffix: tail };
  }
  const newline = before.indexOf("\n", before.length - tail);
  return { prefix, suffix: newline < 0 ? 0 : before.length - newline - 1 };
}

function countLines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at >= 0 && at < end; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}

function lineEdits(before: string, after: string, context: number): EditWindow {
  // Lines shared at both ends are kept as they are; only the middle goes through the diff (most edits touch one spot).
  const { prefix, suffix } = sharedLineEnds(before, after);
  const oldMiddle = splitKeepingEnds(before.slice(prefix, before.length - suffix));
  const newMiddle = splitKeepingEnds(after.slice(prefix, after.length - suffix));
  // Up to `context` shared lines on each side are all the hunks show of the rest.
  let windowStart = prefix;
  for (let line = 0; line < context && windowStart > 0; line += 1)
    windowStart = windowStart < 2 ? 0 : before.lastIndexOf("\n", windowStart - 2) + 1;
  let windowEnd = before.length - suffix;
  for (let line = 0; line < context && windowEnd < before.length; line += 1) {
    const newline = before.indexOf("\n", windowEnd);
    windowEnd = newline < 0 ? before.length : newline + 1;
  }
  const leading = splitKeepingEnds(before.slice(windowStart, prefix));
  const trailing = splitKeepingEnds(before.slice(before.length - suffix, windowEnd));
  const ids = new Map<string, number>();
  const encode = (lines: string[]): Int32Array => {
    const result = new Int32Array(lines.length);
    lines.forEach((line, index) => {
      let id = ids.get(line);
      if (id === undefined) {
        id = ids.size;
        ids.set(line, id);
      }
      result[index] = id;
    });
    return result;
  };
  const encodedOld = encode(oldMiddle);
  const encodedNew = encode(newMiddle);
  const script = diffSequences(encodedOld, encodedNew, ids.size);
  const edits: Edit[] = leading.map((text) => ({ kind: " ", text }));
  let i = 0;
  let j = 0;
  for (const kind of script) {
    if (kind === " ") {
      edits.push({ kind, text: oldMiddle[i] ?? "" });
      i += 1;
      j += 1;
    } else if (kind === "-") {
      edits.push({ kind, text: oldMiddle[i] ?? "" });
      i += 1;
    } else {
      edits.push({ kind, text: newMiddle[j] ?? "" });
      j += 1;
    }
  }
  for (const text of trailing) edits.push({ kind: " ", text });
  return { edits: removalsFirst(edits), firstLine: countLines(before, windowStart) };
}

/** Within each run of changes, lists removed lines before added ones (the order git and humans expect). */
function removalsFirst(edits: Edit[]): Edit[] {
  const result: Edit[] = [];
  let removed: Edit[] = [];
  let added: Edit[] = [];
  const flush = () => {
    for (const edit of removed) result.push(edit);
    for (const edit of added) result.push(edit);
    removed = [];
    added = [];
  };
  for (const edit of edits) {
    if (edit.kind === "-") removed.push(edit);
    else if (edit.kind === "+") added.push(edit);
    else {
      flush();
      result.push(edit);
    }
  }
  flush();
  return result;
}

function formatRange(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

function quotePathIfNeeded(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git quotes names with control characters
  if (!/["\\\x00-\x1f\x7f]/.test(path)) return path;
  return `"${path
    .replace(/[\\"]/g, (ch) => `\\${ch}`)
    .replace(/\n/g, "\\n")
    .replace(/\t/g, "\\t")}"`;
}

/**
 * A git-style unified diff turning `before` into `after` for `path`, '' when they are equal.
 * `before === null` makes a new file, `after === null` a deletion.
 */
export function createUnifiedDiff(
  path: string,
  before: string | null,
  after: string | null,
  context = 3,
): string {
  if (before === after) return "";
  const contextLines = Math.max(0, Math.floor(context));
  const { edits, firstLine } = lineEdits(before ?? "", after ?? "", contextLines);
  const quotedA = quotePathIfNeeded(`a/${path}`);
  const quotedB = quotePathIfNeeded(`b/${path}`);
  let out = `diff --git ${quotedA} ${quotedB}\n`;
  if (before === null) out += "new file mode 100644\n";
  if (after === null) out += "deleted file mode 100644\n";
  out += `--- ${before === null ? "/dev/null" : quotedA}\n+++ ${after === null ? "/dev/null" : quotedB}\n`;

  const changeIndexes: number[] = [];
  edits.forEach((edit, index) => {
    if (edit.kind !== " ") changeIndexes.push(index);
  });
  if (changeIndexes.length === 0) return "";

  // Old/new line numbers before each edit index.
  const oldBefore = new Int32Array(edits.length + 1);
  const newBefore = new Int32Array(edits.length + 1);
  for (let i = 0; i < edits.length; i += 1) {
    const kind = edits[i]?.kind;
    oldBefore[i + 1] = (oldBefore[i] ?? 0) + (kind === "+" ? 0 : 1);
    newBefore[i + 1] = (newBefore[i] ?? 0) + (kind === "-" ? 0 : 1);
  }

  let groupStart = 0;
  while (groupStart < changeIndexes.length) {
    let groupEnd = groupStart;
    while (
      groupEnd + 1 < changeIndexes.length &&
      (changeIndexes[groupEnd + 1] ?? 0) - (changeIndexes[groupEnd] ?? 0) - 1 <= 2 * contextLines
    ) {
      groupEnd += 1;
    }
    const from = Math.max(0, (changeIndexes[groupStart] ?? 0) - contextLines);
    const to = Math.min(edits.length, (changeIndexes[groupEnd] ?? 0) + contextLines + 1);
    const oldCount = (oldBefore[to] ?? 0) - (oldBefore[from] ?? 0);
    const newCount = (newBefore[to] ?? 0) - (newBefore[from] ?? 0);
    const oldStart = firstLine + (oldBefore[from] ?? 0) + (oldCount === 0 ? 0 : 1);
    const newStart = firstLine + (newBefore[from] ?? 0) + (newCount === 0 ? 0 : 1);
    out += `@@ -${formatRange(oldStart, oldCount)} +${formatRange(newStart, newCount)} @@\n`;
    for (let i = from; i < to; i += 1) {
      const edit = edits[i];
      if (!edit) continue;
      if (edit.text.endsWith("\n")) {
        out += `${edit.kind}${edit.text}`;
      } else {
        out += `${edit.kind}${edit.text}\n${NO_NEWLINE_MARKER}\n`;
      }
    }
    groupStart = groupEnd + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Applying

function withoutFinalCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** Lines match exactly or up to a final CR on either side (a CRLF file patched with an LF diff, or the reverse). */
function sameLine(fileLine: string, patchLine: string): boolean {
  return fileLine === patchLine || withoutFinalCR(fileLine) === withoutFinalCR(patchLine);
}

function matchesAt(source: string[], at: number, expected: string[]): boolean {
  if (at < 0 || at + expected.length > source.length) return false;
  for (let i = 0; i < expected.length; i += 1) {
    if (!sameLine(source[at + i] ?? "", expected[i] ?? "")) return false;
  }
  return true;
}

/** Applies one file's hunks to `before` (hunks may have drifted by a few lines; context must match exactly). */
export function applyFilePatch(before: string, patch: FilePatch): string {
  const path = patch.newPath ?? patch.oldPath;
  if (patch.isBinary) throw new PatchMismatchError("binary patches cannot be applied as text", path);
  if (patch.isNew && before !== "")
    throw new PatchMismatchError("the patch creates the file but it already exists", path);
  if (patch.hunks.length === 0) return patch.isDeleted ? "" : before;

  // Lines keep their own CR. A patch without any CR (written with LF, or from a diff converted to CRLF as a whole)
  // gets the file's CRLF on its added lines when the file is uniformly CRLF.
  const patchHasCR = patch.hunks.some((hunk) => hunk.lines.some((line) => line.endsWith("\r")));
  const crlf = !patchHasCR && before.includes("\r\n") && !/(^|[^\r])\n/.test(before);
  const beforeEndsWithNewline = before === "" || before.endsWith("\n");
  const source = before === "" ? [] : before.split("\n");
  if (beforeEndsWithNewline && source.length > 0) source.pop();
  const added = (text: string) => (crlf && !text.endsWith("\r") ? `${text}\r` : text);

  const output: string[] = [];
  let cursor = 0;
  let drift = 0;
  let endsWithNewline = beforeEndsWithNewline;
  let touchedEnd = false;
  for (const [index, hunk] of patch.hunks.entries()) {
    const expected: string[] = [];
    /** New lines: added text, or the index (into `expected`) of a context line, which is copied from the file. */
    const replacement: Array<string | number> = [];
    for (const line of hunk.lines) {
      const kind = line[0];
      const text = line.slice(1);
      if (kind === " ") replacement.push(expected.length);
      else if (kind === "+") replacement.push(added(text));
      if (kind === " " || kind === "-") expected.push(text);
    }
    const wanted = (expected.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + drift;
    let at = -1;
    if (expected.length === 0) {
      at = Math.min(Math.max(wanted, cursor), source.length);
      if (hunk.oldStart === 0) at = cursor === 0 ? 0 : -1;
    } else {
      const limit = Math.max(source.length, 1);
      for (let shift = 0; shift <= limit; shift += 1) {
        if (wanted - shift >= cursor && matchesAt(source, wanted - shift, expected)) {
          at = wanted - shift;
          break;
        }
        if (shift > 0 && matchesAt(source, wanted + shift, expected)) {
          at = wanted + shift;
          break;
        }
      }
    }
    if (at < 0) {
      throw new PatchMismatchError(
        `hunk ${index + 1} (@@ -${hunk.oldStart},${hunk.oldLines} @@) does not match the file: expected "${truncate(
          expected[0] ?? "",
        )}" near line ${hunk.oldStart}`,
        path,
      );
    }
    for (let i = cursor; i < at; i += 1) output.push(source[i] ?? "");
    for (const line of replacement) output.push(typeof line === "number" ? (source[at + line] ?? "") : line);
    cursor = at + expected.length;
    drift = at - (expected.length === 0 ? hunk.oldStart : hunk.oldStart - 1);
    if (cursor >= source.length) {
      touchedEnd = true;
      if (hunk.newEndsWithoutNewline) endsWithNewline = false;
      else if (hunk.oldEndsWithoutNewline) endsWithNewline = true;
    }
  }
  for (let i = cursor; i < source.length; i += 1) output.push(source[i] ?? "");
  if (patch.isDeleted) {
    if (output.length > 0)
      throw new PatchMismatchError(`the deletion leaves ${output.length} lines behind`, path);
    return "";
  }
  if (output.length === 0) return "";
  if (!touchedEnd) endsWithNewline = beforeEndsWithNewline;
  if (endsWithNewline && crlf && touchedEnd)
    output[output.length - 1] = added(output[output.length - 1] ?? "");
  return output.join("\n") + (endsWithNewline ? "\n" : "");
}

/** Number of added plus removed lines. */
export function changedLineCount(patches: readonly FilePatch[]): number {
  let count = 0;
  for (const patch of patches) {
    for (const hunk of patch.hunks) {
      for (const line of hunk.lines) {
        if (line[0] === "+" || line[0] === "-") count += 1;
      }
    }
  }
  return count;
}

/** Every distinct path a patch set reads or writes (old and new names of renames), in order of appearance. */
export function touchedPaths(patches: readonly FilePatch[]): string[] {
  const seen = new Set<string>();
  for (const patch of patches) {
    if (patch.oldPath !== null) seen.add(patch.oldPath);
    if (patch.newPath !== null) seen.add(patch.newPath);
  }
  return [...seen];
}
