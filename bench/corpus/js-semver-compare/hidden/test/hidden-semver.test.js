import assert from "node:assert/strict";
import { test } from "node:test";
import { compareVersions, latest } from "../src/semver.js";

test("latest picks the highest", () => {
  assert.equal(latest(["1.0.0", "2.1.0", "2.0.9", "0.9.0"]), "2.1.0");
});

test("older major compares negative", () => {
  assert.ok(compareVersions("1.9.9", "2.0.0") < 0);
});
