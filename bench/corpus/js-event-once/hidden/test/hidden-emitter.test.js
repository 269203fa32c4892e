import assert from "node:assert/strict";
import { test } from "node:test";
import { Emitter } from "../src/emitter.js";

test("once and on together", () => {
  const emitter = new Emitter();
  const seen = [];
  emitter.on("e", () => seen.push("on"));
  emitter.once("e", () => seen.push("once"));
  emitter.emit("e");
  emitter.emit("e");
  assert.deepEqual(seen, ["on", "once", "on"]);
  assert.equal(emitter.listenerCount("e"), 1);
});
