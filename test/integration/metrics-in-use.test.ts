// Every metric of the registry moves on real code paths: repair sessions (operators and LLM) and the App on signed webhooks.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Gauge } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer, AppServerOptions } from "../../src/app/app-server.js";
import type { RepairReport } from "../../src/core/report.js";
import { metricNamesAndLabels, metricsRegistry } from "../../src/observability/metrics.js";
import { createLlmProposer } from "../../src/repair/llm-settings.js";
import { runRepairSession } from "../../src/repair/session.js";
import { SecretValue } from "../../src/runtime/llm/secret-value.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { issueCommentCreated, postWebhook, workflowRunCompleted } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";

const ROOT = join(import.meta.dirname, "../..");
const LLM_KEY = "sk-metrics-test-key-0123456789abcdef";
const WEBHOOK_SECRET = "metrics-webhook-secret";
/** The scripted model's fix for test/fixtures/llm/shipping-project (rounded: 20 + 4.99 is not 24.99 in binary floating point). */
const GOOD_ANSWER = readFileSync(
  join(import.meta.dirname, "../fixtures/llm/answers/search-replace-rounded.txt"),
  "utf8",
);
/** What a second, misbehaving model answers: the gate must reject it as a forbidden pattern. */
const FORBIDDEN_ANSWER = GOOD_ANSWER.replace(
  "total = Math.round((total + 4.99) * 100) / 100;",
  'total += eval("4.99");',
);

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

const workspace = mkdtempSync(join(tmpdir(), "rfsn-metrics-in-use-"));
const reports: RepairReport[] = [];
/** Every non-zero value a gauge of RFSN showed while a session was running (gauges may be back to 0 at the end). */
const gaugeValuesDuringRuns = new Map<string, number[]>();
const pendingGaugeReads: Promise<void>[] = [];
let llmServer: FakeLlmServer | undefined;
let fake: FakeGitHub | undefined;
let server: AppServer | undefined;
let appDatabase: Database | undefined;
let cacheDatabase: Database | undefined;

function isDefaultProcessMetric(name: string): boolean {
  return /^rfsn_(process|nodejs)_/.test(name);
}

/** Reads every RFSN gauge now (prom-client takes the snapshot synchronously; the promise only delivers it). */
function sampleGauges(): void {
  for (const metric of metricsRegistry.getMetricsAsArray()) {
    if (!(metric instanceof Gauge)) continue;
    const { name } = metric as unknown as { name: string };
    if (isDefaultProcessMetric(name)) continue;
    pendingGaugeReads.push(
      metric.get().then((snapshot) => {
        const seen = gaugeValuesDuringRuns.get(name) ?? [];
        for (const sample of snapshot.values) if (sample.value !== 0) seen.push(sample.value);
        gaugeValuesDuringRuns.set(name, seen);
      }),
    );
  }
}

async function samplesOf(name: string): Promise<Sample[]> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((entry) => entry.name === name);
  return (metric?.values ?? []) as Sample[];
}

