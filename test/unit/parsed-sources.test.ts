// The operators' parse cache: one parse per source however many locations ask, and evicted trees are freed.
import { beforeAll, describe, expect, it } from "vitest";
import { ParsedSources } from "../../src/repair/proposers/parsed-sources.js";
import { type LanguageParser, loadGrammarParser } from "../../src/runtime/tree-sitter.js";

let javascript: LanguageParser;
beforeAll(async () => {
  javascript = await loadGrammarParser("javascript");
});

/** The real parser, counting its parses and the trees freed. */
function countingParser() {
  const counts = { parsed: 0, freed: 0 };
  const parser: LanguageParser = {
    ...javascript,
    parse(source) {
      counts.parsed += 1;
      const tree = javascript.parse(source);
      const free = tree.delete.bind(tree);
      tree.delete = () => {
        counts.freed += 1;
        free();
      };
      return tree;
    },
  };
  return { parser, counts };
}

describe("ParsedSources", () => {
  it("parses a source once for every location that asks, and answers its file-wide facts", () => {
    const { parser, counts } = countingParser();
    const cache = new ParsedSources(2);
    const source = "let count = 0;\nfunction f(a) {\n  return a + count;\n}\n";
    const first = cache.parse(parser, source);
    const again = cache.parse(parser, `${source}`);
    expect(counts.parsed).toBe(1);
    expect(again).toBe(first);
    expect(first.lastLine).toBe(4);
    expect(first.root.type).toBe("program");
    expect(first.fileNodes[0]?.type).toBe("program");
    expect(first.numericNames.has("count")).toBe(true);
  });

  it("frees the least recently used tree beyond its capacity and parses that source again when asked", () => {
    const { parser, counts } = countingParser();
    const cache = new ParsedSources(2);
    cache.parse(parser, "a;");
    cache.parse(parser, "b;");
    cache.parse(parser, "a;");
    cache.parse(parser, "c;");
    expect(counts).toEqual({ parsed: 3, freed: 1 });
    expect(cache.parse(parser, "a;").root.text).toBe("a;");
    expect(cache.parse(parser, "b;").root.text).toBe("b;");
    expect(counts).toEqual({ parsed: 4, freed: 2 });
  });
});
