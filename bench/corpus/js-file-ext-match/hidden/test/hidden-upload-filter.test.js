import assert from "node:assert/strict";
import { test } from "node:test";
import { partitionUploads } from "../src/upload-filter.js";

test("mixed uploads are partitioned", () => {
  const files = [
    { name: "photo.jpeg", size: 10 },
    { name: "png.txt", size: 10 },
    { name: "data.csv", size: 10 },
  ];
  assert.deepEqual(partitionUploads(files), { accepted: ["photo.jpeg", "data.csv"], rejected: ["png.txt"] });
});
