import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAuditCommand } from "../../src/cli/commands/audit.js";
import {
  AuditChainError,
  AuditLog,
  entryHash,
  GENESIS_HASH,
  verifyAuditFile,
  verifyAuditText,
} from "../../src/observability/audit-chain.js";
import { canonicalJson } from "../../src/observability/canonical-json.js";

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rfsn-audit-"));
  path = join(dir, "logs", "audit.jsonl");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fixedClock(): () => Date {
  let tick = 0;
  return () => new Date(Date.UTC(2026, 10, 23, 7, 0, tick++));
}

function writeSession(count = 5): string[] {
  const log = AuditLog.open(path, { clock: fixedClock() });
  log.append("session_started", { sessionId: "s-1" });
  for (let index = 1; index < count; index += 1)
    log.append("gate_verdict", { proposal: `p${index}`, accepted: index % 2 === 0 });
  return readFileSync(path, "utf8").trimEnd().split("\n");
}

function rewrite(lines: string[], trailingNewline = true): void {
  writeFileSync(path, `${lines.join("\n")}${trailingNewline ? "\n" : ""}`);
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) },
    out,
    err,
  };
}

describe("the audit chain", () => {
  it("writes one hash-chained JSON entry per line", () => {
    const lines = writeSession(3);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(entries[0].prev).toBe(GENESIS_HASH);
    expect(entries[1].prev).toBe(entries[0].hash);
    expect(entries[0].at).toBe("2026-11-23T07:00:00.000Z");
    expect(entries[0].hash).toBe(entryHash(entries[0]));
    expect(verifyAuditFile(path)).toEqual({ ok: true, entries: 3, head: entries[2].hash });
  });

  it("resumes the chain of an existing file", () => {
    writeSession(2);
    const reopened = AuditLog.open(path);
    expect(reopened.entries).toBe(2);
    const entry = reopened.append("session_finished", { outcome: "fixed" });
    expect(entry.seq).toBe(3);
    expect(verifyAuditFile(path)).toMatchObject({ ok: true, entries: 3, head: reopened.headHash });
  });

  it("masks secret-looking strings in data before writing", () => {
    const log = AuditLog.open(path);
    const token = `ghs_${"a1B2".repeat(10)}`;
    log.append("git_push", {
      remote: `https://x-access-token:${token}@github.com/a/b`,
      token,
      nested: [{ apiKey: "k-1" }],
      when: undefined,
    });
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(token);
    expect(text).not.toContain("k-1");
    expect(verifyAuditFile(path).ok).toBe(true);
  });

  it("detects an edited line", () => {
    const lines = writeSession();
    rewrite(lines.map((line, index) => (index === 2 ? line.replace('"p2"', '"p9"') : line)));
    expect(verifyAuditFile(path)).toEqual({
      ok: false,
      line: 3,
      problem: expect.stringContaining("hash mismatch"),
    });
  });

  it("detects an edited line whose hash was recomputed", () => {
    const lines = writeSession();
    const edited = JSON.parse(lines[1] ?? "");
    edited.data.accepted = true;
    edited.hash = entryHash(edited);
    rewrite(lines.map((line, index) => (index === 1 ? JSON.stringify(edited) : line)));
    expect(verifyAuditFile(path)).toMatchObject({
      ok: false,
      line: 3,
      problem: expect.stringContaining("prev does not match"),
    });
  });

  it("detects a deleted line", () => {
    const lines = writeSession();
    rewrite(lines.filter((_, index) => index !== 1));
    expect(verifyAuditFile(path)).toMatchObject({
      ok: false,
      line: 2,
      problem: expect.stringContaining("sequence number 3"),
    });
  });

  it("detects an inserted line", () => {
    const lines = writeSession();
    const forged = {
      seq: 3,
      at: "2026-11-23T07:00:02.500Z",
      type: "note",
      data: {},
      prev: JSON.parse(lines[1] ?? "").hash,
    };
    const inserted = JSON.stringify({ ...forged, hash: entryHash(forged) });
    rewrite([...lines.slice(0, 2), inserted, ...lines.slice(2)]);
    expect(verifyAuditFile(path)).toMatchObject({
      ok: false,
      line: 4,
      problem: expect.stringContaining("sequence number 3"),
    });
  });

  it("detects reordered lines", () => {
    const lines = writeSession();
    rewrite([lines[0], lines[2], lines[1], lines[3], lines[4]] as string[]);
    expect(verifyAuditFile(path)).toMatchObject({
      ok: false,
      line: 2,
      problem: expect.stringContaining("sequence number 3"),
    });
  });

  it("detects reordered lines with renumbered sequence numbers", () => {
    const lines = writeSession().map((line) => JSON.parse(line));
    const swapped = [lines[0], { ...lines[2], seq: 2 }, { ...lines[1], seq: 3 }, lines[3], lines[4]];
    rewrite(swapped.map((entry) => JSON.stringify(entry)));
    expect(verifyAuditFile(path)).toMatchObject({
      ok: false,
      line: 2,
      problem: expect.stringContaining("prev does not match"),
    });
  });

  it("detects a truncated last line", () => {
    const lines = writeSession();
    const last = lines.at(-1) ?? "";
    rewrite([...lines.slice(0, -1), last.slice(0, 40)], false);
    expect(verifyAuditFile(path)).toEqual({ ok: false, line: 5, problem: "the last line is truncated" });
    rewrite(lines, false);
    expect(verifyAuditFile(path)).toEqual({ ok: false, line: 5, problem: "the last line is truncated" });
  });

  it("detects garbage, blank lines and entries of the wrong shape", () => {
    expect(verifyAuditText("not json\n")).toEqual({ ok: false, line: 1, problem: "not valid JSON" });
    const lines = writeSession(2);
    expect(verifyAuditText(`${lines[0]}\n\n${lines[1]}\n`)).toMatchObject({
      ok: false,
      line: 2,
      problem: "empty line",
    });
    expect(verifyAuditText('{"seq":1}\n')).toMatchObject({
      ok: false,
      line: 1,
      problem: expect.stringContaining("not an audit entry"),
    });
    expect(verifyAuditText("")).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
  });

  it("refuses to append to a tampered file", () => {
    const lines = writeSession();
    rewrite(lines.slice(1));
    expect(() => AuditLog.open(path)).toThrow(AuditChainError);
    expect(() => AuditLog.open(path)).toThrow(/line 1: sequence number 2/);
  });

  it("hashes canonical JSON, independent of key order", () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: "x", c: undefined }] })).toBe(
      '{"a":[true,null,{"d":"x"}],"b":1}',
    );
    const entry = { seq: 1, at: "t", type: "x", data: { b: 1, a: 2 }, prev: GENESIS_HASH };
    expect(entryHash(entry)).toBe(entryHash({ ...entry, data: { a: 2, b: 1 } }));
  });
});

