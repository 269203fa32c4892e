// The SQLite store on real files: pragmas, migrations, dedupe, outcome memory, the LLM cache and its error messages.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CURRENT_SCHEMA_VERSION,
  type Database,
  openDatabase,
  StoreError,
  toStoreError,
} from "../../src/store/database.js";
import { DeliveryStore } from "../../src/store/deliveries.js";
import { LlmResponseCache } from "../../src/store/llm-cache.js";
import { defaultMemoryPath, openOutcomeMemory } from "../../src/store/memory-file.js";
import { OutcomeMemory } from "../../src/store/outcome-memory.js";
import { type NewRepairRequest, RepairRequestStore } from "../../src/store/repair-requests.js";

let directory: string;
const open: Database[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "rfsn-store-"));
});

afterEach(() => {
  for (const database of open.splice(0)) if (database.open) database.close();
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

let fileCounter = 0;
function freshPath(): string {
  fileCounter += 1;
  return join(directory, `case-${fileCounter}`, "nested", "rfsn.db");
}

function freshDatabase(): Database {
  const database = openDatabase(freshPath());
  open.push(database);
  return database;
}

/** Every table and index, with its SQL text normalized for whitespace. */
function schemaOf(database: Database): string[] {
  return database
    .prepare(
      "SELECT type || ' ' || name || ': ' || sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all()
    .map((text) => String(text).replace(/\s+/g, " "));
}

describe("openDatabase", () => {
  it("creates the parent directory and sets WAL, busy timeout, foreign keys and synchronous NORMAL", () => {
    const database = freshDatabase();
    expect(database.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(database.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(database.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(database.pragma("synchronous", { simple: true })).toBe(1);
    expect(database.pragma("user_version", { simple: true })).toBe(CURRENT_SCHEMA_VERSION);
  });

  it("opens an in-memory database with every table", () => {
    const database = openDatabase(":memory:");
    open.push(database);
    const tables = database
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      "deliveries",
      "llm_cache",
      "llm_relay_usage",
      "opened_pull_requests",
      "outcome_memory",
      "repair_dispatches",
      "repair_refusals",
      "repair_requests",
      "repository_pauses",
    ]);
  });

  it("migrates a version-1 database to the current version, keeping its rows and ending with a fresh database's schema", () => {
    const path = freshPath();
    openDatabase(path).close();
    const reference = openDatabase(path);
    open.push(reference);

    const oldPath = join(directory, "version-1", "rfsn.db");
    mkdirSync(dirname(oldPath), { recursive: true });
    const old = new BetterSqlite3(oldPath);
    old.exec(readFileSync("test/fixtures/store/schema-v1.sql", "utf8"));
    expect(old.pragma("user_version", { simple: true })).toBe(1);
    old.close();

    const migrated = openDatabase(oldPath);
    open.push(migrated);
    expect(migrated.pragma("user_version", { simple: true })).toBe(CURRENT_SCHEMA_VERSION);
    expect(schemaOf(migrated)).toEqual(schemaOf(reference));
    expect(migrated.prepare("SELECT COUNT(*) FROM deliveries").pluck().get()).toBe(2);
    const stats = new OutcomeMemory(migrated).statsFor("python:assertion");
    expect(stats.get("off_by_one")).toEqual({
      attempts: 12,
      plausible: 3,
      totalMs: 48000,
      lastFailureAt: null,
    });
    expect(stats.get("negate_condition")?.attempts).toBe(5);
    expect(
      new DeliveryStore(migrated).recordDelivery("0b3f6a10-1111-4c1e-9d1e-000000000001", "push", 1),
    ).toBe(false);
  });

  it("refuses a database from a newer RFSN with a message saying to upgrade", () => {
    const path = freshPath();
    const database = openDatabase(path);
    database.pragma(`user_version = ${CURRENT_SCHEMA_VERSION + 1}`);
    database.close();
    expect(() => openDatabase(path)).toThrowError(
      /schema version \d+ but this RFSN only knows up to \d+: upgrade RFSN/,
    );
  });

  it("opens a current database read-only but refuses to migrate an old one read-only", () => {
    const path = freshPath();
    const writable = openDatabase(path);
    new DeliveryStore(writable).recordDelivery("d1", "push", 1);
    writable.close();
    const reader = openDatabase(path, { readonly: true });
    open.push(reader);
    expect(reader.prepare("SELECT COUNT(*) FROM deliveries").pluck().get()).toBe(1);
    expect(() => new DeliveryStore(reader).recordDelivery("d2", "push", 2)).toThrowError(StoreError);

    const oldPath = freshPath();
    openDatabase(oldPath).close();
    const old = new BetterSqlite3(oldPath);
    old.pragma("user_version = 1");
    old.close();
    expect(() => openDatabase(oldPath, { readonly: true })).toThrowError(
      /open it read-write once to migrate/,
    );
    expect(() => openDatabase(join(directory, "missing.db"), { readonly: true })).toThrowError(StoreError);
  });

  it("explains a file that is not a database", () => {
    const path = join(directory, "garbage.db");
    writeFileSync(
      path,
      "this is not sqlite, just text that is long enough to look like a header ".repeat(20),
    );
    expect(() => openDatabase(path)).toThrowError(/is not a valid RFSN database .*move it aside/);
  });

  it("explains a database in a read-only directory", () => {
    if (process.getuid?.() === 0) return; // root ignores file permissions
    const readonlyDirectory = join(directory, "readonly");
    openDatabase(join(readonlyDirectory, "rfsn.db")).close();
    chmodSync(readonlyDirectory, 0o555);
    try {
      expect(() => openDatabase(join(readonlyDirectory, "other", "rfsn.db"))).toThrowError(StoreError);
    } finally {
      chmodSync(readonlyDirectory, 0o755);
    }
  });
});

describe("toStoreError", () => {
  it("turns SQLITE_FULL into a disk-full message naming the file", () => {
    const error = toStoreError(
      Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }),
      "/x/rfsn.db",
      "writing",
    );
    expect(error.message).toMatch(/^disk full while writing \/x\/rfsn\.db/);
    expect(error.code).toBe("SQLITE_FULL");
  });

  it("reports a real full database as disk full, naming the file", () => {
    const database = freshDatabase();
    database.pragma(`max_page_count = ${Number(database.pragma("page_count", { simple: true }))}`);
    const cache = new LlmResponseCache(database);
    let failure: unknown;
    try {
      for (let index = 0; index < 1000; index += 1) cache.set(`key-${index}`, "x".repeat(4096), 1000, 0);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe("SQLITE_FULL");
    expect((failure as StoreError).message).toBe(
      `disk full while writing ${database.name}: free some space (or point RFSN_DB at another disk) and retry`,
    );
  });

  it("reads file-system errors like their SQLite counterparts", () => {
    const noSpace = toStoreError(
      Object.assign(new Error("ENOSPC"), { code: "ENOSPC" }),
      "/x/rfsn.db",
      "opening",
    );
    expect(noSpace.message).toMatch(/^disk full while opening \/x\/rfsn\.db/);
    const denied = toStoreError(
      Object.assign(new Error("EACCES"), { code: "EACCES" }),
      "/x/rfsn.db",
      "opening",
    );
    expect(denied.message).toContain("read-only");
    expect(toStoreError("odd", "/x/rfsn.db", "reading").message).toBe(
      "database error while reading /x/rfsn.db: odd",
    );
  });

  it("turns a busy database into advice about the other process", () => {
    const error = toStoreError(
      Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
      "/x/rfsn.db",
      "writing",
    );
    expect(error.message).toContain("locked by another process");
  });

  it("reports a real lock held by another connection as a StoreError after the busy timeout", () => {
    const path = freshPath();
    const holder = openDatabase(path);
    open.push(holder);
    const waiter = openDatabase(path);
    open.push(waiter);
    waiter.pragma("busy_timeout = 50");
    holder.exec("BEGIN IMMEDIATE");
    try {
      expect(() => new DeliveryStore(waiter).recordDelivery("late", "push", 1)).toThrowError(
        /locked by another process/,
      );
    } finally {
      holder.exec("ROLLBACK");
    }
  });
});

describe("DeliveryStore", () => {
  it("records a delivery once and reports redeliveries", () => {
    const deliveries = new DeliveryStore(freshDatabase());
    expect(deliveries.recordDelivery("abc", "workflow_run", 1000)).toBe(true);
    expect(deliveries.recordDelivery("abc", "workflow_run", 2000)).toBe(false);
    expect(deliveries.recordDelivery("def", "issue_comment", 3000)).toBe(true);
    expect(deliveries.pruneOlderThan(2500)).toBe(1);
    expect(deliveries.recordDelivery("abc", "workflow_run", 4000)).toBe(true);
  });
});

describe("RepairRequestStore", () => {
  const base: NewRepairRequest = {
    repo: "octo/app",
    headSha: "a".repeat(40),
    trigger: "ci-failure",
    dedupeKey: "octo/app:aaa:ci",
  };

  function storeWithClock(start = 1_000_000) {
    const clock = { now: start };
    const store = new RepairRequestStore(freshDatabase(), { now: () => clock.now });
    return { store, clock };
  }

  it("creates one row for two requests with the same dedupe key and returns the first", () => {
    const { store } = storeWithClock();
    const first = store.createIfAbsent({ ...base, requestedBy: "alice" });
    const second = store.createIfAbsent({ ...base, trigger: "comment", requestedBy: "bob" });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.request).toEqual(first.request);
    expect(second.request.requestedBy).toBe("alice");
    expect(first.request.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.countForHeadSha("octo/app", base.headSha)).toBe(1);
  });

  it("stores every field and updates status, detail and check run with the clock", () => {
    const { store, clock } = storeWithClock();
    const { request } = store.createIfAbsent({
      ...base,
      id: "req-1",
      trigger: "comment",
      commentTarget: { issueNumber: 7, commentId: 99 },
      detail: "from /rfsn fix",
    });
    expect(request).toEqual({
      id: "req-1",
      repo: "octo/app",
      headSha: base.headSha,
      trigger: "comment",
      dedupeKey: base.dedupeKey,
      status: "accepted",
      checkRunId: null,
      commentTarget: { issueNumber: 7, commentId: 99 },
      requestedBy: null,
      detail: "from /rfsn fix",
      createdAt: 1_000_000,
      updatedAt: 1_000_000,
    });
    clock.now += 500;
    expect(store.updateStatus("req-1", "dispatched")).toMatchObject({
      status: "dispatched",
      detail: "from /rfsn fix",
      updatedAt: 1_000_500,
    });
    expect(store.setCheckRunId("req-1", 4242)?.checkRunId).toBe(4242);
    expect(store.updateStatus("req-1", "failed", "tests could not run")?.detail).toBe("tests could not run");
    expect(store.updateStatus("missing", "failed")).toBeUndefined();
    expect(store.setCheckRunId("missing", 1)).toBeUndefined();
    expect(store.get("missing")).toBeUndefined();
    expect(store.findByDedupeKey(base.dedupeKey)?.id).toBe("req-1");
  });

  it("rejects an unknown trigger or status before writing", () => {
    const { store } = storeWithClock();
    expect(() => store.createIfAbsent({ ...base, trigger: "push" as never })).toThrowError(
      /unknown repair trigger "push"/,
    );
    const { request } = store.createIfAbsent(base);
    expect(() => store.updateStatus(request.id, "done" as never)).toThrowError(/expected one of accepted/);
  });

  it("counts requests per head commit and per time window, and finds the latest one", () => {
    const { store, clock } = storeWithClock(0);
    for (let index = 0; index < 5; index += 1) {
      clock.now = index * 3_600_000;
      store.createIfAbsent({
        ...base,
        id: `r${index}`,
        headSha: index < 3 ? "sha-1" : "sha-2",
        dedupeKey: `k${index}`,
      });
    }
    store.createIfAbsent({ ...base, repo: "other/repo", dedupeKey: "other" });
    expect(store.countForHeadSha("octo/app", "sha-1")).toBe(3);
    expect(store.countForHeadSha("octo/app", "sha-2")).toBe(2);
    expect(store.countSince("octo/app", 2 * 3_600_000)).toBe(3);
    expect(store.countSince("octo/app", 0)).toBe(5);
    expect(store.latestForRepository("octo/app")?.id).toBe("r4");
    expect(store.latestForRepository("nobody/here")).toBeUndefined();
  });

  it("finds requests stuck in a status for longer than a given age, oldest first", () => {
    const { store, clock } = storeWithClock(0);
    store.createIfAbsent({ ...base, id: "old", dedupeKey: "1", status: "dispatched" });
    clock.now = 10 * 60_000;
    store.createIfAbsent({ ...base, id: "recent", dedupeKey: "2", status: "dispatched" });
    store.createIfAbsent({ ...base, id: "done", dedupeKey: "3", status: "completed" });
    clock.now = 30 * 60_000;
    expect(store.findStale("dispatched", 25 * 60_000).map((request) => request.id)).toEqual(["old"]);
    expect(store.findStale("dispatched", 5 * 60_000).map((request) => request.id)).toEqual(["old", "recent"]);
    store.updateStatus("old", "running");
    expect(store.findStale("dispatched", 5 * 60_000).map((request) => request.id)).toEqual(["recent"]);
  });
});

describe("OutcomeMemory", () => {
  it("aggregates single attempts and tallies per failure class and operator family", () => {
    let now = 100;
    const memory = new OutcomeMemory(freshDatabase(), { now: () => now });
    memory.record("python:assertion", "off_by_one", { plausible: true, durationMs: 1200 });
    now = 200;
    memory.record("python:assertion", "off_by_one", { plausible: false, durationMs: 800.4 });
    now = 300;
    memory.recordMany([
      { fingerprintClass: "python:assertion", family: "off_by_one", attempts: 3, plausible: 3, ms: 1000 },
      { fingerprintClass: "python:assertion", family: "add_guard", attempts: 2, plausible: 0, ms: 50 },
      { fingerprintClass: "python:assertion", family: "swap_operands", attempts: 0, plausible: 0, ms: 0 },
      { fingerprintClass: "javascript:null_access", family: "add_guard", plausible: true, durationMs: 10 },
    ]);
    const stats = memory.statsFor("python:assertion");
    expect([...stats.keys()]).toEqual(["add_guard", "off_by_one"]);
    expect(stats.get("off_by_one")).toEqual({ attempts: 5, plausible: 4, totalMs: 3000, lastFailureAt: 200 });
    expect(stats.get("add_guard")).toEqual({ attempts: 2, plausible: 0, totalMs: 50, lastFailureAt: 300 });
    expect(memory.statsFor("javascript:null_access").get("add_guard")).toEqual({
      attempts: 1,
      plausible: 1,
      totalMs: 10,
      lastFailureAt: null,
    });
    expect(memory.statsFor("go:panic").size).toBe(0);
  });

  it("writes a batch all or nothing", () => {
    const database = freshDatabase();
    const memory = new OutcomeMemory(database);
    database.exec(
      "CREATE TRIGGER refuse_llm BEFORE INSERT ON outcome_memory WHEN NEW.operator_family = 'llm' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    expect(() =>
      memory.recordMany([
        { fingerprintClass: "c", family: "off_by_one", plausible: true, durationMs: 1 },
        { fingerprintClass: "c", family: "llm", plausible: true, durationMs: 1 },
      ]),
    ).toThrowError(StoreError);
    expect(memory.statsFor("c").size).toBe(0);
  });

  it("opens the memory file at RFSN_DB or under XDG_STATE_HOME", () => {
    expect(defaultMemoryPath({ RFSN_DB: "/data/x.db" })).toBe("/data/x.db");
    expect(defaultMemoryPath({ XDG_STATE_HOME: "/state" })).toBe("/state/rfsn/rfsn.db");
    const path = freshPath();
    const first = openOutcomeMemory(path);
    first.memory.record("c", "llm", { plausible: true, durationMs: 5 });
    first.close();
    const second = openOutcomeMemory(path);
    expect(second.memory.statsFor("c").get("llm")?.attempts).toBe(1);
    second.close();
  });
});

describe("LlmResponseCache", () => {
  it("returns a value until its time to live ends, then misses and deletes it", () => {
    const cache = new LlmResponseCache(freshDatabase());
    cache.set("prompt-1", "answer", 1000, 10_000);
    expect(cache.get("prompt-1", 10_999)).toBe("answer");
    expect(cache.totalBytes()).toBe("prompt-1".length + "answer".length);
    expect(cache.get("prompt-1", 11_000)).toBeUndefined();
    expect(cache.totalBytes()).toBe(0);
    expect(cache.get("never-set", 0)).toBeUndefined();
  });

  it("replaces an entry set twice and counts sizes in UTF-8 bytes", () => {
    const cache = new LlmResponseCache(freshDatabase());
    cache.set("k", "first", 1000, 0);
    cache.set("k", "é", 1000, 0);
    expect(cache.get("k", 1)).toBe("é");
    expect(cache.totalBytes()).toBe(1 + 2);
  });

  it("evicts the least recently used entries down to the size cap", () => {
    const cache = new LlmResponseCache(freshDatabase());
    const value = "v".repeat(99);
    for (const [index, key] of ["a", "b", "c", "d"].entries()) cache.set(key, value, 60_000, index);
    expect(cache.totalBytes()).toBe(400);
    expect(cache.get("a", 10)).toBe(value); // "a" is now the most recently used
    expect(cache.evictToSize(250)).toBe(2);
    expect(cache.totalBytes()).toBe(200);
    expect(cache.get("a", 11)).toBe(value);
    expect(cache.get("d", 11)).toBe(value);
    expect(cache.get("b", 11)).toBeUndefined();
    expect(cache.get("c", 11)).toBeUndefined();
    expect(cache.evictToSize(0)).toBe(2);
  });

  it("deletes every expired entry at once", () => {
    const cache = new LlmResponseCache(freshDatabase());
    cache.set("short", "1", 10, 0);
    cache.set("long", "2", 1000, 0);
    expect(cache.deleteExpired(500)).toBe(1);
    expect(cache.get("long", 500)).toBe("2");
  });
});
