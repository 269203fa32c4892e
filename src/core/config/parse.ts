// Parses `.github/rfsn.yml` text into `RfsnConfig`, reporting every problem with its line, key and what was expected.
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from "yaml";
import type { ZodError } from "zod";
import { closestKey } from "./key-suggestion.js";
import { type RfsnConfig, repositoryConfigSchema, SECTION_KEYS, toRfsnConfig } from "./schema.js";

export const DEFAULT_CONFIG_FILE = ".github/rfsn.yml";

/** One problem found in the file; `line` and `column` are 1-based. */
export interface ConfigProblem {
  line: number;
  column: number;
  /** Dotted path of the offending key, e.g. `limits.max_iterations` ("" for the whole file). */
  key: string;
  /** What a valid value looks like, e.g. "a positive integer". */
  expected: string;
  /** The full sentence without the file and line prefix. */
  message: string;
}

/** The configuration file is invalid; `problems` lists every problem, the other fields describe the first one. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly key: string;
  readonly expected: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    const [first] = problems;
    if (!first) throw new TypeError("ConfigError needs at least one problem");
    const located = (problem: ConfigProblem) => `line ${problem.line}: ${maskSecretShapes(problem.message)}`;
    super(
      problems.length === 1
        ? `${file} ${located(first)}`
        : `${file} has ${problems.length} problems:\n${problems.map((problem) => `  ${located(problem)}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.file = file;
    this.line = first.line;
    this.column = first.column;
    this.key = first.key;
    this.expected = first.expected;
    this.problems = problems.map((problem) => ({ ...problem, message: maskSecretShapes(problem.message) }));
  }
}

/** Credential-shaped substrings anywhere in a message (YAML syntax errors quote the offending text verbatim). */
const SECRET_SHAPES =
  /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g;

/** Replaces every credential-shaped substring of `message`, so that no ConfigError echoes a token. */
export function maskSecretShapes(message: string): string {
  return message.replace(SECRET_SHAPES, "[a value that looks like a secret]");
}

/** Keys that would hold a credential; credentials never belong in a file committed to the repository. */
const SECRET_KEY = /api[_-]?key|secret|password|passwd|credential|private[_-]?key|(^|[_-])(key|token)$/i;
/** Values shaped like well-known API keys or tokens. */
const SECRET_VALUE = /^(sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/;
const SECRET_ADVICE =
  "API keys are read only from the environment variables OPENAI_API_KEY / ANTHROPIC_API_KEY (e.g. from an Actions secret), never from the repository; remove it from this file and revoke it if it was real";

type PathSegment = string | number;

function dotted(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    return text ? `${text}.${segment}` : segment;
  }, "");
}

/** A short rendering of the offending value for the message; strings that look like secrets are never echoed. */
function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "string") {
    if (SECRET_VALUE.test(value)) return "a value that looks like a secret";
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

class ProblemCollector {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly lineCounter: LineCounter) {}

  add(offset: number | undefined, key: string, expected: string, message: string): void {
    const position = offset === undefined ? { line: 1, col: 1 } : this.lineCounter.linePos(offset);
    this.problems.push({ line: position.line, column: position.col, key, expected, message });
  }

  addAtNode(node: Node | null | undefined, key: string, expected: string, message: string): void {
    this.add(node?.range?.[0], key, expected, message);
  }
}

/** The node at `path`, or the closest ancestor that exists (so that a position can always be given). */
function nearestNode(contents: Node, path: readonly PathSegment[]): Node {
  let node: Node = contents;
  for (const segment of path) {
    if (!isMap(node) && !isSeq(node)) return node;
    const next: unknown = node.get(segment, true);
    if (!isNode(next)) return node;
    node = next;
  }
  return node;
}

/** The key node of `name` inside the mapping at `path` (for unknown-key problems). */
function keyNode(contents: Node, path: readonly PathSegment[], name: string): Node {
  const parent = nearestNode(contents, path);
  if (isMap(parent)) {
    for (const pair of parent.items) {
      if (isScalar(pair.key) && String(pair.key.value) === name) return pair.key;
    }
  }
  return parent;
}

function collectSecrets(node: unknown, path: PathSegment[], problems: ProblemCollector): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : "";
      const keyPath = [...path, name];
      if (SECRET_KEY.test(name)) {
        problems.addAtNode(
          isNode(pair.key) ? pair.key : null,
          dotted(keyPath),
          "no credentials in this file",
          `${dotted(keyPath)} is not allowed: ${SECRET_ADVICE}`,
        );
        continue;
      }
      collectSecrets(pair.value, keyPath, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      collectSecrets(item, [...path, index], problems);
    });
  } else if (isScalar(node) && typeof node.value === "string" && SECRET_VALUE.test(node.value)) {
    problems.addAtNode(
      node,
      dotted(path),
      "no credentials in this file",
      `${dotted(path)} holds a value that looks like an API key or token: ${SECRET_ADVICE}`,
    );
  }
}

