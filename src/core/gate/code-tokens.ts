// Tokenizes the new side of a hunk (JavaScript/TypeScript or Python) so rules see names, strings and punctuation, never comments.

export type TokenKind = "name" | "string" | "number" | "punct";

export interface CodeToken {
  kind: TokenKind;
  /** A name or punctuation as written; a string's decoded-enough value (quotes and prefixes removed, escapes kept). */
  value: string;
  /** Index of the source line (in the order given) the token starts on. */
  line: number;
  /** A string with interpolation (f-string, template literal) or built by implicit concatenation. */
  computed?: boolean;
}

export type Language = "python" | "javascript";

/** A comment's place: source line index and the columns it covers on that line. */
export interface CommentSpan {
  line: number;
  start: number;
  end: number;
}

/** A Python string prefix right before a quote, matched in place (sticky) at the cursor. */
const STRING_PREFIX = /[rRbBuUfF]{1,2}(?=["'])/y;
const NAME_START = /[A-Za-z_$\u00c0-\uffff]/;
const NAME_PART = /[\w$\u00c0-\uffff]/;
const PUNCT3 = new Set(["===", "!==", "**=", "...", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "//="]);
const PUNCT2 = new Set([
  "==",
  "!=",
  "<=",
  ">=",
  "=>",
  "&&",
  "||",
  "??",
  "?.",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "**",
  "//",
  "<<",
  ">>",
  "->",
  ":=",
]);
/** After these tokens a `/` starts a regular expression literal in JavaScript. */
const REGEX_AFTER = new Set([
  "(",
  ",",
  "=",
  ":",
  "[",
  "!",
  "&",
  "|",
  "?",
  "{",
  "}",
  ";",
  "+",
  "-",
  "*",
  "%",
  "<",
  ">",
  "~",
  "^",
  "==",
  "===",
  "!=",
  "!==",
  "&&",
  "||",
  "??",
  "=>",
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "void",
  "yield",
  "await",
  "delete",
  "throw",
  "new",
]);

interface Cursor {
  lines: readonly string[];
  line: number;
  col: number;
  comments: CommentSpan[];
  /** The opener of a string, template or comment the input ended inside ("" when it ended in code). */
  open: string;
}

function peek(cursor: Cursor, offset = 0): string {
  const text = cursor.lines[cursor.line] ?? "";
  const at = cursor.col + offset;
  if (at < text.length) return text[at] ?? "";
  if (at === text.length && cursor.line < cursor.lines.length - 1) return "\n";
  return "";
}

function advance(cursor: Cursor, count = 1): void {
  for (let i = 0; i < count; i += 1) {
    const text = cursor.lines[cursor.line] ?? "";
    if (cursor.col < text.length) cursor.col += 1;
    else {
      cursor.line += 1;
      cursor.col = 0;
    }
  }
}

function atEnd(cursor: Cursor): boolean {
  return (
    cursor.line >= cursor.lines.length ||
    (cursor.line === cursor.lines.length - 1 && cursor.col >= (cursor.lines[cursor.line] ?? "").length)
  );
}

/**
 * Tokens of `lines` read as one piece of code. Comments are dropped; string literals become one token each, and the
 * code inside `${…}` or an f-string's `{…}` is tokenized as code. Unterminated strings end at the end of the input.
 */
export function tokenize(
  lines: readonly string[],
  language: Language,
  comments: CommentSpan[] = [],
): CodeToken[] {
  const tokens: CodeToken[] = [];
  const cursor: Cursor = { lines, line: 0, col: 0, comments, open: "" };
  readCode(cursor, language, tokens, null);
  return tokens;
}

/**
 * The construct `lines` end inside, as text that reopens it (a triple quote with its prefix, a backtick, a block
 * comment opener), or "" for code. Read over a file's lines before a hunk, it tells how the hunk's first line starts.
 */
export function openConstructAfter(lines: readonly string[], language: Language): string {
  const cursor: Cursor = { lines, line: 0, col: 0, comments: [], open: "" };
  readCode(cursor, language, [], null);
  return cursor.open;
}

/** Reads code until `closer` (a `}` ending an interpolation) at depth 0, or the end. */
function readCode(cursor: Cursor, language: Language, tokens: CodeToken[], closer: "}" | null): void {
  let depth = 0;
  while (!atEnd(cursor)) {
    const ch = peek(cursor);
    const line = cursor.line;
    if (ch === "\n" || ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v") {
      advance(cursor);
      continue;
    }
    if (language === "python" && ch === "#") {
      skipToLineEnd(cursor);
      continue;
    }
    if (language === "javascript" && ch === "/" && peek(cursor, 1) === "/") {
      skipToLineEnd(cursor);
      continue;
    }
    if (language === "javascript" && ch === "/" && peek(cursor, 1) === "*") {
      let start = cursor.col;
      advance(cursor, 2);
      while (!atEnd(cursor) && !(peek(cursor) === "*" && peek(cursor, 1) === "/")) {
        if (peek(cursor) === "\n") {
          cursor.comments.push({ line: cursor.line, start, end: cursor.col });
          start = 0;
        }
        advance(cursor);
      }
      if (atEnd(cursor)) cursor.open = "/*";
      advance(cursor, 2);
      cursor.comments.push({ line: cursor.line, start, end: cursor.col });
      continue;
    }
    if (closer && ch === "}" && depth === 0) {
      advance(cursor);
      return;
    }
    if (ch === "{") depth += 1;
    if (ch === "}") depth -= 1;
    if (language === "python" && /[rRbBuUfF]/.test(ch)) {
      STRING_PREFIX.lastIndex = cursor.col;
      const prefix = STRING_PREFIX.exec(cursor.lines[cursor.line] ?? "");
      if (prefix) {
        advance(cursor, prefix[0].length);
        readPythonString(cursor, tokens, line, /[fF]/.test(prefix[0]), /[rR]/.test(prefix[0]));
        continue;
      }
    }
    if (ch === '"' || ch === "'") {
      if (language === "python") readPythonString(cursor, tokens, line, false, false);
      else readQuoted(cursor, tokens, line, ch);
      continue;
    }
    if (ch === "`" && language === "javascript") {
      readTemplate(cursor, tokens, line);
      continue;
    }
    if (language === "javascript" && ch === "/" && regexMayStart(tokens)) {
      readRegex(cursor, tokens, line);
      continue;
    }
    if (language === "python" && ch === "\\" && peek(cursor, 1) === "\n") {
      advance(cursor, 2);
      continue;
    }
    if (NAME_START.test(ch)) {
      let value = "";
      while (!atEnd(cursor) && NAME_PART.test(peek(cursor))) {
        value += peek(cursor);
        advance(cursor);
      }
      tokens.push({ kind: "name", value, line });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(peek(cursor, 1)))) {
      let value = "";
      while (!atEnd(cursor) && /[\w.]/.test(peek(cursor))) {
        value += peek(cursor);
        advance(cursor);
      }
      tokens.push({ kind: "number", value, line });
      continue;
    }
    const three = ch + peek(cursor, 1) + peek(cursor, 2);
    const two = ch + peek(cursor, 1);
    const value = PUNCT3.has(three) ? three : PUNCT2.has(two) ? two : ch;
    advance(cursor, value.length);
    tokens.push({ kind: "punct", value, line });
  }
}

function skipToLineEnd(cursor: Cursor): void {
  const end = (cursor.lines[cursor.line] ?? "").length;
  cursor.comments.push({ line: cursor.line, start: cursor.col, end });
  cursor.col = end;
}

function regexMayStart(tokens: readonly CodeToken[]): boolean {
  const previous = tokens[tokens.length - 1];
  if (!previous) return true;
  if (previous.kind === "string" || previous.kind === "number") return false;
  if (previous.kind === "name") return REGEX_AFTER.has(previous.value);
  return REGEX_AFTER.has(previous.value);
}

function readRegex(cursor: Cursor, tokens: CodeToken[], line: number): void {
  advance(cursor);
  let value = "";
  let inClass = false;
  while (!atEnd(cursor) && peek(cursor) !== "\n") {
    const ch = peek(cursor);
    if (ch === "\\") {
      value += ch + peek(cursor, 1);
      advance(cursor, 2);
      continue;
    }
    advance(cursor);
    if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    else if (ch === "/" && !inClass) break;
    value += ch;
  }
  while (!atEnd(cursor) && /[a-z]/.test(peek(cursor))) advance(cursor);
  tokens.push({ kind: "string", value, line });
}

function readQuoted(cursor: Cursor, tokens: CodeToken[], line: number, quote: string): void {
  advance(cursor);
  let value = "";
  while (!atEnd(cursor)) {
    const ch = peek(cursor);
    if (ch === "\\") {
      const next = peek(cursor, 1);
      value += next === "\n" ? "" : ch + next;
      advance(cursor, 2);
      continue;
    }
    if (ch === "\n") break; // an unterminated literal ends at the line's end
    advance(cursor);
    if (ch === quote) break;
    value += ch;
  }
  pushString(tokens, { kind: "string", value, line });
}

function readTemplate(cursor: Cursor, tokens: CodeToken[], line: number): void {
  advance(cursor);
  let value = "";
  let computed = false;
  while (!atEnd(cursor)) {
    const ch = peek(cursor);
    if (ch === "\\") {
      value += ch + peek(cursor, 1);
      advance(cursor, 2);
      continue;
    }
    if (ch === "$" && peek(cursor, 1) === "{") {
      advance(cursor, 2);
      computed = true;
      readCode(cursor, "javascript", tokens, "}");
      continue;
    }
    advance(cursor);
    if (ch === "`") {
      pushTemplate(tokens, value, line, computed);
      return;
    }
    value += ch;
  }
  cursor.open = "`";
  pushTemplate(tokens, value, line, computed);
}

function pushTemplate(tokens: CodeToken[], value: string, line: number, computed: boolean): void {
  tokens.push({ kind: "string", value, line, ...(computed ? { computed: true } : {}) });
}

function readPythonString(
  cursor: Cursor,
  tokens: CodeToken[],
  line: number,
  formatted: boolean,
  raw: boolean,
): void {
  const quote = peek(cursor);
  const triple = peek(cursor, 1) === quote && peek(cursor, 2) === quote;
  advance(cursor, triple ? 3 : 1);
  let value = "";
  let computed = false;
  while (!atEnd(cursor)) {
    const ch = peek(cursor);
    if (ch === "\\") {
      const next = peek(cursor, 1);
      value += next === "\n" && !raw ? "" : ch + next;
      advance(cursor, 2);
      continue;
    }
    if (!triple && ch === "\n") break;
    if (formatted && ch === "{") {
      if (peek(cursor, 1) === "{") {
        value += "{";
        advance(cursor, 2);
        continue;
      }
      advance(cursor);
      computed = true;
      readCode(cursor, "python", tokens, "}");
      continue;
    }
    if (ch === quote && (!triple || (peek(cursor, 1) === quote && peek(cursor, 2) === quote))) {
      advance(cursor, triple ? 3 : 1);
      pushString(tokens, { kind: "string", value, line, ...(computed ? { computed: true } : {}) });
      return;
    }
    value += ch;
    advance(cursor);
  }
  if (triple) cursor.open = `${formatted ? "f" : ""}${raw ? "r" : ""}${quote.repeat(3)}`;
  pushString(tokens, { kind: "string", value, line, ...(computed ? { computed: true } : {}) });
}

/** Adjacent string literals (Python's implicit concatenation `"sys" "tem"`) merge into one computed string. */
function pushString(tokens: CodeToken[], token: CodeToken): void {
  const previous = tokens[tokens.length - 1];
  if (
    previous &&
    previous.kind === "string" &&
    !previous.computed &&
    !token.computed &&
    previous.line !== -1
  ) {
    const merged = previous.value + token.value;
    tokens[tokens.length - 1] = { kind: "string", value: merged, line: previous.line, computed: true };
    return;
  }
  tokens.push(token);
}
