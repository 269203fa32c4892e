import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { createSyntaxChecker, setWasmLocator } from "../../src/runtime/tree-sitter.js";

const require = createRequire(import.meta.url);

// Runs in its own worker, so the WASM runtime is first initialised here, as in the single-file Action bundle.
it("initialises the runtime and every grammar from embedded bytes, never from node_modules paths", async () => {
  const requested: string[] = [];
  setWasmLocator((fileName) => {
    requested.push(fileName);
    const path =
      fileName === "web-tree-sitter.wasm"
        ? require.resolve("web-tree-sitter/web-tree-sitter.wasm")
        : require.resolve(`@vscode/tree-sitter-wasm/wasm/${fileName}`);
    return new Uint8Array(readFileSync(path));
  });
  const check = await createSyntaxChecker();
  expect(check("a.py", "def f(:\n")).not.toBeNull();
  expect(check("a.ts", "const x: number = 1;\n")).toBeNull();
  expect(requested.sort()).toEqual([
    "tree-sitter-javascript.wasm",
    "tree-sitter-python.wasm",
    "tree-sitter-tsx.wasm",
    "tree-sitter-typescript.wasm",
    "web-tree-sitter.wasm",
  ]);
});
