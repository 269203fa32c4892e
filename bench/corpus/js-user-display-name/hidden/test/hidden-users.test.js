import assert from "node:assert/strict";
import { test } from "node:test";
import { displayName, sortByDisplayName } from "../src/users.js";

test("no profile and no name falls back to the login", () => {
  assert.equal(displayName({ login: "ghost" }), "ghost");
});

test("sorting mixes users with and without profiles", () => {
  const users = [{ login: "zed", profile: { nickname: "Zed" } }, { login: "amy" }];
  assert.deepEqual(sortByDisplayName(users).map((u) => u.login), ["amy", "zed"]);
});
