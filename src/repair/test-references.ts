// Fallback fault localization: the project functions a failing test calls, found from its source and imports.
import { dirname, join, normalize } from "node:path";
import { isProjectSourcePath, isTestPath } from "../core/source-paths.js";
import type { RankedLocation, TestCaseResult } from "../core/types.js";
import {
  type LanguageParser,
  languageOfPath,
  loadLanguageParser,
  type SyntaxNode,
} from "../runtime/tree-sitter.js";

const FUNCTION_TYPES = new Set([
  "function_declaration",
  "generator_function_declaration",
  "method_definition",
  "function_definition",
]);
const VARIABLE_FUNCTION_TYPES = new Set(["arrow_function", "function_expression", "function"]);
const JS_EXTENSIONS = [".ts", ".tsx", ".js", ".mjs", ".cjs", "/index.ts", "/index.js"];
const TEST_WINDOW_LINES = 30;

export interface TestReferenceInput {
  failing: readonly TestCaseResult[];
  readSource: (file: string) => Promise<string | undefined>;
  /** Score given to the lines of a referenced function (below what frames or coverage give). */
  score?: number;
}

/** Identifiers in the failing test: around the test file's frame when known, else the whole test file. */
function identifiersNear(source: string, line: number | undefined): Set<string> {
  const lines = source.split("\n");
  const region =
    line === undefined
      ? lines
      : lines.slice(Math.max(0, line - TEST_WINDOW_LINES), Math.min(lines.length, line + 3));
  return new Set(region.join("\n").match(/[A-Za-z_$][\w$]*/g) ?? []);
}

function importSpecifiers(source: string, language: string): string[] {
  if (language === "python") {
    const modules: string[] = [];
    for (const match of source.matchAll(/^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))/gm)) {
      const name = match[1] ?? match[2];
      if (name) modules.push(name);
    }
    return modules;
  }
  return [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*|import\s+)["']([^"']+)["']/g)].map(
    (m) => m[1] ?? "",
  );
}

function candidatePaths(testFile: string, specifier: string, language: string): string[] {
  if (language === "python") {
    const relative = specifier.replace(/^\.+/, "").replace(/\./g, "/");
    const base = specifier.startsWith(".") ? join(dirname(testFile), relative) : relative;
    return [`${base}.py`, `${base}/__init__.py`, `src/${base}.py`].map(normalize);
  }
  if (!specifier.startsWith(".")) return [];
  const base = normalize(join(dirname(testFile), specifier));
  const stripped = base.replace(/\.(js|mjs|cjs|ts|tsx)$/, "");
  return [base, ...JS_EXTENSIONS.map((extension) => `${stripped}${extension}`)];
}

function functionName(node: SyntaxNode): string | undefined {
  const own = node.childForFieldName("name")?.text;
  if (own) return own;
  const parent = node.parent;
  if (
    parent?.type === "variable_declarator" ||
    parent?.type === "assignment_expression" ||
    parent?.type === "pair"
  ) {
    return (
      parent.childForFieldName("name") ??
      parent.childForFieldName("left") ??
      parent.childForFieldName("key")
    )?.text;
  }
  return undefined;
}

interface FunctionSpan {
  name: string;
  start: number;
  end: number;
  /** Identifiers used in the body (to follow calls one level down). */
  uses: Set<string>;
}

