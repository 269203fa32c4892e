import assert from "node:assert/strict";
import { test } from "node:test";
import { clockTime, formatDuration, parseDuration } from "../src/duration.js";

test("short durations are seconds", () => {
  assert.equal(formatDuration(42), "42s");
  assert.equal(formatDuration(0), "0s");
});

test("an hour and a half", () => {
  assert.equal(formatDuration(5400), "1h 30m");
});

test("clock time shows hours and minutes", () => {
  assert.equal(clockTime(3600 + 59), "01:00");
});

test("negative durations are refused", () => {
  assert.throws(() => formatDuration(-1), RangeError);
});

test("parsing adds the units", () => {
  assert.equal(parseDuration("1h 5m 3s"), 3903);
});

test("unparseable text is refused", () => {
  assert.throws(() => parseDuration("soon"), SyntaxError);
});
