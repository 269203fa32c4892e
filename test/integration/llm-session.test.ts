import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createLlmProposer } from "../../src/repair/llm-settings.js";
import { runRepairSession } from "../../src/repair/session.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";

const fixtures = join(import.meta.dirname, "../fixtures/llm");
const KEY = "sk-session-test-key-0123456789abcdef";

let server: FakeLlmServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it("repairs a bug the operators cannot fix with the patch the scripted model answers", async () => {
  const projectDir = mkdtempSync(join(tmpdir(), "rfsn-llm-session-"));
  dirs.push(projectDir);
  cpSync(join(fixtures, "shipping-project"), projectDir, { recursive: true });
  const good = readFileSync(join(fixtures, "answers/search-replace.txt"), "utf8");
  server = await startFakeLlmServer({
    expectedKey: KEY,
    fallback: (request) =>
      request.prompt.includes("return total;")
        ? { kind: "answer", text: good }
        : { kind: "answer", text: "no idea" },
  });
  const proposer = createLlmProposer({
    provider: "openai",
    model: "gpt-4.1-mini",
    baseUrl: server.openaiBaseUrl,
    apiKey: new SecretValue(KEY),
    maxCalls: 5,
    maxTokens: 60_000,
    maxCostUsd: 1,
    timeoutMs: 10_000,
  });
  const report = await runRepairSession({
    projectDir,
    testCommand: "node --test",
    proposers: [proposer],
    maxIterations: 20,
    timeBudgetMs: 120_000,
    jobs: 2,
  });
  expect(report.outcome).toBe("fixed");
  expect(report.patch?.operator).toBe("llm");
  expect(report.patch?.diff).toContain("+  if (total < 50) total += 4.99;");
  const usage = (report as unknown as { llm: Record<string, number> }).llm;
  expect(usage.calls).toBeGreaterThanOrEqual(1);
  expect(usage.tokens).toBeGreaterThan(0);
  expect(server.requests.every((request) => !request.prompt.includes(KEY))).toBe(true);
  expect(server.requests[0]?.prompt).toContain("orders under 50 pay 4.99 shipping");
}, 120_000);
