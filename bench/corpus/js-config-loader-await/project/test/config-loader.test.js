import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig, validate, withDefaults } from "../src/config-loader.js";

const reader = (files) => async (path) => {
  if (!(path in files)) throw new Error(`ENOENT: ${path}`);
  return files[path];
};

test("defaults fill in missing keys", () => {
  assert.deepEqual(withDefaults({ port: 1 }), { port: 1, logLevel: "info", workers: 2 });
});

test("a missing database url is reported", () => {
  assert.throws(() => validate(withDefaults({})), /databaseUrl/);
});

test("a config file is loaded with defaults", async () => {
  const config = await loadConfig("app.json", reader({ "app.json": '{"databaseUrl":"pg://x"}' }));
  assert.equal(config.databaseUrl, "pg://x");
  assert.equal(config.port, 8080);
});

test("broken JSON names the file", async () => {
  await assert.rejects(loadConfig("bad.json", reader({ "bad.json": "{" })), ConfigError);
});
