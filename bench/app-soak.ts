// Soak test of the App: steady signed webhooks at a fixed rate on 127.0.0.1 (events, redeliveries), reporting latency, errors, memory and dispatches.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAppServer } from "../src/app/app-server.js";
import { createLogger } from "../src/observability/logger.js";
import { openDatabase } from "../src/store/database.js";
import {
  checkSuiteCompleted,
  issueCommentCreated,
  sign,
  workflowRunCompleted,
} from "../test/fixtures/app/webhook-payloads.js";
import { forkGitHubStub, serveGitHubStubForParent } from "../test/helpers/github-stub.js";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const RATE = Number(process.env.SOAK_RATE ?? 50);
const WARMUP_SECONDS = Math.min(10, Math.max(1, Math.round(SECONDS / 6)));
/** Requests allowed in flight at once; beyond it a tick is counted as skipped (the App is not keeping up). */
const MAX_OUTSTANDING = 500;
const SECRET = "soak-secret";
const STUB_FLAG = "--github-stub";
const TARGET = { owner: "octo-org", repo: "soak" };
const STUB_OPTIONS = {
  owner: TARGET.owner,
  name: TARGET.repo,
  files: { ".github/rfsn.yml": "limits:\n  runs_per_day: 100000000\n" },
  permissions: { alice: "write" as const },
};

interface Delivery {
  event: string;
  id: string;
  body: string;
  /** The (repository, commit) a workflow_run failure asks to repair; null for other events. */
  repairKey: string | null;
}

function delivery(event: string, payload: unknown, repairKey: string | null, id = randomUUID()): Delivery {
  return { event, id, body: JSON.stringify(payload), repairKey };
}

