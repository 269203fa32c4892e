import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditLog, verifyAuditFile } from "../../src/observability/audit-chain.js";
import { runRepairSession } from "../../src/repair/session.js";
import { openDatabase } from "../../src/store/database.js";
import { OutcomeMemory } from "../../src/store/outcome-memory.js";

const temporary: string[] = [];
function copyOf(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-session-"));
  temporary.push(dir);
  cpSync(source, dir, { recursive: true });
  return dir;
}

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe("a repair session", () => {
  it("repairs the quickstart example with a verified minimal patch and leaves the directory untouched", async () => {
    const dir = copyOf("examples/quickstart");
    const before = readFileSync(join(dir, "src/cart.js"), "utf8");
    const auditPath = join(dir, "..", `audit-${Date.now()}.jsonl`);
    temporary.push(auditPath);
    const database = openDatabase(":memory:");
    const memory = new OutcomeMemory(database);
    const report = await runRepairSession({
      projectDir: dir,
      jobs: 2,
      timeBudgetMs: 120_000,
      audit: AuditLog.open(auditPath),
      memory,
    });
    expect(report.outcome, report.outcomeReason).toBe("fixed");
    expect(report.patch?.files).toEqual(["src/cart.js"]);
    expect(report.patch?.diff).toMatch(/^-.*count > 10/m);
    expect(report.baseline.failing.map((test) => test.name)).toEqual(["ten items get the bulk discount"]);
    expect(report.baseline.passingCount).toBe(5);
    expect(report.locations[0]?.file).toBe("src/cart.js");
    expect(report.candidates.tried).toBeGreaterThan(0);
    expect(report.phases.map((phase) => phase.phase)).toEqual(
      expect.arrayContaining(["reproduce", "localize", "patch", "verify"]),
    );
    expect(readFileSync(join(dir, "src/cart.js"), "utf8")).toBe(before);
    const audit = verifyAuditFile(auditPath);
    expect(audit.ok).toBe(true);
    if (audit.ok) expect(audit.entries).toBeGreaterThan(3);
    // The session taught the outcome memory which family fixed this class of failure.
    const stats = memory.statsFor("javascript:assertion");
    expect([...stats.values()].some((family) => family.plausible > 0)).toBe(true);
    database.close();
  });

  it("ends with no_failure when every test passes", async () => {
    const report = await runRepairSession({
      projectDir: copyOf("test/fixtures/sessions/green"),
      jobs: 1,
      timeBudgetMs: 60_000,
    });
    expect(report.outcome).toBe("no_failure");
    expect(report.patch).toBeNull();
  });

  it("reports a test that passes on an immediate re-run as flaky instead of repairing it", async () => {
    const report = await runRepairSession({
      projectDir: copyOf("test/fixtures/sessions/flaky"),
      jobs: 1,
      timeBudgetMs: 60_000,
    });
    expect(report.outcome).toBe("flaky");
    expect(report.outcomeReason).toContain("passes from the second run on");
  });

  it("repairs the real failure when the flaky guard finds another one flaky while candidates already run", async () => {
    const dir = copyOf("test/fixtures/sessions/partly-flaky");
    const auditPath = join(dir, "..", `audit-${Date.now()}-flaky.jsonl`);
    temporary.push(auditPath);
    const progress: string[] = [];
    const report = await runRepairSession({
      projectDir: dir,
      jobs: 2,
      timeBudgetMs: 120_000,
      audit: AuditLog.open(auditPath),
      onProgress: (message) => progress.push(message),
    });
    expect(report.outcome, report.outcomeReason).toBe("fixed");
    // The patch is the change alone, not the marker file the flaky test wrote.
    expect(report.patch?.files).toEqual(["src/stock.js"]);
    // Only the confirmed failure is the session's to repair; the flaky test is left out of the report.
    expect(report.baseline.failing.map((test) => test.name)).toEqual(["one left is still in stock"]);
    expect(progress).toContain("restarting without the flaky tests: passes from the second run on");
    expect(readFileSync(auditPath, "utf8")).toContain('"session_restarted"');
  });

  it("repairs a bug in two places by adopting the fix of one as the base of the other", async () => {
    const dir = copyOf("test/fixtures/sessions/two-locations");
    const auditPath = join(dir, "..", `audit-${Date.now()}-two.jsonl`);
    temporary.push(auditPath);
    const report = await runRepairSession({
      projectDir: dir,
      jobs: 2,
      timeBudgetMs: 120_000,
      audit: AuditLog.open(auditPath),
    });
    expect(report.outcome, report.outcomeReason).toBe("fixed");
    expect(report.patch?.diff).toMatch(/^\+\s*return width \* height;/m);
    expect(report.patch?.diff).toMatch(/^\+\s*return 2 \* \(width \+ height\);/m);
    expect(readFileSync(auditPath, "utf8")).toContain('"partial_adopted"');
  });

  it("repairs a mistake copied to two places with one candidate that fixes both", async () => {
    const dir = copyOf("test/fixtures/sessions/copied-mistake");
    const report = await runRepairSession({ projectDir: dir, jobs: 2, timeBudgetMs: 120_000 });
    expect(report.outcome, report.outcomeReason).toBe("fixed");
    expect(report.patch?.diff).toMatch(/^\+\s*return level\.onHand \+ level\.incoming;/m);
    expect(report.patch?.diff).toMatch(/^\+\s*const stock = level\.onHand \+ level\.incoming;/m);
    expect(report.patch?.rationale).toMatch(/and the same at line (2|6)$/);
  });

  it("ends with cannot_run and the command's output when the tests cannot even load", async () => {
    const report = await runRepairSession({
      projectDir: copyOf("test/fixtures/sessions/broken"),
      jobs: 1,
      timeBudgetMs: 60_000,
    });
    expect(report.outcome).toBe("cannot_run");
    expect(report.outcomeReason).toMatch(/does-not-exist/);
  });

  it("ends with cannot_run when the test command does not exist", async () => {
    const report = await runRepairSession({
      projectDir: copyOf("test/fixtures/sessions/green"),
      testCommand: "definitely-not-a-test-runner --run",
      jobs: 1,
      timeBudgetMs: 60_000,
    });
    expect(report.outcome).toBe("cannot_run");
  });

  it("refuses shell syntax in the test command with a clear reason", async () => {
    const report = await runRepairSession({
      projectDir: copyOf("test/fixtures/sessions/green"),
      testCommand: "npm test && echo done",
      jobs: 1,
      timeBudgetMs: 60_000,
    });
    expect(report.outcome).toBe("cannot_run");
    expect(report.outcomeReason).toMatch(/shell/i);
  });
});
