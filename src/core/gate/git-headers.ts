// Reads a diff's file headers the way `git apply -p1` does and rejects any header git could read differently from the gate.
import { unquoteCPath as unquoteGitPath } from "../diff.js";

/** A header problem: what is wrong, where, and whether it is a malformed header or a path that escapes. */
export interface HeaderProblem {
  type: "malformed_diff" | "path_escape";
  line: number;
  what: string;
}

/** Extended header lines git's `parse_git_diff_header` knows; any other line between `diff --git` and a hunk is refused. */
const GIT_EXTENDED_HEADER =
  /^(?:old mode [0-7]{6}|new mode [0-7]{6}|deleted file mode [0-7]{6}|new file mode [0-7]{6}|copy from .+|copy to .+|rename old .+|rename new .+|rename from .+|rename to .+|similarity index \d{1,3}%|dissimilarity index \d{1,3}%|index [0-9a-f]{4,64}\.\.[0-9a-f]{4,64}(?: [0-7]{6})?)$/;
const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

interface GitPatchHeader {
  line: number;
  oldName: string;
  newName: string;
  isNew: boolean;
  isDeleted: boolean;
  renameFrom?: string;
  renameTo?: string;
  hasCopy: boolean;
}

/** Splits `a/x b/y` (either side may be C-quoted) into its two raw names, or null when git could not. */
function splitGitNames(rest: string): [string, string] | null {
  const quoted = /^"(?:[^"\\]|\\.)*"/;
  let first: string;
  let tail: string;
  const q = quoted.exec(rest);
  if (q) {
    first = unquoteGitPath(q[0]);
    tail = rest.slice(q[0].length);
    if (!tail.startsWith(" ")) return null;
    tail = tail.slice(1);
  } else if (rest.includes('"')) {
    const space = rest.indexOf(' "');
    if (space < 0) return null;
    first = rest.slice(0, space);
    tail = rest.slice(space + 1);
  } else {
    // Unquoted names may contain spaces; git accepts them only when both halves name the same file.
    if ((rest.length - 1) % 2 !== 0) return null;
    const half = (rest.length - 1) / 2;
    if (rest[half] !== " ") return null;
    return [rest.slice(0, half), rest.slice(half + 1)];
  }
  if (tail.startsWith('"')) {
    const second = quoted.exec(tail);
    if (!second || second[0].length !== tail.length) return null;
    return [first, unquoteGitPath(second[0])];
  }
  if (tail.includes('"')) return null;
  return [first, tail];
}

/** The path of a `---`/`+++` line, or null for `/dev/null`; a tab starts a timestamp (plain diffs only). */
function headerName(raw: string): string | { error: string } | null {
  let text = raw;
  if (text.startsWith('"')) {
    const quoted = /^"(?:[^"\\]|\\.)*"/.exec(text);
    if (!quoted) return { error: "has an unterminated quoted name" };
    const rest = text.slice(quoted[0].length);
    if (rest !== "" && !rest.startsWith("\t")) return { error: "has text after its quoted name" };
    text = unquoteGitPath(quoted[0]);
  } else {
    const tab = text.indexOf("\t");
    if (tab >= 0) text = text.slice(0, tab);
    if (/\s$/.test(text))
      return { error: "ends in white space, which git and the gate may read differently" };
  }
  return text === "/dev/null" ? null : text;
}

function stripPrefix(name: string, prefix: "a/" | "b/"): string | null {
  return name.startsWith(prefix) ? name.slice(2) : null;
}

