import assert from "node:assert/strict";
import { test } from "node:test";
import { clockTime, formatDuration, totalDuration } from "../src/duration.js";

test("minutes and seconds past the half", () => {
  assert.equal(formatDuration(2 * 60 + 50), "2m 50s");
  assert.equal(formatDuration(3600 + 45 * 60), "1h 45m");
});

test("clock time never rounds up", () => {
  assert.equal(clockTime(89 * 60 + 50), "01:29");
  assert.equal(clockTime(0), "00:00");
});

test("job durations are summed", () => {
  assert.equal(totalDuration([{ seconds: 1790 }, { seconds: 1840 }]), "1h 30s");
});
