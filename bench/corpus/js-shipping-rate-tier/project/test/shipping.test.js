import assert from "node:assert/strict";
import { test } from "node:test";
import { quote, surcharge, UnknownZoneError, zoneFor } from "../src/shipping.js";

test("countries map to zones", () => {
  assert.equal(zoneFor("DE"), "domestic");
  assert.equal(zoneFor("FR"), "europe");
  assert.equal(zoneFor("JP"), "world");
});

test("light parcels have no surcharge", () => {
  assert.equal(surcharge("domestic", 0.5), 0);
});

test("heavy parcels pay per started kilo above the allowance", () => {
  assert.equal(surcharge("domestic", 4.2), 3.3);
});

test("unknown zones are reported", () => {
  assert.throws(() => quote("moon", 1), UnknownZoneError);
});

test("express costs half again", () => {
  assert.equal(quote("europe", 1, { express: true }), 14.25);
});