function show(text: string): string {
  const shown = JSON.stringify(text).slice(1, -1);
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

/**
 * Walks the diff's headers with git's rules: `diff --git` names with `a/`/`b/` prefixes, only the extended header
 * lines git knows, `---`/`+++` names that agree with the `diff --git` and rename lines, and `/dev/null` only where
 * the header says the file is new or deleted. Hunk bodies are skipped by their line counts.
 */
export function checkGitHeaders(diff: string): HeaderProblem | null {
  const lines = diff.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  let header: GitPatchHeader | null = null;
  /** Inside a `diff --git` header (before its first hunk or binary block). */
  let inHeader = false;
  let sawNames = false;
  let oldLeft = 0;
  let newLeft = 0;
  let sawAnyPatch = false;
  const malformed = (line: number, what: string): HeaderProblem => ({ type: "malformed_diff", line, what });

  const finishHeader = (): HeaderProblem | null => {
    if (!header) return null;
    const h = header;
    if (h.renameFrom !== undefined || h.renameTo !== undefined) {
      if (h.renameFrom !== h.oldName || h.renameTo !== h.newName) {
        return malformed(
          h.line,
          `the rename lines (${show(h.renameFrom ?? "?")} → ${show(h.renameTo ?? "?")}) disagree with the diff --git names`,
        );
      }
    } else if (!h.hasCopy && h.oldName !== h.newName) {
      return malformed(
        h.line,
        `diff --git names two different files (${show(h.oldName)}, ${show(h.newName)}) without rename lines`,
      );
    }
    return null;
  };

  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] ?? "";
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const number = index + 1;
    if (oldLeft > 0 || newLeft > 0) {
      const mark = line === "" ? " " : line[0];
      if (mark === "\\") continue;
      if (mark === "-") oldLeft -= 1;
      else if (mark === "+") newLeft -= 1;
      else if (mark === " ") {
        oldLeft -= 1;
        newLeft -= 1;
      } else return malformed(number, `"${show(line)}" interrupts a hunk`);
      continue;
    }
    if (line.startsWith("diff --git ")) {
      const finished = finishHeader();
      if (finished) return finished;
      if (line.includes("\t")) return malformed(number, "the diff --git line holds a tab");
      const names = splitGitNames(line.slice("diff --git ".length));
      if (!names) return malformed(number, `git cannot read the file names of "${show(line)}"`);
      const oldName = stripPrefix(names[0], "a/");
      const newName = stripPrefix(names[1], "b/");
      if (oldName === null || newName === null) {
        return malformed(
          number,
          `diff --git names must start with a/ and b/ (git apply -p1 strips any first directory): "${show(line)}"`,
        );
      }
      header = { line: number, oldName, newName, isNew: false, isDeleted: false, hasCopy: false };
      inHeader = true;
      sawNames = false;
      sawAnyPatch = true;
      continue;
    }
    if (line.startsWith("--- ") && (lines[index + 1] ?? "").replace(/\r$/, "").startsWith("+++ ")) {
      const next = (lines[index + 1] ?? "").replace(/\r$/, "");
      const oldRaw = headerName(line.slice(4));
      const newRaw = headerName(next.slice(4));
      if (oldRaw !== null && typeof oldRaw === "object")
        return malformed(number, `the --- line ${oldRaw.error}`);
      if (newRaw !== null && typeof newRaw === "object")
        return malformed(number + 1, `the +++ line ${newRaw.error}`);
      if (oldRaw === null && newRaw === null) return malformed(number, "both sides are /dev/null");
      const oldName = oldRaw === null ? null : stripPrefix(oldRaw, "a/");
      const newName = newRaw === null ? null : stripPrefix(newRaw, "b/");
      if ((oldRaw !== null && oldName === null) || (newRaw !== null && newName === null)) {
        return {
          type: "malformed_diff",
          line: number,
          what: `---/+++ names must start with a/ and b/ (git apply -p1 strips any first directory): ${show(oldRaw ?? "/dev/null")}, ${show(newRaw ?? "/dev/null")}`,
        };
      }
      if (inHeader && header) {
        if (sawNames) return malformed(number, "a second ---/+++ pair in one file's header");
        if (oldName === null ? !header.isNew : oldName !== header.oldName || header.isNew) {
          return malformed(
            number,
            `the --- name (${show(oldRaw ?? "/dev/null")}) disagrees with the diff --git header`,
          );
        }
        if (newName === null ? !header.isDeleted : newName !== header.newName || header.isDeleted) {
          return malformed(
            number + 1,
            `the +++ name (${show(newRaw ?? "/dev/null")}) disagrees with the diff --git header`,
          );
        }
        sawNames = true;
      } else {
        const finished = finishHeader();
        if (finished) return finished;
        header = null;
        inHeader = false;
        sawAnyPatch = true;
      }
      index += 1;
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      if (inHeader && !sawNames) return malformed(number, "a hunk follows diff --git without ---/+++ names");
      inHeader = false;
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      continue;
    }
    if (inHeader && header) {
      if (line === "GIT binary patch" || /^Binary files .* differ$/.test(line)) {
        inHeader = false;
        continue;
      }
      if (!GIT_EXTENDED_HEADER.test(line)) {
        return malformed(
          number,
          `unknown line in a diff --git header: "${show(line)}" (git ends the header there)`,
        );
      }
      if (sawNames) return malformed(number, `"${show(line)}" follows the ---/+++ names`);
      if (line.startsWith("new file mode ")) header.isNew = true;
      else if (line.startsWith("deleted file mode ")) header.isDeleted = true;
      else if (line.startsWith("rename from ") || line.startsWith("rename old ")) {
        header.renameFrom = unquoteIfQuoted(line.slice(line.indexOf(" ", 7) + 1));
      } else if (line.startsWith("rename to ") || line.startsWith("rename new ")) {
        header.renameTo = unquoteIfQuoted(line.slice(line.indexOf(" ", 7) + 1));
      } else if (line.startsWith("copy ")) header.hasCopy = true;
    }
    // Text outside any file's header and hunks: a preamble or trailer that git also ignores.
  }
  if (oldLeft > 0 || newLeft > 0) return malformed(lines.length, "the last hunk ends early");
  if (!sawAnyPatch) return null;
  return finishHeader();
}

function unquoteIfQuoted(text: string): string {
  return text.startsWith('"') ? unquoteGitPath(text) : text;
}
