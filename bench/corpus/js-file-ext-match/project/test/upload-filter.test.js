import assert from "node:assert/strict";
import { test } from "node:test";
import { checkUpload, hasAllowedExtension, safeName } from "../src/upload-filter.js";

test("unsafe characters become underscores", () => {
  assert.equal(safeName("../my report?.pdf"), "_my_report_.pdf");
});

test("allowed extensions are recognised in any case", () => {
  assert.equal(hasAllowedExtension("Scan.PDF"), true);
});

test("executables are refused", () => {
  assert.equal(hasAllowedExtension("setup.exe"), false);
});

test("empty files are refused", () => {
  const result = checkUpload({ name: "a.csv", size: 0 });
  assert.deepEqual(result.problems, ["file is empty"]);
});

test("oversized files are refused", () => {
  assert.equal(checkUpload({ name: "a.png", size: 6 * 1024 * 1024 }).accepted, false);
});
