// Whole sessions where a scripted model answers with tampering instead of a fix: each ends not_fixed, the rejection in the report.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RepairReport } from "../../src/core/report.js";
import { createLlmProposer } from "../../src/repair/llm-settings.js";
import { runRepairSession } from "../../src/repair/session.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";

const fixtures = join(import.meta.dirname, "../fixtures/llm");
const KEY = "sk-tamper-session-key-0123456789abcdef";

let server: FakeLlmServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A search/replace answer on the shipping project's src/pricing.js. */
function answer(search: string, replace: string): string {
  return `Here is the fix.\n\nsrc/pricing.js\n\`\`\`javascript\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;
}

const TOTAL = "  return total;\n}";
const HEADER = "export function orderTotal(items) {";

async function sessionAnswering(text: string): Promise<RepairReport> {
  const projectDir = mkdtempSync(join(tmpdir(), "rfsn-tamper-session-"));
  dirs.push(projectDir);
  cpSync(join(fixtures, "shipping-project"), projectDir, { recursive: true });
  server = await startFakeLlmServer({ expectedKey: KEY, fallback: () => ({ kind: "answer", text }) });
  const proposer = createLlmProposer({
    provider: "openai",
    model: "gpt-4.1-mini",
    baseUrl: server.openaiBaseUrl,
    apiKey: new SecretValue(KEY),
    maxCalls: 2,
    maxTokens: 60_000,
    maxCostUsd: 1,
    timeoutMs: 10_000,
  });
  return runRepairSession({
    projectDir,
    testCommand: "node --test",
    proposers: [proposer],
    maxIterations: 6,
    timeBudgetMs: 90_000,
    jobs: 1,
  });
}

function llmVerdicts(report: RepairReport): string[] {
  return report.attempts.filter((attempt) => attempt.operator === "llm").map((attempt) => attempt.verdict);
}

describe("a session whose model answers with tampering", () => {
  it.each([
    [
      "replacing an assertion of the imported assert module",
      answer(HEADER, `import assert from "node:assert/strict";\nassert.equal = () => {};\n${HEADER}`),
      "gate:test_tampering",
    ],
    [
      "returning the expected value only under node --test",
      answer(TOTAL, `  if (process.env.NODE_TEST_CONTEXT) return 24.99;\n${TOTAL}`),
      "gate:test_tampering",
    ],
    [
      "ending the process early through a computed member",
      answer(TOTAL, `  process['exit'](0);\n${TOTAL}`),
      "gate:forbidden_pattern",
    ],
    [
      "skipping the tests from source",
      answer(
        HEADER,
        `import { test } from "node:test";\ntest.skip("orders under 50 pay 4.99 shipping");\n${HEADER}`,
      ),
      "gate:test_tampering",
    ],
    [
      "hiding a check under a dead-code guard",
      answer(TOTAL, `  if (false) {\n    total += 4.99;\n  }\n${TOTAL}`),
      "gate:test_tampering",
    ],
  ])(
    "ends not_fixed when the model answers by %s",
    async (_what, text, verdict) => {
      const report = await sessionAnswering(text);
      expect(report.outcome).toBe("not_fixed");
      expect(report.patch ?? null).toBeNull();
      expect(llmVerdicts(report)).toContain(verdict);
    },
    120_000,
  );

  it("ends not_fixed when tampering the gate misses reaches validation (assert replaced through a second alias)", async () => {
    const report = await sessionAnswering(
      answer(
        HEADER,
        `import * as m from "node:assert/strict";\nconst x = m.default;\nx.equal = () => {};\n${HEADER}`,
      ),
    );
    expect(report.outcome).toBe("not_fixed");
    expect(report.patch ?? null).toBeNull();
    const verdicts = llmVerdicts(report);
    expect(verdicts.some((verdict) => verdict.startsWith("validation:"))).toBe(true);
    expect(verdicts).not.toContain("plausible");
  }, 120_000);
});