/** The traffic mix: new failures, redeliveries (same id), the same failure again (new id), comments, green suites. */
function nextDelivery(index: number, sent: Delivery[]): Delivery {
  const kind = index % 20;
  const earlier = sent.length > 0 ? sent[sent.length - 1 - (index % Math.min(sent.length, 50))] : undefined;
  if (earlier && kind < 2) return earlier;
  if (earlier && kind < 4) return { ...earlier, id: randomUUID() };
  if (kind < 7) {
    const commentId = 1_000_000 + index;
    return delivery(
      "issue_comment",
      issueCommentCreated(TARGET, { issueNumber: 1, body: "/rfsn status", author: "alice", commentId }),
      null,
    );
  }
  if (kind < 8) {
    const sha = randomBytes(20).toString("hex");
    return delivery("check_suite", checkSuiteCompleted(TARGET, { sha, conclusion: "success" }), null);
  }
  const sha = randomBytes(20).toString("hex");
  return delivery(
    "workflow_run",
    workflowRunCompleted(TARGET, { sha, runId: 20_000_000 + index }),
    `${TARGET.owner}/${TARGET.repo}@${sha}`,
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function memory(): { rss: number; heap: number } {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const growth = (start: number, end: number) => `${(((end - start) / start) * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const stub = await forkGitHubStub(process.argv[1] ?? "", STUB_FLAG);
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const directory = mkdtempSync(join(tmpdir(), "rfsn-soak-"));
  const database = openDatabase(join(directory, "app.db"));
  const app = await startAppServer({
    appId: 1,
    privateKey,
    webhookSecret: SECRET,
    githubBaseUrl: `${stub.url}/api/v3`,
    port: 0,
    host: "127.0.0.1",
    database,
    logger: createLogger({ level: "silent" }),
    version: "soak",
  });

  const sent: Delivery[] = [];
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const acceptedRepairs = new Set<string>();
  let networkErrors = 0;
  let outstanding = 0;
  let skipped = 0;
  let index = 0;
  let startMemory: { rss: number; heap: number } | null = null;

  const send = async (item: Delivery) => {
    outstanding += 1;
    const started = performance.now();
    try {
      const response = await fetch(`${app.url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": item.event,
          "x-github-delivery": item.id,
          "x-hub-signature-256": sign(SECRET, item.body),
        },
        body: item.body,
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status < 300 && item.repairKey) acceptedRepairs.add(item.repairKey);
    } catch {
      networkErrors += 1;
    } finally {
      outstanding -= 1;
    }
  };

  // Open loop at a fixed rate: one tick every 1000/RATE ms, whatever the answers take.
  const began = performance.now();
  const inFlight: Array<Promise<void>> = [];
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - began) / 1000;
      if (elapsed >= SECONDS) {
        clearInterval(timer);
        resolve();
        return;
      }
      if (startMemory === null && elapsed >= WARMUP_SECONDS) startMemory = memory();
      const due = Math.floor(elapsed * RATE) - index;
      for (let n = 0; n < due; n += 1) {
        index += 1;
        if (outstanding >= MAX_OUTSTANDING) {
          skipped += 1;
          continue;
        }
        const item = nextDelivery(index, sent);
        sent.push(item);
        if (sent.length > 200) sent.shift();
        const pending = send(item);
        inFlight.push(pending);
        void pending.then(() => inFlight.splice(inFlight.indexOf(pending), 1));
      }
    }, 5);
  });
  await Promise.all(inFlight);
  const loadSeconds = (performance.now() - began) / 1000;
  await app.idle();
  const drainSeconds = (performance.now() - began) / 1000 - loadSeconds;
  const endMemory = memory();
  const stats = await stub.stats();
  await app.close();
  database.close();
  await stub.close();
  rmSync(directory, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const answered = latencies.length;
  const errors =
    networkErrors +
    [...statuses].filter(([status]) => status >= 300).reduce((sum, [, count]) => sum + count, 0);
  const base = startMemory ?? endMemory;
  const rssGrowth = (endMemory.rss - base.rss) / base.rss;
  const heapGrowth = (endMemory.heap - base.heap) / base.heap;
  const lines = [
    `App soak: ${SECONDS} s at ${RATE} req/s on 127.0.0.1 (warm-up ${WARMUP_SECONDS} s), GitHub stubbed in a child process, gc ${globalThis.gc ? "exposed" : "NOT exposed"}`,
    `mix: 60% workflow_run failures (new commits), 15% /rfsn status comments, 5% green check suites, 10% redeliveries (same id), 10% same failure under a new id`,
    `throughput: ${(answered / loadSeconds).toFixed(1)} req/s answered (${answered} answers, ${skipped} ticks skipped at ${MAX_OUTSTANDING} outstanding); queue drained ${drainSeconds.toFixed(1)} s after the last request`,
    `latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies.at(-1) ?? Number.NaN).toFixed(1)} ms`,
    `answers: ${[...statuses].map(([status, count]) => `${status}×${count}`).join(", ")}; errors ${errors} (network ${networkErrors}) — target 0`,
    `memory after warm-up → end: rss ${mb(base.rss)} → ${mb(endMemory.rss)} (${growth(base.rss, endMemory.rss)}), heap ${mb(base.heap)} → ${mb(endMemory.heap)} (${growth(base.heap, endMemory.heap)}) — target < 20%`,
    `dispatches: ${stats.dispatches} (${stats.distinctDispatches} distinct request ids) for ${acceptedRepairs.size} distinct failures accepted — ${stats.dispatches === acceptedRepairs.size ? "equal" : "MISMATCH"}; GitHub calls ${stats.requests} (${stats.unhandled} unhandled)`,
    `verdict: errors ${errors === 0 ? "met" : "MISSED"}, memory ${Math.max(rssGrowth, heapGrowth) < 0.2 ? "met" : "MISSED"}, dispatches ${stats.dispatches === acceptedRepairs.size ? "met" : "MISSED"}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (process.argv[2] === STUB_FLAG) await serveGitHubStubForParent(STUB_OPTIONS);
else if (!globalThis.gc && process.env.RFSN_SOAK_CHILD !== "1") {
  // Memory is only comparable after a full collection: run again with --expose-gc.
  const result = spawnSync(process.execPath, ["--expose-gc", process.argv[1] ?? ""], {
    stdio: "inherit",
    env: { ...process.env, RFSN_SOAK_CHILD: "1" },
  });
  process.exitCode = result.status ?? 1;
} else await main();
