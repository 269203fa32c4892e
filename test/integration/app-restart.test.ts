// `rfsn serve` killed (SIGKILL) mid-request and started again: interrupted work is finished or failed, never dispatched twice.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { postWebhook, workflowRunCompleted } from "../fixtures/app/webhook-payloads.js";
import { type AppProcess, buildServeEntry, eventually, startAppProcess } from "../helpers/app-process.js";
import {
  type FakeGitHub,
  type FakeRepository,
  faults,
  startFakeGitHub,
} from "../helpers/fake-github/index.js";

const SECRET = "restart-secret";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let fake: FakeGitHub;
let directory: string;
const running: AppProcess[] = [];

beforeAll(async () => {
  fake = await startFakeGitHub();
  directory = mkdtempSync(join(tmpdir(), "rfsn-restart-"));
  await buildServeEntry();
});

afterAll(async () => {
  for (const app of running) if (app.child.exitCode === null) app.child.kill("SIGKILL");
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

afterEach(() => {
  fake.clearFaults();
  fake.assertNoViolations();
});

async function serve(databasePath: string): Promise<AppProcess> {
  const app = await startAppProcess({
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    RFSN_DB: databasePath,
    HOST: "127.0.0.1",
    PORT: "0",
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "silent",
  });
  running.push(app);
  return app;
}

function readState(databasePath: string) {
  const database = openDatabase(databasePath);
  try {
    const requests = database
      .prepare("SELECT id, status, check_run_id AS checkRunId, detail FROM repair_requests")
      .all() as Array<{ id: string; status: string; checkRunId: number | null; detail: string | null }>;
    const pending = (
      database.prepare("SELECT COUNT(*) AS count FROM app_pending_deliveries").get() as { count: number }
    ).count;
    return { requests, pending };
  } finally {
    database.close();
  }
}

function dispatchesOf(repository: FakeRepository) {
  return fake.dispatches.filter((entry) => entry.repo === repository.name);
}

function calls(operationId: string, repository: FakeRepository) {
  return fake.requests.filter(
    (request) => request.operationId === operationId && request.path.includes(`/${repository.name}/`),
  ).length;
}

async function killHard(app: AppProcess): Promise<void> {
  app.child.kill("SIGKILL");
  expect(await app.exited).toBe("SIGKILL");
}

describe("rfsn serve killed mid-request", () => {
  it("fails a request cut off before its dispatch, closes its check run, and never dispatches it on redelivery", async () => {
    const databasePath = join(directory, "dispatch-cut.db");
    const repository = fake.addRepository({
      owner: "octo",
      name: "cut-at-dispatch",
      workflows: ["rfsn.yml"],
    });
    const sha = repository.branches.get("main") ?? "";
    const payload = workflowRunCompleted({ owner: "octo", repo: repository.name }, { sha });
    const deliveryId = randomUUID();
    fake.addFault(faults.hang("actions/create-workflow-dispatch"));

    const first = await serve(databasePath);
    expect((await postWebhook(first.url, SECRET, "workflow_run", payload, { deliveryId })).status).toBe(202);
    await eventually(
      () => calls("actions/create-workflow-dispatch", repository) === 1,
      "the dispatch call to be in flight",
    );
    await killHard(first);
    const cut = readState(databasePath);
    expect(cut.requests).toMatchObject([{ status: "accepted" }]);
    expect(cut.pending).toBe(1);
    expect(repository.checkRuns).toMatchObject([{ status: "queued" }]);

    const second = await serve(databasePath);
    await eventually(() => readState(databasePath).pending === 0, "the journal to be replayed");
    await eventually(() => repository.checkRuns[0]?.status === "completed", "the check run to be closed");
    expect(readState(databasePath).requests).toMatchObject([
      { status: "failed", detail: expect.stringContaining("restarted") },
    ]);
    expect(repository.checkRuns[0]).toMatchObject({ conclusion: "cancelled" });

    // GitHub's redelivery (same id) and the same failure under a new id: neither dispatches.
    expect((await postWebhook(second.url, SECRET, "workflow_run", payload, { deliveryId })).status).toBe(200);
    expect((await postWebhook(second.url, SECRET, "workflow_run", payload)).status).toBe(202);
    await eventually(() => readState(databasePath).pending === 0, "the new delivery to be processed");
    expect(dispatchesOf(repository)).toHaveLength(0);
    expect(calls("actions/create-workflow-dispatch", repository)).toBe(1);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("finishes a webhook acknowledged but cut off before it created a request: exactly one dispatch", async () => {
    const databasePath = join(directory, "config-cut.db");
    const repository = fake.addRepository({ owner: "octo", name: "cut-at-config", workflows: ["rfsn.yml"] });
    const sha = repository.branches.get("main") ?? "";
    const payload = workflowRunCompleted({ owner: "octo", repo: repository.name }, { sha });
    const deliveryId = randomUUID();
    fake.addFault(faults.hang("repos/get-content"));

    const first = await serve(databasePath);
    expect((await postWebhook(first.url, SECRET, "workflow_run", payload, { deliveryId })).status).toBe(202);
    await eventually(() => calls("repos/get-content", repository) === 1, "the config read to be in flight");
    await killHard(first);
    expect(readState(databasePath)).toMatchObject({ requests: [], pending: 1 });

    const second = await serve(databasePath);
    await eventually(() => dispatchesOf(repository).length === 1, "the replayed delivery to dispatch");
    await eventually(() => readState(databasePath).pending === 0, "the journal to empty");
    expect(readState(databasePath).requests).toMatchObject([{ status: "dispatched" }]);

    expect((await postWebhook(second.url, SECRET, "workflow_run", payload, { deliveryId })).status).toBe(200);
    expect((await postWebhook(second.url, SECRET, "workflow_run", payload)).status).toBe(202);
    await eventually(() => readState(databasePath).pending === 0, "the new delivery to be processed");
    expect(dispatchesOf(repository)).toHaveLength(1);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
