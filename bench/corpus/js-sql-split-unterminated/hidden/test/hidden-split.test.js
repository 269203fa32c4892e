import assert from "node:assert/strict";
import { test } from "node:test";
import { splitStatements } from "../src/split.js";

test("a lone quote at the very end", () => {
  assert.deepEqual(splitStatements("select 1; '"), ["select 1", "'"]);
});

test("two quoted strings in one statement", () => {
  assert.deepEqual(splitStatements("select 'a;', 'b;'; select 2"), ["select 'a;', 'b;'", "select 2"]);
});
