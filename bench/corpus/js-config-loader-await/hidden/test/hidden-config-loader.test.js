import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../src/config-loader.js";

test("overrides are kept", async () => {
  const config = await loadConfig("c.json", async () => '{"databaseUrl":"db","port":9000}');
  assert.deepEqual(config, { databaseUrl: "db", port: 9000, logLevel: "info", workers: 2 });
});

test("a bad port is reported", async () => {
  await assert.rejects(loadConfig("c.json", async () => '{"databaseUrl":"db","port":-1}'), /port/);
});