/** Sum of the samples of a series (`x_count` and `x_sum` read histogram `x`) whose labels include `labels`. */
async function sumOf(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metricName = name.replace(/_(count|sum)$/, "");
  const samples = await samplesOf(name === metricName ? name : metricName);
  return samples
    .filter((sample) => (sample.metricName ?? metricName) === name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => String(sample.labels[key]) === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

async function labelValues(name: string, label: string): Promise<string[]> {
  return [...new Set((await samplesOf(name)).map((sample) => String(sample.labels[label] ?? "")))].sort();
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function copyProject(from: string, name: string): string {
  const dir = join(workspace, name);
  cpSync(join(ROOT, from), dir, { recursive: true });
  return dir;
}

async function repairQuickstart(): Promise<void> {
  reports.push(
    await runRepairSession({
      projectDir: copyProject("examples/quickstart", "quickstart"),
      jobs: 2,
      timeBudgetMs: 60_000,
      onProgress: sampleGauges,
    }),
  );
}

/**
 * The shipping project no operator fixes. Three proposers share one cache database: the scripted model answers the fix,
 * a second model answers an `eval` the gate rejects, a third endpoint with a bad key fails, and a replica asking the
 * same model the same question is answered from the SQLite cache tier.
 */
async function repairWithLlm(): Promise<void> {
  llmServer = await startFakeLlmServer({
    expectedKey: LLM_KEY,
    fallback: (request) => ({
      kind: "answer",
      text: request.model === "gpt-4.1-nano" ? FORBIDDEN_ANSWER : GOOD_ANSWER,
    }),
  });
  const baseUrl = llmServer.openaiBaseUrl;
  cacheDatabase = openDatabase(join(workspace, "llm-cache.db"));
  const proposer = (model: string, key = LLM_KEY) =>
    createLlmProposer(
      {
        provider: "openai",
        model,
        baseUrl,
        apiKey: new SecretValue(key),
        maxCalls: 5,
        maxTokens: 60_000,
        maxCostUsd: 1,
        timeoutMs: 10_000,
      },
      { ...(cacheDatabase ? { cacheDatabase } : {}), retry: { maxRetries: 0 } },
    );
  reports.push(
    await runRepairSession({
      projectDir: copyProject("test/fixtures/llm/shipping-project", "shipping"),
      testCommand: "node --test",
      proposers: [
        proposer("gpt-4.1-mini"),
        proposer("gpt-4.1-nano"),
        proposer("gpt-4o-mini", "sk-not-the-right-key-000000000000"),
        proposer("gpt-4.1-mini"),
      ],
      maxIterations: 12,
      timeBudgetMs: 60_000,
      jobs: 2,
      onProgress: sampleGauges,
    }),
  );
}

/** The App on three stories: a CI failure it dispatches, its redeliveries, and a comment from a reader. */
async function runTheApp(): Promise<void> {
  const github = await startFakeGitHub();
  fake = github;
  const startApp = (database: Database, extra: Partial<AppServerOptions> = {}) =>
    startTestAppServer({
      webhookSecret: WEBHOOK_SECRET,
      githubBaseUrl: `${github.url}/api/v3`,
      database,
      ...extra,
    });
  appDatabase = openDatabase(join(workspace, "app.db"));
  server = await startApp(appDatabase);
  const repository = fake.addRepository({
    owner: "octo-org",
    name: "metrics-service",
    permissions: { alice: "write", bob: "read" },
    files: { "README.md": "# service\n" },
    workflows: ["rfsn.yml", "ci.yml"],
  });
  const target = { owner: repository.owner, repo: repository.name };
  const sha = repository.branches.get(repository.defaultBranch) ?? "";
  const post = (event: string, payload: unknown, deliveryId?: string) =>
    postWebhook(server?.url ?? "", WEBHOOK_SECRET, event, payload, deliveryId ? { deliveryId } : {});
  const decided = (result: string) => async () => (await sumOf("rfsn_app_decisions_total", { result })) >= 1;

  const failure = workflowRunCompleted(target, { sha, runId: 9191 });
  const deliveryId = crypto.randomUUID();
  expect((await post("workflow_run", failure, deliveryId)).status).toBeLessThan(300);
  await eventually(decided("dispatched"), "the dispatch decision");
  // GitHub redelivers the same delivery, then the same failure arrives under a new delivery id.
  expect((await post("workflow_run", failure, deliveryId)).status).toBeLessThan(300);
  expect((await post("workflow_run", failure)).status).toBeLessThan(300);
  await eventually(decided("duplicate"), "the duplicate decision");

  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  repository.ensureIssue(4, false);
  repository.comments.push({
    id: 7001,
    issueNumber: 4,
    body: "/rfsn fix",
    user: "bob",
    createdAt: now,
    updatedAt: now,
  });
  const comment = issueCommentCreated(target, {
    issueNumber: 4,
    author: "bob",
    commentId: 7001,
    body: "/rfsn fix",
  });
  expect((await post("issue_comment", comment)).status).toBeLessThan(300);
  await eventually(decided("refused_permission"), "the refusal decision");
  expect(fake.dispatches.filter((entry) => entry.repo === repository.name)).toHaveLength(1);

  // A repository that turned RFSN off: its failure is refused, and the refusal counted by reason.
  const off = fake.addRepository({
    owner: "octo-org",
    name: "metrics-off",
    files: { ".github/rfsn.yml": "enabled: false\n" },
    workflows: ["rfsn.yml", "ci.yml"],
  });
  const offSha = off.branches.get(off.defaultBranch) ?? "";
  const offTarget = { owner: off.owner, repo: off.name };
  expect((await post("workflow_run", workflowRunCompleted(offTarget, { sha: offSha }))).status).toBeLessThan(
    300,
  );
  await eventually(
    async () => (await sumOf("rfsn_app_refusals_total", { reason: "disabled" })) >= 1,
    "the refusal",
  );

  // A burst beyond what a busy App can hold in memory and in its journal is refused with 503, and counted.
  let release = () => {};
  const blocked = new Promise<void>((resolve) => {
    release = resolve;
  });
  const busyDatabase = openDatabase(join(workspace, "busy.db"));
  const busy = await startApp(busyDatabase, {
    appSlug: "rfsn",
    concurrency: 1,
    queueCapacity: 0,
    backlogCapacity: 0,
    appFunction: (app) => {
      app.on("workflow_run", () => blocked);
    },
  });
  const burst = (id: string) =>
    postWebhook(busy.url, WEBHOOK_SECRET, "workflow_run", failure, { deliveryId: id });
  expect((await burst(crypto.randomUUID())).status).toBe(202);
  expect((await burst(crypto.randomUUID())).status).toBe(503);
  release();
  await busy.close();
  busyDatabase.close();
}

beforeAll(async () => {
  await repairQuickstart();
  await repairWithLlm();
  await runTheApp();
  await Promise.all(pendingGaugeReads);
}, 90_000);

afterAll(async () => {
  await server?.close();
  appDatabase?.close();
  cacheDatabase?.close();
  await fake?.close();
  await llmServer?.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe("the metrics registry after a repair, an LLM-assisted repair and the App", () => {
  it("ran the workloads the assertions depend on", () => {
    expect(reports.map((report) => report.outcome)).toEqual(["fixed", "fixed"]);
    expect(reports[1]?.patch?.operator).toBe("llm");
  });

  it("has moved every metric it defines, so no metric is left that nothing updates", async () => {
    const json = await metricsRegistry.getMetricsAsJSON();
    const defined = metricNamesAndLabels().filter((metric) => !isDefaultProcessMetric(metric.name));
    expect(defined.length).toBeGreaterThanOrEqual(25);
    const still: string[] = [];
    for (const metric of defined) {
      const values = (json.find((entry) => entry.name === metric.name)?.values ?? []) as Sample[];
      let moved: boolean;
      if (metric.type === "histogram") {
        moved = values.some((sample) => sample.metricName === `${metric.name}_count` && sample.value > 0);
      } else if (metric.type === "gauge") {
        moved =
          values.some((sample) => sample.value !== 0) ||
          (gaugeValuesDuringRuns.get(metric.name) ?? []).length > 0;
      } else {
        moved = values.some((sample) => sample.value > 0);
      }
      if (!moved) still.push(`${metric.name} (${metric.type})`);
    }
    expect(still, `metrics nothing updated: ${still.join(", ")}`).toEqual([]);
  });

  it("counts both sessions as fixed, with their durations, iterations and no session left active", async () => {
    expect(await sumOf("rfsn_repair_outcomes_total", { outcome: "fixed" })).toBe(2);
    expect(await sumOf("rfsn_repair_duration_seconds_count")).toBe(2);
    expect(await sumOf("rfsn_repair_iterations_count")).toBe(2);
    expect(await sumOf("rfsn_active_repairs")).toBe(0);
    expect(gaugeValuesDuringRuns.get("rfsn_active_repairs")).toContain(1);
  });

  it("labels proposals by intent and operator family, and rejections by gate type and phase", async () => {
    const families = await labelValues("rfsn_proposals_total", "action_type");
    expect(families).toContain("llm");
    expect(families.filter((family) => family !== "llm").length).toBeGreaterThan(0);
    expect(await labelValues("rfsn_proposals_total", "intent")).toContain("fix_bug");
    expect(
      await sumOf("rfsn_proposals_rejected_total", { rejection_type: "forbidden_pattern", phase: "patch" }),
    ).toBeGreaterThanOrEqual(1);
    const checked = await sumOf("rfsn_gate_validations_total");
    const accepted = await sumOf("rfsn_proposals_accepted_total");
    const rejected = await sumOf("rfsn_gate_rejections_total");
    expect(accepted + rejected).toBe(checked);
    expect(await sumOf("rfsn_proposals_rejected_total")).toBeGreaterThanOrEqual(rejected);
    expect(await sumOf("rfsn_proposals_total")).toBeGreaterThanOrEqual(checked);
  });

  it("counts passing and failing test runs with their durations and the failing cases", async () => {
    expect(await sumOf("rfsn_tests_run_total", { outcome: "failed" })).toBeGreaterThan(0);
    expect(await sumOf("rfsn_tests_run_total", { outcome: "passed" })).toBeGreaterThanOrEqual(2);
    expect(await sumOf("rfsn_test_duration_seconds_count")).toBe(await sumOf("rfsn_tests_run_total"));
    expect(await sumOf("rfsn_test_failures_total")).toBeGreaterThan(0);
  });

  it("counts LLM calls by model and status, tokens by type, errors, latency and both cache outcomes", async () => {
    expect(
      await sumOf("rfsn_llm_calls_total", { model: "gpt-4.1-mini", status: "ok" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await sumOf("rfsn_llm_calls_total", { model: "gpt-4.1-nano", status: "ok" }),
    ).toBeGreaterThanOrEqual(1);
    const failedStatuses = (await samplesOf("rfsn_llm_calls_total"))
      .filter((sample) => sample.labels.model === "gpt-4o-mini")
      .map((sample) => String(sample.labels.status));
    expect(failedStatuses.length).toBeGreaterThan(0);
    expect(failedStatuses).not.toContain("ok");
    expect(await sumOf("rfsn_llm_errors_total")).toBeGreaterThanOrEqual(1);
    expect(await sumOf("rfsn_llm_tokens_total", { model: "gpt-4.1-mini", type: "input" })).toBeGreaterThan(0);
    expect(await sumOf("rfsn_llm_tokens_total", { model: "gpt-4.1-mini", type: "output" })).toBeGreaterThan(
      0,
    );
    expect(await sumOf("rfsn_llm_latency_seconds_count", { model: "gpt-4.1-mini" })).toBeGreaterThanOrEqual(
      1,
    );
    expect(await sumOf("rfsn_cache_misses_total")).toBeGreaterThanOrEqual(2);
    expect(await sumOf("rfsn_cache_hits_total", { tier: "sqlite" })).toBeGreaterThanOrEqual(1);
    expect(await sumOf("rfsn_cache_size_bytes")).toBeGreaterThan(0);
    // Only fresh questions reached the server: the replica asked each one too, and the cache answered it. (How
    // often the session consults the proposers depends on how fast the other candidates run.)
    const miniPrompts = (llmServer?.requests ?? [])
      .filter((request) => request.model === "gpt-4.1-mini")
      .map((request) => request.prompt);
    expect(miniPrompts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(miniPrompts).size).toBe(miniPrompts.length);
  });

  it("counts the App's webhooks, decisions, dispatches and GitHub calls with bounded labels", async () => {
    expect(
      await sumOf("rfsn_app_webhooks_total", { event: "workflow_run", action: "completed" }),
    ).toBeGreaterThanOrEqual(2);
    expect(await sumOf("rfsn_app_webhooks_total", { event: "issue_comment", action: "created" })).toBe(1);
    const results = await labelValues("rfsn_app_decisions_total", "result");
    expect(results).toEqual(expect.arrayContaining(["dispatched", "duplicate", "refused_permission"]));
    expect(await sumOf("rfsn_app_decisions_total", { result: "dispatched" })).toBe(1);
    expect(await sumOf("rfsn_app_dispatches_total", { status: "ok" })).toBe(1);
    expect(await sumOf("rfsn_app_dispatches_total", { status: "error" })).toBe(0);
    // Every processed delivery is timed; the redelivery of a known id is decided at the door, without processing.
    expect(await sumOf("rfsn_app_decisions_total", { result: "duplicate" })).toBe(2);
    expect(await sumOf("rfsn_app_webhook_duration_seconds_count")).toBe(
      (await sumOf("rfsn_app_decisions_total")) - 1,
    );
    expect(await sumOf("rfsn_github_api_calls_total", { status: "2xx" })).toBeGreaterThan(0);
    expect(await labelValues("rfsn_app_refusals_total", "reason")).toEqual(["disabled"]);
    expect(await sumOf("rfsn_app_refusals_total", { reason: "disabled" })).toBe(1);
  });

  it("states the RFSN and Node.js versions in rfsn_system_info", async () => {
    const [info] = await samplesOf("rfsn_system_info");
    expect(info?.value).toBe(1);
    expect(info?.labels.node).toBe(process.versions.node);
    expect(String(info?.labels.version)).toMatch(/^\d+\.\d+\.\d+/);
  });
});
