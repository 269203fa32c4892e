// Store behaviour across real processes: concurrent writers on one file, and a writer killed mid-transaction.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { OutcomeMemory } from "../../src/store/outcome-memory.js";

const require = createRequire(import.meta.url);
let directory: string;
let writerScript: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "rfsn-store-processes-"));
  writerScript = join(directory, "writer.mjs");
  const nativeDriver = require.resolve("better-sqlite3");
  await build({
    entryPoints: [resolve("test/fixtures/store/writer.ts")],
    outfile: writerScript,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "warning",
    plugins: [
      {
        name: "native-sqlite-external",
        setup(pluginBuild) {
          // The native addon cannot be bundled: import it from node_modules by absolute path.
          pluginBuild.onResolve({ filter: /^better-sqlite3$/ }, () => ({
            path: nativeDriver,
            external: true,
          }));
        },
      },
    ],
  });
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function startWriter(args: string[]): {
  child: ChildProcess;
  lines: string[];
  waitFor: (line: string) => Promise<void>;
} {
  const child = spawn(process.execPath, [writerScript, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.line === line)) waiter.resolve();
    }
  });
  const waitFor = (line: string) =>
    new Promise<void>((resolveWait, reject) => {
      if (lines.includes(line)) return resolveWait();
      waiters.push({ line, resolve: resolveWait });
      child.once("exit", (code, signal) => {
        if (!lines.includes(line))
          reject(new Error(`writer exited (${code ?? signal}) before "${line}": ${stderr}`));
      });
    });
  return { child, lines, waitFor };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolveExit) => child.once("exit", (code, signal) => resolveExit({ code, signal })));
}

describe("the store shared by several processes", () => {
  it("keeps all 1000 rows and every counter increment when two processes write 500 rows each at the same time", async () => {
    const path = join(directory, "concurrent", "rfsn.db");
    openDatabase(path).close();
    const writers = [startWriter(["rows", path, "a", "500"]), startWriter(["rows", path, "b", "500"])];
    await Promise.all(writers.map((writer) => writer.waitFor("ready")));
    for (const writer of writers) writer.child.stdin?.write("go\n");
    const exits = await Promise.all(writers.map((writer) => exited(writer.child)));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    const database = openDatabase(path);
    const counts = database
      .prepare(
        "SELECT substr(id, 1, 1) AS writer, COUNT(*) AS rows FROM deliveries GROUP BY writer ORDER BY writer",
      )
      .all();
    expect(counts).toEqual([
      { writer: "a", rows: 500 },
      { writer: "b", rows: 500 },
    ]);
    const stats = new OutcomeMemory(database).statsFor("javascript:assertion").get("off_by_one");
    expect(stats).toMatchObject({ attempts: 1000, plausible: 500, totalMs: 3000 });
    database.close();
  });

  it("keeps the database intact and none of the transaction's rows when the writer is killed mid-transaction", async () => {
    const path = join(directory, "killed", "rfsn.db");
    const writer = startWriter(["long-transaction", path, "k", "20000"]);
    await writer.waitFor("midway");
    writer.child.kill("SIGKILL");
    expect(await exited(writer.child)).toEqual({ code: null, signal: "SIGKILL" });
    expect(writer.lines).not.toContain("committed");
    // The transaction outgrew the page cache, so uncommitted pages reached the WAL file before the kill.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_000_000);

    const database = openDatabase(path);
    expect(database.pragma("integrity_check", { simple: true })).toBe("ok");
    const inTransaction = database
      .prepare("SELECT COUNT(*) FROM deliveries WHERE id LIKE 'k-in-transaction-%'")
      .pluck()
      .get();
    expect(inTransaction).toBe(0);
    const before = database
      .prepare("SELECT COUNT(*) FROM deliveries WHERE id = 'k-committed-before'")
      .pluck()
      .get();
    expect(before).toBe(1);
    database.close();
  });
});