function collectSchemaIssues(
  issues: ZodError["issues"],
  data: unknown,
  contents: Node,
  secretKeys: ReadonlySet<string>,
  problems: ProblemCollector,
): void {
  for (const issue of issues) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const section = dotted(path);
      const known = SECTION_KEYS[section] ?? [];
      for (const name of issue.keys) {
        const key = dotted([...path, name]);
        if (secretKeys.has(key)) continue;
        const suggestion = closestKey(name, known);
        const where = section ? `in ${section}` : "at the top level";
        problems.addAtNode(
          keyNode(contents, path, name),
          key,
          `one of ${known.join(", ")}`,
          `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; the keys allowed ${where} are ${known.join(", ")}`,
        );
      }
      continue;
    }
    const key = dotted(path);
    if (secretKeys.has(key)) continue;
    const message = issue.message.startsWith("must be ") ? issue.message : `must be valid (${issue.message})`;
    problems.addAtNode(
      nearestNode(contents, path),
      key,
      message.slice("must be ".length),
      `${key || "the file"} ${message} (got ${describeValue(valueAt(data, path))})`,
    );
  }
}

/** Aliases expanded at most this many times in all: a settings file needs a few, an alias bomb needs millions. */
const MAX_ALIAS_COUNT = 100;
const NOT_CONVERTED = Symbol("not converted");

/** The first alias in the document that names no earlier anchor, or the first alias at all. */
function offendingAlias(document: Document): Node | null {
  let first: Node | null = null;
  let unresolved: Node | null = null;
  visit(document, {
    Alias(_key, node) {
      first ??= node;
      if (node.resolve(document) === undefined) {
        unresolved = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return unresolved ?? first;
}

/** The document as plain data; every failure (unresolved alias, alias bomb) becomes a located problem instead. */
function plainData(document: Document, problems: ProblemCollector): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    let alias: Node | null = null;
    try {
      alias = offendingAlias(document);
    } catch {
      alias = null;
    }
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const unresolved = alias !== null && isAlias(alias) ? `*${alias.source}` : "an alias";
    const message = /unresolved alias/i.test(reason ?? "")
      ? `${unresolved} refers to an anchor (&name) that is not defined before it`
      : /alias count/i.test(reason ?? "")
        ? `the aliases expand to too many values (more than ${MAX_ALIAS_COUNT}); write the values out instead of nesting aliases`
        : `the file cannot be read as settings (${reason})`;
    problems.addAtNode(alias, "", "valid YAML without unresolved or runaway aliases", message);
    return NOT_CONVERTED;
  }
}

/**
 * Parses and validates the text of `.github/rfsn.yml`. An empty file (or one with only comments) gives the defaults.
 * Throws `ConfigError` listing every problem: YAML syntax, unknown keys, wrong values, credentials in the file.
 */
export function parseRepositoryConfig(text: string, fileName: string = DEFAULT_CONFIG_FILE): RfsnConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: true });
  const problems = new ProblemCollector(lineCounter);

  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const summary = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      const position = error.linePos?.[0];
      problems.problems.push({
        line: position?.line ?? 1,
        column: position?.col ?? 1,
        key: "",
        expected: "valid YAML",
        message: `YAML syntax error: ${summary}`,
      });
    }
    throw new ConfigError(fileName, problems.problems);
  }

  const contents = document.contents;
  if (
    contents === null ||
    (isScalar(contents) && (contents.value === null || contents.value === undefined))
  ) {
    return toRfsnConfig(repositoryConfigSchema.parse({}));
  }
  if (!isMap(contents)) {
    problems.addAtNode(
      contents,
      "",
      "a mapping of keys to values",
      "the file must be a mapping of settings (`key: value` lines), not a single value or a list",
    );
    throw new ConfigError(fileName, problems.problems);
  }

  collectSecrets(contents, [], problems);
  const secretKeys = new Set(problems.problems.map((problem) => problem.key));
  const data = plainData(document, problems);
  if (data === NOT_CONVERTED) throw new ConfigError(fileName, problems.problems);
  const result = repositoryConfigSchema.safeParse(data);
  if (!result.success) collectSchemaIssues(result.error.issues, data, contents, secretKeys, problems);
  if (problems.problems.length > 0 || !result.success) {
    const sorted = [...problems.problems].sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(fileName, sorted);
  }
  return toRfsnConfig(result.data);
}
