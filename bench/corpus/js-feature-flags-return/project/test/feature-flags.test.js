import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketOf, isEnabled, parseFlags } from "../src/feature-flags.js";

test("buckets are stable and below 100", () => {
  assert.equal(bucketOf("u1", "beta"), bucketOf("u1", "beta"));
  assert.ok(bucketOf("u1", "beta") < 100);
});

test("unknown and killed flags are off", () => {
  assert.equal(isEnabled({}, "x", "u1"), false);
  assert.equal(isEnabled({ x: { rollout: 100, killed: true } }, "x", "u1"), false);
});

test("listed users always get the flag", () => {
  assert.equal(isEnabled({ x: { rollout: 0, users: ["u9"] } }, "x", "u9"), true);
});

test("a zero rollout is off for everyone else", () => {
  const flags = { x: { rollout: 0 } };
  assert.deepEqual(["a", "b", "c", "d"].map((u) => isEnabled(flags, "x", u)), [false, false, false, false]);
});

test("flag files are parsed", () => {
  assert.deepEqual(parseFlags("dark=50\n\nnew-nav=100"), { dark: { rollout: 50 }, "new-nav": { rollout: 100 } });
});
