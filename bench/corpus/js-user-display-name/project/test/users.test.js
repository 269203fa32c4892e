import assert from "node:assert/strict";
import { test } from "node:test";
import { avatarUrl, displayName, fullName, mentionList } from "../src/users.js";

test("full name skips missing parts", () => {
  assert.equal(fullName({ firstName: "Ada", lastName: "" }), "Ada");
});

test("nickname wins when present", () => {
  assert.equal(displayName({ login: "al", firstName: "Al", profile: { nickname: "Big Al" } }), "Big Al");
});

test("users without a profile fall back to their name", () => {
  assert.equal(displayName({ login: "grace", firstName: "Grace", lastName: "Hopper" }), "Grace Hopper");
});

test("avatar falls back to the generated url", () => {
  assert.equal(avatarUrl({ login: "a b" }, 32), "https://avatars.example.test/a%20b?s=32");
});

test("mentions are comma separated", () => {
  assert.equal(mentionList([{ login: "x" }, { login: "y" }]), "@x, @y");
});
