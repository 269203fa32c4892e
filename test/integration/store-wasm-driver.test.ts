// The store modules on the sql.js driver that replaces better-sqlite3 in the Action's single-file bundle.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { CURRENT_SCHEMA_VERSION, openDatabase } from "../../src/store/database.js";
import { DeliveryStore } from "../../src/store/deliveries.js";
import { LlmResponseCache } from "../../src/store/llm-cache.js";
import { OutcomeMemory } from "../../src/store/outcome-memory.js";
import { RepairRequestStore } from "../../src/store/repair-requests.js";

vi.mock("better-sqlite3", () => import("../../src/store/sqlite-wasm-driver.js"));

const directory = mkdtempSync(join(tmpdir(), "rfsn-store-wasm-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("the store on the WebAssembly SQLite driver", () => {
  it("migrates, writes every table and reads the rows back after reopening the file", () => {
    const path = join(directory, "state", "rfsn.db");
    const database = openDatabase(path);
    expect(database.constructor.name).toBe("Database");
    expect("raw" in database).toBe(true);
    expect(database.pragma("user_version", { simple: true })).toBe(CURRENT_SCHEMA_VERSION);

    expect(new DeliveryStore(database).recordDelivery("d1", "push", 1)).toBe(true);
    expect(new DeliveryStore(database).recordDelivery("d1", "push", 2)).toBe(false);
    const requests = new RepairRequestStore(database, { now: () => 50 });
    expect(
      requests.createIfAbsent({ repo: "o/r", headSha: "s", trigger: "manual", dedupeKey: "k" }).created,
    ).toBe(true);
    expect(
      requests.createIfAbsent({ repo: "o/r", headSha: "s", trigger: "manual", dedupeKey: "k" }).created,
    ).toBe(false);
    new OutcomeMemory(database, { now: () => 7 }).recordMany([
      { fingerprintClass: "c", family: "off_by_one", attempts: 2, plausible: 1, ms: 30 },
      { fingerprintClass: "c", family: "off_by_one", plausible: false, durationMs: 10 },
    ]);
    const cache = new LlmResponseCache(database);
    for (const [index, key] of ["a", "b", "c"].entries()) cache.set(key, "x".repeat(9), 1000, index);
    expect(cache.evictToSize(20)).toBe(1);
    database.close();

    const reopened = openDatabase(path);
    expect(new OutcomeMemory(reopened).statsFor("c").get("off_by_one")).toEqual({
      attempts: 3,
      plausible: 1,
      totalMs: 40,
      lastFailureAt: 7,
    });
    expect(new RepairRequestStore(reopened).countForHeadSha("o/r", "s")).toBe(1);
    expect(new LlmResponseCache(reopened).get("a", 5)).toBeUndefined();
    expect(new LlmResponseCache(reopened).get("c", 5)).toBe("x".repeat(9));
    reopened.close();
  });
});
