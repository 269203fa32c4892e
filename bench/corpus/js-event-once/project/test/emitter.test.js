import assert from "node:assert/strict";
import { test } from "node:test";
import { Emitter } from "../src/emitter.js";

test("listeners receive the arguments", () => {
  const emitter = new Emitter();
  const seen = [];
  emitter.on("save", (id, ok) => seen.push([id, ok]));
  emitter.emit("save", 7, true);
  assert.deepEqual(seen, [[7, true]]);
});

test("emit without listeners returns false", () => {
  assert.equal(new Emitter().emit("nothing"), false);
});

test("once listeners fire a single time", () => {
  const emitter = new Emitter();
  let calls = 0;
  emitter.once("tick", () => calls++);
  emitter.emit("tick");
  emitter.emit("tick");
  assert.equal(calls, 1);
});

test("regular listeners keep firing", () => {
  const emitter = new Emitter();
  let calls = 0;
  emitter.on("tick", () => calls++);
  emitter.emit("tick");
  emitter.emit("tick");
  assert.equal(calls, 2);
});

test("the unsubscribe function removes the listener", () => {
  const emitter = new Emitter();
  const off = emitter.on("x", () => {});
  off();
  assert.equal(emitter.listenerCount("x"), 0);
});
