import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import {
  createSyntaxChecker,
  findSyntaxError,
  firstSyntaxProblem,
  GrammarLoadError,
  grammarOfPath,
  languageOfPath,
  loadGrammarParser,
  loadLanguageParser,
  loadParserForPath,
  setWasmLocator,
  syntaxCheckerOnRequest,
} from "../../src/runtime/tree-sitter.js";

const require = createRequire(import.meta.url);

afterEach(() => {
  setWasmLocator(null);
});

describe("languageOfPath", () => {
  it("maps Python, JavaScript and TypeScript extensions to their language", () => {
    expect(languageOfPath("pkg/mod.py")).toBe("python");
    for (const path of ["a.js", "a.mjs", "a.cjs", "a.jsx", "dir/A.JS"])
      expect(languageOfPath(path)).toBe("javascript");
    for (const path of ["a.ts", "a.mts", "a.cts", "a.tsx"]) expect(languageOfPath(path)).toBe("typescript");
  });

  it("returns null for files it cannot parse", () => {
    expect(languageOfPath("README.md")).toBeNull();
    expect(languageOfPath("Makefile")).toBeNull();
    expect(languageOfPath("archive.tar.gz")).toBeNull();
  });

  it("tells TSX apart from plain TypeScript when choosing a grammar", () => {
    expect(grammarOfPath("view.tsx")).toBe("tsx");
    expect(grammarOfPath("view.ts")).toBe("typescript");
    expect(grammarOfPath("noext")).toBeNull();
  });
});

describe("loading grammars", () => {
  it("parses each language with the grammar shipped in node_modules", async () => {
    const python = await loadLanguageParser("python");
    expect(python.parse("def f(x):\n    return x + 1\n").rootNode.type).toBe("module");
    const javascript = await loadLanguageParser("javascript");
    expect(javascript.parse("const f = (x) => x?.y ?? 1;").rootNode.type).toBe("program");
    const typescript = await loadLanguageParser("typescript");
    expect(typescript.parse("let n: number = <number>value;").rootNode.hasError).toBe(false);
    const tsx = await loadParserForPath("view.tsx");
    expect(tsx?.grammar).toBe("tsx");
    expect(tsx?.parse("const v = <div>{x}</div>;").rootNode.hasError).toBe(false);
    expect(await loadParserForPath("notes.txt")).toBeNull();
  });

  it("keeps a node's answers on the node: a walk back to a node meets the same object, with the same answers", async () => {
    const javascript = await loadLanguageParser("javascript");
    const tree = javascript.parse("function f(a, b) {\n  return a + b;\n}\n");
    const sum = tree.rootNode.descendantForPosition({ row: 1, column: 11 })?.parent;
    expect(sum?.type).toBe("binary_expression");
    expect(sum?.text).toBe("a + b");
    expect(sum?.parent).toBe(sum?.parent);
    expect(sum?.parent?.type).toBe("return_statement");
    expect(sum?.endPosition).toEqual({ row: 1, column: 14 });
    expect(sum?.namedChildren.map((child) => child.text)).toEqual(["a", "b"]);
    tree.delete();
  });

  it("returns the same parser for repeated requests", async () => {
    const first = await loadLanguageParser("javascript");
    const second = await loadLanguageParser("javascript");
    expect(second).toBe(first);
  });

  it("loads grammars through a replaced locator that returns bytes", async () => {
    const requested: string[] = [];
    setWasmLocator((fileName) => {
      requested.push(fileName);
      return new Uint8Array(readFileSync(require.resolve(`@vscode/tree-sitter-wasm/wasm/${fileName}`)));
    });
    const parser = await loadGrammarParser("python");
    expect(parser.parse("x = [1, 2]\n").rootNode.hasError).toBe(false);
    expect(requested).toContain("tree-sitter-python.wasm");
  });

  it("loads grammars through a replaced locator that returns paths", async () => {
    const requested: string[] = [];
    setWasmLocator((fileName) => {
      requested.push(fileName);
      return require.resolve(`@vscode/tree-sitter-wasm/wasm/${fileName}`);
    });
    const parser = await loadGrammarParser("tsx");
    expect(parser.parse("const a = <b />;").rootNode.hasError).toBe(false);
    expect(requested).toEqual(["tree-sitter-tsx.wasm"]);
  });

  it("reports a locator that cannot provide a grammar as a GrammarLoadError naming the file", async () => {
    setWasmLocator((fileName) => {
      throw new Error(`no ${fileName} here`);
    });
    await expect(loadGrammarParser("javascript")).rejects.toThrow(GrammarLoadError);
    await expect(loadGrammarParser("javascript")).rejects.toThrow(/tree-sitter-javascript\.wasm/);
    setWasmLocator(null);
    const parser = await loadGrammarParser("javascript");
    expect(parser.parse("1;").rootNode.hasError).toBe(false);
  });
});

describe("findSyntaxError", () => {
  it("returns null for valid sources", async () => {
    expect(await findSyntaxError("python", "def f():\n    return 1\n")).toBeNull();
    expect(await findSyntaxError("typescript", "export const x: number[] = [];\n")).toBeNull();
  });

  it("reports the first problem with its line and column", async () => {
    expect(await findSyntaxError("python", "x = 1\ndef f(:\n    pass\n")).toMatch(/^2:\d+: /);
    expect(await findSyntaxError("javascript", "let a = 1;\nlet b = (1 + ;\n")).toMatch(/^2:\d+: /);
  });

  it("reports a missing token by name", async () => {
    const message = await findSyntaxError("javascript", "function f() {\n  return g(1;\n}\n");
    expect(message).toMatch(/^\d+:\d+: (missing|unexpected)/);
  });

  it("finds the first problem by walking only into subtrees that have one", async () => {
    const parser = await loadLanguageParser("javascript");
    const tree = parser.parse("let a = 1;\nlet b = (;\nlet c = );\n");
    expect(firstSyntaxProblem(tree.rootNode)?.startPosition.row).toBe(1);
    const clean = parser.parse("let a = 1;\n");
    expect(firstSyntaxProblem(clean.rootNode)).toBeNull();
  });
});

describe("createSyntaxChecker", () => {
  it("checks files synchronously by their extension", async () => {
    const check = await createSyntaxChecker();
    expect(check("src/a.py", "def f(:\n")).toMatch(/^1:/);
    expect(check("src/a.py", "def f():\n    pass\n")).toBeNull();
    expect(check("src/a.js", "if (x {")).toMatch(/^1:/);
    expect(check("src/a.tsx", "const a = <div>{x}</div>;")).toBeNull();
    expect(check("src/a.ts", "let a = <T>x;")).toBeNull();
  });

  it("accepts files of unknown types", async () => {
    const check = await createSyntaxChecker();
    expect(check("README.md", "((( not code")).toBeNull();
  });
});

describe("syntaxCheckerOnRequest", () => {
  it("checks only the grammars it was asked to prepare", async () => {
    const checker = syntaxCheckerOnRequest();
    expect(() => checker.check("src/a.py", "def f(:\n")).toThrow(/python grammar was not prepared/);
    await checker.prepare(["src/a.py", "src/b.py", "README.md"]);
    expect(checker.check("src/a.py", "def f(:\n")).toMatch(/^1:/);
    expect(checker.check("src/a.py", "def f():\n    pass\n")).toBeNull();
    expect(checker.check("README.md", "((( not code")).toBeNull();
    expect(() => checker.check("src/a.js", "if (x {")).toThrow(/javascript grammar/);
    await checker.prepare(["src/a.js"]);
    expect(checker.check("src/a.js", "if (x {")).toMatch(/^1:/);
  });
});
