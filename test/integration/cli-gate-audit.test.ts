// `rfsn gate` and `rfsn audit verify` through the CLI entry: verdicts and exit codes on fixture diffs and a real session's audit file.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { AuditLog } from "../../src/observability/audit-chain.js";
import { runRepairSession } from "../../src/repair/session.js";

const ROOT = join(import.meta.dirname, "../..");
const GATE_FIXTURES = join(ROOT, "test/fixtures/gate");
const workspace = mkdtempSync(join(tmpdir(), "rfsn-cli-gate-audit-"));
let auditFile = "";
let auditLines: string[] = [];

interface Run {
  code: number;
  out: string;
  err: string;
}

async function rfsn(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function tampered(name: string, lines: string[]): string {
  const path = join(workspace, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

beforeAll(async () => {
  // A real session's audit trail: the green fixture is quick and still logs its start, evidence and finish.
  const projectDir = join(workspace, "green");
  cpSync(join(ROOT, "test/fixtures/sessions/green"), projectDir, { recursive: true });
  auditFile = join(workspace, "audit", "session.jsonl");
  const audit = AuditLog.open(auditFile);
  const report = await runRepairSession({ projectDir, audit, jobs: 1, timeBudgetMs: 30_000 });
  expect(report.outcome).toBe("no_failure");
  auditLines = readFileSync(auditFile, "utf8").trimEnd().split("\n");
}, 60_000);

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

describe("rfsn gate", () => {
  it("accepts a plain source fix with exit 0 and prints its fingerprint as JSON", async () => {
    const run = await rfsn("gate", join(GATE_FIXTURES, "accept/js-operator-swap.diff"), "--json");
    expect(run.code, run.err).toBe(0);
    const verdict = JSON.parse(run.out) as { accepted: boolean; fingerprint: string };
    expect(verdict.accepted).toBe(true);
    expect(verdict.fingerprint).toMatch(/^[0-9a-f]{8,}$/);
  });

  it("rejects an eval and a protected path with exit 1 and the rejection type", async () => {
    const evil = await rfsn("gate", join(GATE_FIXTURES, "reject/forbidden_pattern/js-eval.diff"), "--json");
    expect(evil.code).toBe(1);
    expect(JSON.parse(evil.out)).toMatchObject({ accepted: false, type: "forbidden_pattern" });
    const human = await rfsn("gate", join(GATE_FIXTURES, "reject/forbidden_pattern/js-eval.diff"));
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/^rejected .*js-eval\.diff: forbidden_pattern: /);
    const custom = await rfsn(
      "gate",
      join(GATE_FIXTURES, "accept/js-operator-swap.diff"),
      "--json",
      "--protected",
      "src/**",
    );
    expect(custom.code).toBe(1);
    expect(JSON.parse(custom.out)).toMatchObject({ accepted: false, type: "protected_path" });
  });

  it("exits 2 for a missing file, a file that is not a diff, or no file at all", async () => {
    expect((await rfsn("gate", join(workspace, "missing.diff"))).code).toBe(2);
    const notDiff = join(workspace, "notes.txt");
    writeFileSync(notDiff, "just some words\n");
    const run = await rfsn("gate", notDiff);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/unified diff/);
    expect((await rfsn("gate")).code).toBe(2);
  });
});

describe("rfsn audit verify", () => {
  it("exits 0 for a session's untouched audit file and reports its entries and head", async () => {
    expect(auditLines.length).toBeGreaterThanOrEqual(3);
    const run = await rfsn("audit", "verify", auditFile);
    expect(run.code, run.out + run.err).toBe(0);
    expect(run.out).toContain(`chain intact, ${auditLines.length} entries`);
    const json = await rfsn("audit", "verify", auditFile, "--json");
    const last = JSON.parse(auditLines.at(-1) ?? "{}") as { hash: string };
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, entries: auditLines.length, head: last.hash });
  });

  it("exits 1 and names the line for an edited, a deleted, an inserted or a reordered entry", async () => {
    const edited = [...auditLines];
    edited[1] = (edited[1] ?? "").replace(/"type":"[a-z_]+"/, '"type":"nothing_happened"');
    const deleted = auditLines.filter((_, index) => index !== 1);
    const inserted = [...auditLines.slice(0, 2), auditLines[1] ?? "", ...auditLines.slice(2)];
    const reordered = [auditLines[0] ?? "", auditLines[2] ?? "", auditLines[1] ?? "", ...auditLines.slice(3)];
    for (const [name, lines] of Object.entries({ edited, deleted, inserted, reordered })) {
      const run = await rfsn("audit", "verify", tampered(`${name}.jsonl`, lines));
      expect(run.code, name).toBe(1);
      expect(run.out, name).toMatch(/TAMPERED at line [23]\b/);
    }
  });

  it("exits 2 for a missing file and for a missing or unknown subcommand", async () => {
    const missing = await rfsn("audit", "verify", join(workspace, "nope.jsonl"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read .*ENOENT/);
    expect((await rfsn("audit")).code).toBe(2);
    expect((await rfsn("audit", "sign", auditFile)).code).toBe(2);
  });
});
