// Background WAL checkpoints from a worker thread (the compiled module: a worker thread runs JavaScript, so `npm run build` comes first).
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type * as Checkpoints from "../../src/store/background-checkpoints.js";
import { openDatabase } from "../../src/store/database.js";

const compiled = fileURLToPath(new URL("../../dist/src/store/background-checkpoints.js", import.meta.url));
const PAYLOAD = "x".repeat(19_000);
const ROWS = 200;

async function compiledModule(): Promise<typeof Checkpoints> {
  if (!existsSync(compiled))
    throw new Error(`${compiled} is missing: run \`npm run build\` before the tests`);
  return (await import(compiled)) as typeof Checkpoints;
}

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function fillDatabase() {
  const directory = mkdtempSync(join(tmpdir(), "rfsn-checkpoints-"));
  directories.push(directory);
  const path = join(directory, "app.db");
  const database = openDatabase(path);
  database.exec("CREATE TABLE payloads (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = database.prepare("INSERT INTO payloads (body) VALUES (?)");
  return { database, path, write: () => insert.run(PAYLOAD) };
}

describe("background checkpoints", () => {
  it("copy the write-ahead log into the database file while the main connection only appends", async () => {
    const { startBackgroundCheckpoints } = await compiledModule();
    const { database, path, write } = fillDatabase();
    const checkpoints = await startBackgroundCheckpoints(database, { intervalMs: 50 });
    expect(database.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    for (let row = 0; row < ROWS; row += 1) write();
    // Automatic checkpoints are off on this connection: only the worker can have moved the rows into the file.
    const deadline = Date.now() + 5_000;
    while (statSync(path).size < ROWS * PAYLOAD.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statSync(path).size).toBeGreaterThanOrEqual(ROWS * PAYLOAD.length);
    await checkpoints.stop();
    expect(database.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(database.prepare("SELECT count(*) AS n FROM payloads").get()).toEqual({ n: ROWS });
    database.close();
  });

  it("without them, rows written with automatic checkpoints off stay in the log", () => {
    const { database, path, write } = fillDatabase();
    database.pragma("wal_autocheckpoint = 0");
    for (let row = 0; row < ROWS; row += 1) write();
    expect(statSync(path).size).toBeLessThan(ROWS * PAYLOAD.length);
    database.close();
  });

  it("leave an in-memory database alone", async () => {
    const { startBackgroundCheckpoints } = await compiledModule();
    const database = openDatabase(":memory:");
    const checkpoints = await startBackgroundCheckpoints(database);
    expect(database.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    await checkpoints.stop();
    database.close();
  });
});