describe("rfsn audit verify", () => {
  it("exits 0 and reports the entries of an intact file", async () => {
    writeSession(4);
    const { io, out } = capture();
    expect(await runAuditCommand(["verify", path], io)).toBe(0);
    expect(out.join("")).toMatch(/chain intact, 4 entries, head [0-9a-f]{64}/);
  });

  it("exits 1 with the line and the problem of a tampered file, also as JSON", async () => {
    const lines = writeSession();
    rewrite(lines.map((line, index) => (index === 3 ? line.replace('"p3"', '"px"') : line)));
    const text = capture();
    expect(await runAuditCommand(["verify", path], text.io)).toBe(1);
    expect(text.out.join("")).toContain("TAMPERED at line 4: hash mismatch");
    const json = capture();
    expect(await runAuditCommand(["verify", path, "--json"], json.io)).toBe(1);
    expect(JSON.parse(json.out.join(""))).toMatchObject({ ok: false, line: 4, file: path });
  });

  it("exits 2 when the file cannot be read or the usage is wrong", async () => {
    const missing = capture();
    expect(await runAuditCommand(["verify", join(dir, "missing.jsonl")], missing.io)).toBe(2);
    expect(missing.err.join("")).toContain("ENOENT");
    const missingJson = capture();
    expect(await runAuditCommand(["verify", join(dir, "missing.jsonl"), "--json"], missingJson.io)).toBe(2);
    expect(JSON.parse(missingJson.out.join(""))).toMatchObject({ ok: false });
    for (const args of [
      [],
      ["check", path],
      ["verify"],
      ["verify", path, "extra"],
      ["verify", path, "--nope"],
    ]) {
      const usage = capture();
      expect(await runAuditCommand(args, usage.io), args.join(" ")).toBe(2);
      expect(usage.err.join("")).toContain("usage: rfsn audit verify");
    }
    const help = capture();
    expect(await runAuditCommand(["--help"], help.io)).toBe(0);
    expect(help.out.join("")).toContain("usage");
  });
});
