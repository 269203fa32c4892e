// Entry of the single-file Action bundle: embeds the tree-sitter WASM grammars, then runs the Action (or, started as
// a candidate generation worker, serves that).

import { parentPort, workerData } from "node:worker_threads";
import javascriptGrammar from "@vscode/tree-sitter-wasm/wasm/tree-sitter-javascript.wasm";
import pythonGrammar from "@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm";
import tsxGrammar from "@vscode/tree-sitter-wasm/wasm/tree-sitter-tsx.wasm";
import typescriptGrammar from "@vscode/tree-sitter-wasm/wasm/tree-sitter-typescript.wasm";
import treeSitterRuntime from "web-tree-sitter/web-tree-sitter.wasm";
import {
  GENERATION_WORKER_ROLE,
  serveCandidateGeneration,
  setGenerationWorkerScript,
} from "../repair/candidate-generator.js";
import { setWasmLocator } from "../runtime/tree-sitter.js";
import { run } from "./main.js";

const embedded: Record<string, Uint8Array> = {
  "tree-sitter-python.wasm": pythonGrammar,
  "tree-sitter-javascript.wasm": javascriptGrammar,
  "tree-sitter-typescript.wasm": typescriptGrammar,
  "tree-sitter-tsx.wasm": tsxGrammar,
  "web-tree-sitter.wasm": treeSitterRuntime,
  "tree-sitter.wasm": treeSitterRuntime,
};

setWasmLocator((fileName) => {
  const bytes = embedded[fileName];
  if (!bytes) throw new Error(`the Action bundle has no embedded ${fileName}`);
  return bytes;
});

if (parentPort && (workerData as { role?: string } | null)?.role === GENERATION_WORKER_ROLE) {
  serveCandidateGeneration(parentPort);
} else {
  setGenerationWorkerScript(new URL(import.meta.url));
  await run();
}
