// Loads the tree-sitter WASM runtime and grammars (JavaScript, TypeScript, TSX, Python) and offers parsing and syntax checks.
import { createRequire } from "node:module";
import type { Node, Tree } from "web-tree-sitter";
import { Parser, Language as TreeSitterLanguage } from "web-tree-sitter";
import type { Language } from "../core/types.js";
import { memoizeNodeGetters } from "./tree-sitter-node-memo.js";

export type { Node as SyntaxNode } from "web-tree-sitter";

/** Returns the bytes of a WASM file, or a path to it, given its file name (e.g. `tree-sitter-python.wasm`). */
export type WasmLocator = (fileName: string) => Uint8Array | string;

/** Which grammar parses a file: TypeScript files ending in `.tsx` need the TSX grammar. */
export type GrammarName = "javascript" | "typescript" | "tsx" | "python";

export interface LanguageParser {
  language: Language;
  grammar: GrammarName;
  /** Parses a whole file; never returns null (a parse that cannot finish throws `SyntaxParseError`). */
  parse(source: string): Tree;
}

export class GrammarLoadError extends Error {
  constructor(fileName: string, cause: unknown) {
    super(
      `could not load the tree-sitter grammar ${fileName}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        "Check that @vscode/tree-sitter-wasm is installed, or that the bundle embeds this file.",
    );
    this.name = "GrammarLoadError";
  }
}

export class SyntaxParseError extends Error {
  constructor(grammar: GrammarName) {
    super(`tree-sitter returned no tree for a ${grammar} source`);
    this.name = "SyntaxParseError";
  }
}

const GRAMMAR_FILES: Record<GrammarName, string> = {
  javascript: "tree-sitter-javascript.wasm",
  typescript: "tree-sitter-typescript.wasm",
  tsx: "tree-sitter-tsx.wasm",
  python: "tree-sitter-python.wasm",
};

const RUNTIME_FILE = "web-tree-sitter.wasm";

function defaultWasmLocator(fileName: string): string {
  const require = createRequire(import.meta.url);
  if (fileName === RUNTIME_FILE) return require.resolve(`web-tree-sitter/${RUNTIME_FILE}`);
  return require.resolve(`@vscode/tree-sitter-wasm/wasm/${fileName}`);
}

let locateWasm: WasmLocator = defaultWasmLocator;
let runtimeReady: Promise<void> | undefined;
const parsers = new Map<GrammarName, Promise<LanguageParser>>();

/** Replaces how WASM files are found (the single-file Action bundle embeds them); clears cached grammars. */
export function setWasmLocator(locator: WasmLocator | null): void {
  locateWasm = locator ?? defaultWasmLocator;
  parsers.clear();
}

function initRuntime(): Promise<void> {
  runtimeReady ??= (async () => {
    const located = locateWasm(RUNTIME_FILE);
    const options =
      typeof located === "string"
        ? { locateFile: () => located }
        : { wasmBinary: located, locateFile: () => RUNTIME_FILE };
    await Parser.init(options);
    memoizeNodeGetters();
  })().catch((error: unknown) => {
    runtimeReady = undefined;
    throw new GrammarLoadError(RUNTIME_FILE, error);
  });
  return runtimeReady;
}

function languageOfGrammar(grammar: GrammarName): Language {
  if (grammar === "python") return "python";
  if (grammar === "javascript") return "javascript";
  return "typescript";
}

/** The grammar for a path: like `languageOfPath`, but tells TSX apart from plain TypeScript. */
export function grammarOfPath(path: string): GrammarName | null {
  const lower = path.toLowerCase();
  const dot = lower.lastIndexOf(".");
  if (dot < 0) return null;
  switch (lower.slice(dot)) {
    case ".py":
    case ".pyi":
      return "python";
    case ".js":
    case ".mjs":
    case ".cjs":
    case ".jsx":
      return "javascript";
    case ".ts":
    case ".mts":
    case ".cts":
      return "typescript";
    case ".tsx":
      return "tsx";
    default:
      return null;
  }
}

/** The language of a source path, or null when RFSN cannot parse it. */
export function languageOfPath(path: string): Language | null {
  const grammar = grammarOfPath(path);
  return grammar ? languageOfGrammar(grammar) : null;
}

/** Loads (once) the parser of a grammar. */
export function loadGrammarParser(grammar: GrammarName): Promise<LanguageParser> {
  let cached = parsers.get(grammar);
  if (!cached) {
    cached = (async () => {
      await initRuntime();
      const fileName = GRAMMAR_FILES[grammar];
      let loaded: TreeSitterLanguage;
      try {
        loaded = await TreeSitterLanguage.load(locateWasm(fileName));
      } catch (error) {
        throw new GrammarLoadError(fileName, error);
      }
      const parser = new Parser();
      parser.setLanguage(loaded);
      return {
        language: languageOfGrammar(grammar),
        grammar,
        parse(source: string): Tree {
          const tree = parser.parse(source);
          if (!tree) throw new SyntaxParseError(grammar);
          return tree;
        },
      };
    })();
    cached.catch(() => parsers.delete(grammar));
    parsers.set(grammar, cached);
  }
  return cached;
}

/** Loads (once) the parser of a language; TypeScript uses the plain (non-TSX) grammar. */
export function loadLanguageParser(language: Language): Promise<LanguageParser> {
  return loadGrammarParser(language);
}

/** Loads the parser suited to a path (TSX for `.tsx`), or null for a file RFSN cannot parse. */
export async function loadParserForPath(path: string): Promise<LanguageParser | null> {
  const grammar = grammarOfPath(path);
  return grammar ? loadGrammarParser(grammar) : null;
}

/** The first ERROR or MISSING node under `root`, in document order. */
export function firstSyntaxProblem(root: Node): Node | null {
  if (!root.hasError) return null;
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) return node;
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return null;
      }
    }
  } finally {
    cursor.delete();
  }
}

function describeProblem(node: Node): string {
  const where = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
  if (node.isMissing) return `${where}: missing \`${node.type}\``;
  const text = node.text.split("\n")[0]?.slice(0, 40) ?? "";
  return text ? `${where}: unexpected \`${text}\`` : `${where}: syntax error`;
}

function syntaxErrorOf(parser: LanguageParser, source: string): string | null {
  const tree = parser.parse(source);
  try {
    const problem = firstSyntaxProblem(tree.rootNode);
    return problem ? describeProblem(problem) : null;
  } finally {
    tree.delete();
  }
}

/** The first syntax error of a source as `line:col: what`, or null when it parses cleanly. */
export async function findSyntaxError(
  language: Language | GrammarName,
  source: string,
): Promise<string | null> {
  return syntaxErrorOf(await loadGrammarParser(language), source);
}

/** A synchronous syntax checker whose grammars load only when asked for (a session needs one or two of four). */
export interface SyntaxCheckerOnRequest {
  /** Loads the grammars of these paths (those it already has are not loaded again). */
  prepare(paths: Iterable<string>): Promise<void>;
  /** As `createSyntaxChecker`'s checker; a path whose grammar was not prepared throws. */
  check(path: string, content: string): string | null;
}

export function syntaxCheckerOnRequest(): SyntaxCheckerOnRequest {
  const loaded = new Map<GrammarName, LanguageParser>();
  return {
    async prepare(paths) {
      const grammars = new Set([...paths].map(grammarOfPath));
      for (const grammar of grammars) {
        if (grammar && !loaded.has(grammar)) loaded.set(grammar, await loadGrammarParser(grammar));
      }
    },
    check(path, content) {
      const grammar = grammarOfPath(path);
      if (!grammar) return null;
      const parser = loaded.get(grammar);
      if (!parser) throw new Error(`the ${grammar} grammar was not prepared before checking ${path}`);
      return syntaxErrorOf(parser, content);
    },
  };
}

/** Preloads every grammar and returns a synchronous checker: a syntax error message, or null (also for unknown file types). */
export async function createSyntaxChecker(): Promise<(path: string, content: string) => string | null> {
  const grammars: GrammarName[] = ["javascript", "typescript", "tsx", "python"];
  const loaded = new Map<GrammarName, LanguageParser>();
  for (const grammar of grammars) loaded.set(grammar, await loadGrammarParser(grammar));
  return (path, content) => {
    const grammar = grammarOfPath(path);
    const parser = grammar ? loaded.get(grammar) : undefined;
    return parser ? syntaxErrorOf(parser, content) : null;
  };
}
