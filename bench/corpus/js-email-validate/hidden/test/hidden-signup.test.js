import assert from "node:assert/strict";
import { test } from "node:test";
import { validateSignup } from "../src/signup.js";

test("a foreign domain is refused when a list is given", () => {
  const result = validateSignup({ email: "bo@other.org", password: "Correct7Horse" }, ["acme.com"]);
  assert.equal(result.ok, false);
  assert.match(result.errors.email, /company address/);
});

test("the second allowed domain also passes", () => {
  assert.equal(validateSignup({ email: "c@acme.de", password: "Correct7Horse" }, ["acme.com", "acme.de"]).ok, true);
});
