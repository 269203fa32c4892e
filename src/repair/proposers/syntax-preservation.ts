// Tells whether an edit keeps a file free of new syntax errors, reparsing only the top-level statement it touches.
import {
  countSyntaxProblems,
  type LanguageParser,
  reparseWithEdit,
  type SyntaxTree,
} from "../../runtime/tree-sitter.js";

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Returns a check for edits of `source` (parsed as `tree`). An edit inside one top-level statement is checked by
 * parsing that statement alone (fast on large files); any other edit by reparsing the whole file incrementally.
 */
export function createSyntaxPreservationCheck(
  parser: LanguageParser,
  tree: SyntaxTree,
  source: string,
): (edit: TextEdit) => boolean {
  const fileProblems = countSyntaxProblems(tree.rootNode);
  const snippetProblems = new Map<number, number>();
  const topLevel = tree.rootNode.children.filter((child) => child.endIndex > child.startIndex);

  const problemsOf = (text: string): number => {
    const parsed = parser.parse(text);
    try {
      return countSyntaxProblems(parsed.rootNode);
    } finally {
      parsed.delete();
    }
  };

  return (edit) => {
    const owner = topLevel.find((child) => child.startIndex <= edit.start && edit.end <= child.endIndex + 1);
    if (owner && !owner.hasError && owner.startPosition.column === 0) {
      const snippetEnd = Math.max(owner.endIndex, edit.end);
      const before = source.slice(owner.startIndex, snippetEnd);
      let baseline = snippetProblems.get(owner.startIndex);
      if (baseline === undefined) {
        baseline = problemsOf(before);
        snippetProblems.set(owner.startIndex, baseline);
      }
      if (baseline === 0) {
        const offset = owner.startIndex;
        const after = before.slice(0, edit.start - offset) + edit.text + before.slice(edit.end - offset);
        return problemsOf(after) === 0;
      }
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
