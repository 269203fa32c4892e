// Keeps the last few sources the operators parsed, with the facts about the whole file they need: one file's locations share them.
import type { LanguageParser, SyntaxNode } from "../../runtime/tree-sitter.js";
import { numericNamesOf } from "./expression-shapes.js";
import { allNodes } from "./syntax-nodes.js";

export interface ParsedSource {
  root: SyntaxNode;
  /** Every node of the file (named and anonymous), in document order. */
  fileNodes: SyntaxNode[];
  /** Names the file treats as numbers. */
  numericNames: Set<string>;
  /** The last line with text, 1-based. */
  lastLine: number;
}

interface Entry {
  parser: LanguageParser;
  source: string;
  parsed: ParsedSource;
  release: () => void;
}

/** The parses of the most recently used sources, least recently used dropped (and its tree freed) first. */
export class ParsedSources {
  private readonly entries: Entry[] = [];

  constructor(private readonly capacity: number) {}

  parse(parser: LanguageParser, source: string): ParsedSource {
    const index = this.entries.findIndex((entry) => entry.parser === parser && entry.source === source);
    if (index >= 0) {
      const [entry] = this.entries.splice(index, 1) as [Entry];
      this.entries.push(entry);
      return entry.parsed;
    }
    const tree = parser.parse(source);
    const root = tree.rootNode;
    const fileNodes = allNodes(root);
    const parsed: ParsedSource = {
      root,
      fileNodes,
      numericNames: numericNamesOf(fileNodes),
      lastLine: Math.max(1, source.trimEnd().split("\n").length),
    };
    this.entries.push({ parser, source, parsed, release: () => tree.delete() });
    while (this.entries.length > this.capacity) this.entries.shift()?.release();
    return parsed;
  }
}
