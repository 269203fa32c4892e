// Fallback fault localization: the project functions a failing test calls, found from its source and imports.
import { dirname, join, normalize } from "node:path";
import { isProjectSourcePath, isTestPath } from "../core/source-paths.js";
import type { RankedLocation, TestCaseResult } from "../core/types.js";
import { type LanguageParser, languageOfPath, loadLanguageParser, type SyntaxNode } from "../runtime/tree-sitter.js";

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
    line === undefined ? lines : lines.slice(Math.max(0, line - TEST_WINDOW_LINES), Math.min(lines.length, line + 3));
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
  return [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*|import\s+)["']([^"']+)["']/g)].map((m) => m[1] ?? "");
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
  if (parent?.type === "variable_declarator" || parent?.type === "assignment_expression" || parent?.type === "pair") {
    return (parent.childForFieldName("name") ?? parent.childForFieldName("left") ?? parent.childForFieldName("key"))?.text;
  }
  return undefined;
}

function collectFunctions(node: SyntaxNode, found: Array<{ name: string; start: number; end: number }>): void {
  if (FUNCTION_TYPES.has(node.type) || VARIABLE_FUNCTION_TYPES.has(node.type)) {
    const name = functionName(node);
    const body = node.childForFieldName("body");
    if (name && body) found.push({ name, start: body.startPosition.row + 1, end: body.endPosition.row + 1 });
  }
  for (const child of node.namedChildren) if (child) collectFunctions(child, found);
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
      const functions: Array<{ name: string; start: number; end: number }> = [];
      const tree = parser.parse(source);
      collectFunctions(tree.rootNode, functions);
      tree.delete();
      const called = functions.filter((fn) => names.has(fn.name));
      for (const fn of called) {
        for (let line = fn.start; line <= fn.end; line += 1) {
          const text = source.split("\n")[line - 1]?.trim() ?? "";
          if (!text || text === "}" || text === "{" || text.startsWith("//") || text.startsWith("#")) continue;
          const key = `${file}:${line}`;
          if (byLine.has(key)) continue;
          byLine.set(key, {
            file,
            startLine: line,
            endLine: line,
            functionName: fn.name,
            score: Number((score / Math.max(1, called.length)).toFixed(4)),
            reasons: [`in ${fn.name}, which the failing test ${test.name} calls`],
          });
        }
      }
    }
  }
  return [...byLine.values()];
}
