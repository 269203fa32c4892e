// Store faults: a lock held by another process, a full disk, and a database from an older RFSN all end in a clear state.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { CURRENT_SCHEMA_VERSION, openDatabase, StoreError } from "../../src/store/database.js";
import { DeliveryStore } from "../../src/store/deliveries.js";
import { OutcomeMemory } from "../../src/store/outcome-memory.js";

const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "rfsn-store-faults-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A separate process that opens `path`, takes the write lock (BEGIN IMMEDIATE), says "locked" and holds it. */
function holdWriteLock(path: string): Promise<{ stop: () => void }> {
  const sqlite = createRequire(import.meta.url).resolve("better-sqlite3");
  const program = `
    const Database = require(${JSON.stringify(sqlite)});
    const db = new Database(${JSON.stringify(path)});
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO deliveries (id, event, received_at) VALUES ('held', 'push', 1)").run();
    process.stdout.write("locked\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["-e", program], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`lock holder exited early with ${code}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) resolve({ stop: () => child.kill("SIGKILL") });
    });
  });
}

describe("the store under faults", () => {
  it("reports a write lock held by another process beyond the busy timeout as a StoreError saying what to do", async () => {
    const path = join(scratch, "locked.db");
    openDatabase(path).close();
    const holder = await holdWriteLock(path);
    const database = openDatabase(path);
    try {
      const started = Date.now();
      let caught: unknown;
      try {
        new DeliveryStore(database).recordDelivery("waiting", "workflow_run", 2);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StoreError);
      expect((caught as StoreError).code).toMatch(/^SQLITE_BUSY/);
      expect((caught as Error).message).toContain(path);
      expect((caught as Error).message).toMatch(/locked by another process .* stop the other RFSN process/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_000); // it waited for the busy timeout first
    } finally {
      holder.stop();
      database.close();
    }
    // Once the other process is gone, the same file works again and nothing of the lost transaction remains.
    const reopened = openDatabase(path);
    expect(new DeliveryStore(reopened).recordDelivery("after", "workflow_run", 3)).toBe(true);
    expect(reopened.prepare("SELECT id FROM deliveries ORDER BY id").pluck().all()).toEqual(["after"]);
    reopened.close();
  }, 20_000);

  it("reports a full disk (max_page_count reached) as a StoreError and keeps earlier rows", () => {
    const path = join(scratch, "full.db");
    const database = openDatabase(path);
    const deliveries = new DeliveryStore(database);
    deliveries.recordDelivery("kept", "push", 1);
    const pages = Number(database.pragma("page_count", { simple: true }));
    database.pragma(`max_page_count = ${pages + 2}`);
    let caught: unknown;
    try {
      for (let index = 0; index < 1_000; index += 1)
        deliveries.recordDelivery(`row-${index}`, "x".repeat(4_000), index);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).code).toMatch(/^SQLITE_FULL/);
    expect((caught as Error).message).toMatch(/^disk full while writing .*full\.db: free some space/);
    expect(database.prepare("SELECT count(*) FROM deliveries WHERE id = 'kept'").pluck().get()).toBe(1);
    database.close();
  });

  it("migrates a database written by schema version 1, keeping its deliveries and outcome memory", () => {
    const path = join(scratch, "v1.db");
    const old = new BetterSqlite3(path);
    old.exec(readFileSync(join(here, "../fixtures/store/schema-v1.sql"), "utf8"));
    old.close();

    const database = openDatabase(path);
    expect(database.pragma("user_version", { simple: true })).toBe(CURRENT_SCHEMA_VERSION);
    const deliveries = new DeliveryStore(database);
    expect(deliveries.recordDelivery("0b3f6a10-1111-4c1e-9d1e-000000000001", "workflow_run", 1)).toBe(false);
    const stats = new OutcomeMemory(database).statsFor("python:assertion");
    expect(stats.get("off_by_one")).toMatchObject({ attempts: 12, plausible: 3 });
    database.close();
    // Opening it again is a no-op (the migration ran once).
    const again = openDatabase(path);
    expect(again.pragma("user_version", { simple: true })).toBe(CURRENT_SCHEMA_VERSION);
    again.close();
  });

  it("refuses a database from a newer RFSN instead of guessing", () => {
    const path = join(scratch, "future.db");
    const future = new BetterSqlite3(path);
    future.pragma(`user_version = ${CURRENT_SCHEMA_VERSION + 5}`);
    future.close();
    expect(() => openDatabase(path)).toThrow(/has schema version \d+ but this RFSN only knows up to/);
  });
});
