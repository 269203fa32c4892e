import assert from "node:assert/strict";
import { test } from "node:test";
import { compareVersions, isNewer, parseVersion, VersionError } from "../src/semver.js";

test("parses a prefixed version with prerelease", () => {
  assert.deepEqual(parseVersion("v2.0.1-beta.1"), { major: 2, minor: 0, patch: 1, prerelease: "beta.1" });
});

test("garbage is rejected", () => {
  assert.throws(() => parseVersion("two"), VersionError);
});

test("equal versions compare as zero", () => {
  assert.equal(compareVersions("1.2.3", "v1.2.3"), 0);
});

test("a higher minor version is newer", () => {
  assert.equal(isNewer("1.10.0", "1.9.4"), true);
});

test("a release is newer than its prerelease", () => {
  assert.equal(isNewer("3.0.0", "3.0.0-rc.1"), true);
});
