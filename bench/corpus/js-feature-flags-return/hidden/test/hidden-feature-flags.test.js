import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketOf, enabledFlags, isEnabled } from "../src/feature-flags.js";

test("rollout compares against the user's bucket", () => {
  for (const user of ["alice", "bob", "carol", "dave", "erin"]) {
    const bucket = bucketOf(user, "half");
    assert.equal(isEnabled({ half: { rollout: 50 } }, "half", user), bucket < 50);
  }
});

test("enabled flags are boolean-filtered", () => {
  assert.deepEqual(enabledFlags({ on: { rollout: 100 }, off: { rollout: 0 } }, "zed"), ["on"]);
});
