// OpenTelemetry spans on real code paths: an LLM-assisted repair session and the App handling one CI failure.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../../src/app/app-server.js";
import type { RepairReport } from "../../src/core/report.js";
import { initTracing, type TracingHandle } from "../../src/observability/tracing-setup.js";
import { createLlmProposer } from "../../src/repair/llm-settings.js";
import { runRepairSession } from "../../src/repair/session.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { postWebhook, workflowRunCompleted } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";

const SHIPPING_PROJECT = join(import.meta.dirname, "../fixtures/llm/shipping-project");
const LLM_KEY = "sk-tracing-test-key-0123456789abcdef";
const WEBHOOK_SECRET = "tracing-webhook-secret";
/** The scripted model's fix (rounded: 20 + 4.99 is not 24.99 in binary floating point). */
const ANSWER = readFileSync(
  join(import.meta.dirname, "../fixtures/llm/answers/search-replace-rounded.txt"),
  "utf8",
);

const exporter = new InMemorySpanExporter();
const workspace = mkdtempSync(join(tmpdir(), "rfsn-tracing-spans-"));
let tracing: TracingHandle | undefined;
let llmServer: FakeLlmServer | undefined;
let fake: FakeGitHub | undefined;
let server: AppServer | undefined;
let database: Database | undefined;
let report: RepairReport | undefined;
let dispatchedRepository = "";

async function repairWithLlm(): Promise<void> {
  llmServer = await startFakeLlmServer({ expectedKey: LLM_KEY, fallback: { kind: "answer", text: ANSWER } });
  const projectDir = join(workspace, "shipping");
  cpSync(SHIPPING_PROJECT, projectDir, { recursive: true });
  const proposer = createLlmProposer({
    provider: "openai",
    model: "gpt-4.1-mini",
    baseUrl: llmServer.openaiBaseUrl,
    apiKey: new SecretValue(LLM_KEY),
    maxCalls: 3,
    maxTokens: 60_000,
    maxCostUsd: 1,
    timeoutMs: 10_000,
  });
  report = await runRepairSession({
    projectDir,
    testCommand: "node --test",
    proposers: [proposer],
    maxIterations: 12,
    timeBudgetMs: 60_000,
    jobs: 2,
  });
}

async function appHandlesOneFailure(): Promise<void> {
  fake = await startFakeGitHub();
  database = openDatabase(join(workspace, "app.db"));
  server = await startTestAppServer({
    webhookSecret: WEBHOOK_SECRET,
    githubBaseUrl: `${fake.url}/api/v3`,
    database,
  });
  const repository = fake.addRepository({
    owner: "octo-org",
    name: "traced-service",
    permissions: { alice: "write" },
    files: { "README.md": "# service\n" },
    workflows: ["rfsn.yml", "ci.yml"],
  });
  dispatchedRepository = `${repository.owner}/${repository.name}`;
  const sha = repository.branches.get(repository.defaultBranch) ?? "";
  const payload = workflowRunCompleted(
    { owner: repository.owner, repo: repository.name },
    { sha, runId: 8181 },
  );
  const answer = await postWebhook(server.url, WEBHOOK_SECRET, "workflow_run", payload);
  expect(answer.status).toBeLessThan(300);
  // The server may acknowledge first and handle the delivery in the background: wait for the webhook span to end.
  const deadline = Date.now() + 15_000;
  while (!named("rfsn.webhook").length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

function named(name: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.name === name);
}

function only(name: string): ReadableSpan {
  const spans = named(name);
  expect(spans, `spans named ${name}`).toHaveLength(1);
  return spans[0] as ReadableSpan;
}

beforeAll(async () => {
  tracing = initTracing({ env: {}, exporter });
  await repairWithLlm();
  await appHandlesOneFailure();
}, 90_000);

afterAll(async () => {
  await server?.close();
  database?.close();
  await fake?.close();
  await llmServer?.close();
  await tracing?.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

describe("tracing a repair session", () => {
  it("has one rfsn.repair span for the session, carrying its outcome", () => {
    expect(report?.outcome).toBe("fixed");
    const repair = only("rfsn.repair");
    expect(repair.attributes["rfsn.outcome"]).toBe("fixed");
    expect(repair.parentSpanContext).toBeUndefined();
  });

  it("has a span for each phase, children of the repair span in its trace", () => {
    const repair = only("rfsn.repair");
    for (const phase of ["reproduce", "localize", "patch", "verify"]) {
      const spans = named(`rfsn.phase.${phase}`);
      expect(spans.length, `rfsn.phase.${phase}`).toBeGreaterThan(0);
      for (const span of spans) {
        expect(span.spanContext().traceId).toBe(repair.spanContext().traceId);
        expect(span.parentSpanContext?.spanId).toBe(repair.spanContext().spanId);
      }
    }
    // Phases run one after another inside the session.
    const reproduce = only("rfsn.phase.reproduce");
    const [firstLocalize] = named("rfsn.phase.localize");
    const toMs = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
    expect(toMs(reproduce.endTime)).toBeLessThanOrEqual(toMs(firstLocalize?.startTime ?? [0, 0]) + 1);
    expect(toMs(repair.startTime)).toBeLessThanOrEqual(toMs(reproduce.startTime));
  });

  it("has one rfsn.candidate.validate span per validated candidate, in the repair's trace", () => {
    const repair = only("rfsn.repair");
    // Validations still running when the first plausible patch arrives are stopped and marked aborted.
    const validations = named("rfsn.candidate.validate").filter(
      (span) => span.attributes["rfsn.result"] !== "aborted",
    );
    expect(validations).toHaveLength(report?.candidates.tried ?? -1);
    expect(validations.map((span) => span.attributes["rfsn.result"])).toContain("plausible");
    for (const span of validations) expect(span.spanContext().traceId).toBe(repair.spanContext().traceId);
    expect(validations.map((span) => span.attributes["rfsn.operator"])).toContain("llm");
  });

  it("has an rfsn.llm.call span per request to the model, with the model name", () => {
    const repair = only("rfsn.repair");
    const calls = named("rfsn.llm.call");
    expect(calls).toHaveLength(llmServer?.requests.length ?? -1);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.attributes["rfsn.llm.model"]).toBe("gpt-4.1-mini");
      expect(call.spanContext().traceId).toBe(repair.spanContext().traceId);
    }
  });
});

describe("tracing the App", () => {
  it("has an rfsn.webhook span for the delivery and an rfsn.dispatch span inside it", () => {
    const webhook = only("rfsn.webhook");
    expect(webhook.attributes).toMatchObject({ event: "workflow_run", action: "completed" });
    const dispatch = only("rfsn.dispatch");
    expect(dispatch.attributes.repository).toBe(dispatchedRepository);
    expect(dispatch.spanContext().traceId).toBe(webhook.spanContext().traceId);
    expect(dispatch.parentSpanContext?.spanId).toBe(webhook.spanContext().spanId);
    expect(
      fake?.dispatches.filter((entry) => `${entry.owner}/${entry.repo}` === dispatchedRepository),
    ).toHaveLength(1);
    // The App's trace is its own, not the repair session's.
    expect(webhook.spanContext().traceId).not.toBe(only("rfsn.repair").spanContext().traceId);
  });
});
