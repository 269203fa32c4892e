// Tells whether an edit keeps a file free of new syntax errors, reparsing only the function or statement it touches.
import type { Language } from "../../core/types.js";
import {
  countSyntaxProblems,
  type LanguageParser,
  reparseWithEdit,
  type SyntaxNode,
  type SyntaxTree,
} from "../../runtime/tree-sitter.js";
import { isFunction } from "./syntax-nodes.js";

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** A piece of the file that parses on its own once wrapped: `prefix + source[start, end) + suffix`. */
interface Snippet {
  start: number;
  end: number;
  prefix: string;
  suffix: string;
}

/**
 * Returns a check for edits of `source` (parsed as `tree`). An edit inside one function is checked by parsing that
 * function alone (wrapped so that it parses out of context); inside one top-level statement, that statement alone;
 * otherwise the whole file is reparsed incrementally.
 */
export function createSyntaxPreservationCheck(
  parser: LanguageParser,
  tree: SyntaxTree,
  source: string,
): (edit: TextEdit) => boolean {
  const language = parser.language;
  const fileProblems = countSyntaxProblems(tree.rootNode);
  const cleanSnippets = new Map<string, boolean>();

  const parsesCleanly = (text: string): boolean => {
    const parsed = parser.parse(text);
    try {
      return !parsed.rootNode.hasError;
    } finally {
      parsed.delete();
    }
  };

  const snippetsFor = (edit: TextEdit): Snippet[] => {
    const snippets: Snippet[] = [];
    const node = tree.rootNode.descendantForIndex(edit.start, Math.max(edit.start, edit.end - 1));
    for (let current: SyntaxNode | null = node; current; current = current.parent) {
      if (isFunction(current) && current.startIndex <= edit.start && edit.end <= current.endIndex) {
        const wrapped = functionSnippet(current, source, language);
        if (wrapped) snippets.push(wrapped);
        break;
      }
    }
    const owner = tree.rootNode.children.find(
      (child) => child.startIndex <= edit.start && edit.end <= child.endIndex + 1,
    );
    if (owner && owner.startPosition.column === 0) {
      snippets.push({
        start: owner.startIndex,
        end: Math.max(owner.endIndex, edit.end),
        prefix: "",
        suffix: "",
      });
    }
    return snippets;
  };

  return (edit) => {
    for (const snippet of snippetsFor(edit)) {
      if (edit.end > snippet.end) continue;
      const key = `${snippet.start}:${snippet.end}`;
      const before = source.slice(snippet.start, snippet.end);
      let clean = cleanSnippets.get(key);
      if (clean === undefined) {
        clean = parsesCleanly(snippet.prefix + before + snippet.suffix);
        cleanSnippets.set(key, clean);
      }
      if (!clean) continue;
      const after =
        before.slice(0, edit.start - snippet.start) + edit.text + before.slice(edit.end - snippet.start);
      return parsesCleanly(snippet.prefix + after + snippet.suffix);
    }
    const reparsed = reparseWithEdit(parser, tree, source, edit.start, edit.end, edit.text);
    try {
      return fileProblems === 0
        ? !reparsed.rootNode.hasError
        : countSyntaxProblems(reparsed.rootNode) <= fileProblems;
    } finally {
      reparsed.delete();
    }
  };
}

/** A function with what it needs to parse alone: a class around methods and indented Python code, parentheses around JS functions. */
function functionSnippet(fn: SyntaxNode, source: string, language: Language): Snippet | null {
  let node = fn;
  if (node.parent?.type === "decorated_definition") node = node.parent;
  const lineStart = source.lastIndexOf("\n", node.startIndex - 1) + 1;
  if (source.slice(lineStart, node.startIndex).trim() !== "") return null;
  if (language === "python") {
    if (node.type === "lambda") return null;
    const indented = node.startIndex > lineStart;
    return { start: lineStart, end: node.endIndex, prefix: indented ? "class _:\n" : "", suffix: "\n" };
  }
  if (fn.type === "method_definition")
    return { start: lineStart, end: node.endIndex, prefix: "class _ {\n", suffix: "\n}\n" };
  if (fn.type === "function_declaration" || fn.type === "generator_function_declaration") {
    return { start: lineStart, end: node.endIndex, prefix: "", suffix: "\n" };
  }
  return { start: node.startIndex, end: node.endIndex, prefix: "(", suffix: ")\n" };
}
