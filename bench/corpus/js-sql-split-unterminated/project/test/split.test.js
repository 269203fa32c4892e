import assert from "node:assert/strict";
import { test } from "node:test";
import { countStatements, splitStatements } from "../src/split.js";

test("splits at semicolons", () => {
  assert.deepEqual(splitStatements("select 1; select 2;"), ["select 1", "select 2"]);
});

test("keeps semicolons inside quotes", () => {
  assert.deepEqual(splitStatements("insert into t values ('a;b'); select 3"), [
    "insert into t values ('a;b')",
    "select 3",
  ]);
});

test("counts statements and ignores empty ones", () => {
  assert.equal(countStatements(";; select 1 ;"), 1);
});

test("an unterminated quote runs to the end of the script", () => {
  assert.deepEqual(splitStatements("select 'oops; select 2"), ["select 'oops; select 2"]);
});