function collectFunctions(node: SyntaxNode, found: FunctionSpan[]): void {
  if (FUNCTION_TYPES.has(node.type) || VARIABLE_FUNCTION_TYPES.has(node.type)) {
    const name = functionName(node);
    const body = node.childForFieldName("body");
    if (name && body) {
      const uses = new Set(body.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
      found.push({ name, start: body.startPosition.row + 1, end: body.endPosition.row + 1, uses });
    }
  }
  for (const child of node.namedChildren) if (child) collectFunctions(child, found);
}

/** Top-level constant and variable declarations (module settings such as `GROUP_SIZE = 4`). */
function topLevelDeclarations(root: SyntaxNode): Array<{ names: string[]; line: number }> {
  const declarations: Array<{ names: string[]; line: number }> = [];
  for (const child of root.namedChildren) {
    if (!child) continue;
    const node = child.type === "export_statement" ? (child.namedChildren[0] ?? child) : child;
    if (
      node.type === "lexical_declaration" ||
      node.type === "variable_declaration" ||
      node.type === "expression_statement"
    ) {
      const names = (node.text.split("=")[0]?.match(/[A-Za-z_$][\w$]*/g) ?? []).filter(
        (word) => !["const", "let", "var", "export"].includes(word),
      );
      if (names.length > 0 && node.text.includes("="))
        declarations.push({ names, line: node.startPosition.row + 1 });
    }
  }
  return declarations;
}

/** Lines of the project functions that the failing tests name, each with a modest score and the reason. */
export async function locationsReferencedByTests(input: TestReferenceInput): Promise<RankedLocation[]> {
  const score = input.score ?? 0.2;
  const byLine = new Map<string, RankedLocation>();
  const parsers = new Map<string, LanguageParser>();
  for (const test of input.failing) {
    const testFile = test.file ?? test.id.split("::")[0] ?? "";
    const language = languageOfPath(testFile);
    if (!language || !isTestPath(testFile)) continue;
    const testSource = await input.readSource(testFile);
    if (testSource === undefined) continue;
    const frameLine = test.frames.find((frame) => frame.file === testFile)?.line;
    const names = identifiersNear(testSource, frameLine);
    const files = new Set<string>();
    for (const specifier of importSpecifiers(testSource, language)) {
      for (const path of candidatePaths(testFile, specifier, language)) {
        if (isProjectSourcePath(path) && (await input.readSource(path)) !== undefined) {
          files.add(path);
          break;
        }
      }
    }
    for (const file of files) {
      const source = (await input.readSource(file)) ?? "";
      const fileLanguage = languageOfPath(file);
      if (!fileLanguage) continue;
      const parser = parsers.get(fileLanguage) ?? (await loadLanguageParser(fileLanguage));
      parsers.set(fileLanguage, parser);
      const functions: FunctionSpan[] = [];
      const tree = parser.parse(source);
      collectFunctions(tree.rootNode, functions);
      const declarations = topLevelDeclarations(tree.rootNode);
      tree.delete();
      const direct = functions.filter((fn) => names.has(fn.name));
      const directNames = new Set(direct.map((fn) => fn.name));
      // One level down the call graph: helpers the called functions use, at a lower score.
      const helpers = functions.filter(
        (fn) => !directNames.has(fn.name) && direct.some((caller) => caller.uses.has(fn.name)),
      );
      const called = [...direct, ...helpers];
      const usedNames = new Set(called.flatMap((fn) => [...fn.uses]));
      for (const declaration of declarations) {
        if (!declaration.names.some((name) => usedNames.has(name))) continue;
        const key = `${file}:${declaration.line}`;
        if (byLine.has(key)) continue;
        byLine.set(key, {
          file,
          startLine: declaration.line,
          endLine: declaration.line,
          score: Number((score / Math.max(1, direct.length)).toFixed(4)),
          reasons: [
            `module setting ${declaration.names.join(", ")} used by functions the failing test ${test.name} calls`,
          ],
        });
      }
      for (const fn of called) {
        const helper = !directNames.has(fn.name);
        for (let line = fn.start; line <= fn.end; line += 1) {
          const text = source.split("\n")[line - 1]?.trim() ?? "";
          if (!text || text === "}" || text === "{" || text.startsWith("//") || text.startsWith("#"))
            continue;
          const key = `${file}:${line}`;
          if (byLine.has(key)) continue;
          byLine.set(key, {
            file,
            startLine: line,
            endLine: line,
            functionName: fn.name,
            score: Number(((helper ? score / 2 : score) / Math.max(1, direct.length)).toFixed(4)),
            reasons: [
              helper
                ? `in ${fn.name}, a helper of what the failing test ${test.name} calls`
                : `in ${fn.name}, which the failing test ${test.name} calls`,
            ],
          });
        }
      }
    }
  }
  return [...byLine.values()];
}
