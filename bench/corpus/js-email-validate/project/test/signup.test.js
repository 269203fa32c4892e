import assert from "node:assert/strict";
import { test } from "node:test";
import { domainOf, normalizeEmail, passwordProblems, validateSignup } from "../src/signup.js";

const GOOD_PASSWORD = "Correct7Horse";

test("emails are trimmed and lower-cased", () => {
  assert.equal(normalizeEmail("  Ann@Example.COM "), "ann@example.com");
});

test("domain is the part after the last @", () => {
  assert.equal(domainOf("a@b.io"), "b.io");
});

test("weak passwords list every problem", () => {
  assert.deepEqual(passwordProblems("short"), ["at least 10 characters", "a digit", "an upper-case letter"]);
});

test("malformed emails are rejected", () => {
  assert.equal(validateSignup({ email: "nope", password: GOOD_PASSWORD }).ok, false);
});

test("any domain is fine when no list is given", () => {
  assert.equal(validateSignup({ email: "x@gmail.com", password: GOOD_PASSWORD }).ok, true);
});

test("an allowed company domain is accepted", () => {
  const result = validateSignup({ email: "bo@acme.com", password: GOOD_PASSWORD }, ["acme.com"]);
  assert.deepEqual(result.errors, {});
});
