// Load test of the App: autocannon against `rfsn serve`'s server and a do-nothing Probot app, same signed payloads, at the target rate and at saturation.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNodeMiddleware, Probot } from "probot";
import { startAppServer } from "../src/app/app-server.js";
import { createLogger } from "../src/observability/logger.js";
import { openDatabase } from "../src/store/database.js";
import { issueCommentCreated, sign, workflowRunCompleted } from "../test/fixtures/app/webhook-payloads.js";
import { forkGitHubStub, serveGitHubStubForParent } from "../test/helpers/github-stub.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECRET = "bench-secret";
const PAYLOADS = 12_000;
/** The fixed rate (requests/s, the target throughput) at which both sides' latencies are compared. */
const STEADY_RATE = Number(process.env.BENCH_RATE ?? 500);
/** How long the benchmark watches the journaled backlog drain after the load before stopping the server. */
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 20);
const STUB_FLAG = "--github-stub";
const STUB_OPTIONS = {
  owner: "octo-org",
  name: "bench",
  files: { ".github/rfsn.yml": "limits:\n  runs_per_day: 1000000\n" },
  permissions: { alice: "write" as const },
};

interface PreparedRequest {
  method: "POST";
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  errors: number;
  non2xx: number;
  duration: number;
}
interface AutocannonInstance {
  on(
    event: "response",
    listener: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void,
  ): void;
}
type Autocannon = ((
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance) & {
  track?: unknown;
};

// autocannon ships no types: typed boundary.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function prepare(event: string, payload: unknown, deliveryId: string): PreparedRequest {
  const body = JSON.stringify(payload);
  return {
    method: "POST",
    path: "/api/github/webhooks",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": sign(SECRET, body),
    },
    body,
  };
}

interface SideResult {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  total: number;
  errors: number;
  non2xx: number;
}

/** Loads `url` for SECONDS: as fast as CONNECTIONS allow, or at `rate` requests/s in all when given. */
function load(name: string, url: string, requests: PreparedRequest[], rate?: number): Promise<SideResult> {
  let next = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        ...(rate ? { overallRate: rate } : {}),
        requests: [
          {
            setupRequest: (request: Record<string, unknown>) => {
              const prepared = requests[next % requests.length] as PreparedRequest;
              next += 1;
              return { ...request, ...prepared };
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        latencies.sort((a, b) => a - b);
        resolve({
          name,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          rps: result.requests.total / result.duration,
          total: result.requests.total,
          errors: result.errors,
          non2xx: result.non2xx,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main(): Promise<void> {
  // GitHub answers from another process, so that the measurement is the App's work, not the stub's.
  const stub = await forkGitHubStub(process.argv[1] ?? "", STUB_FLAG);
  const target = { owner: "octo-org", repo: "bench" };

  // A mix like production traffic: CI failures on distinct commits, `/rfsn status` comments, and redeliveries.
  const mix = (prefix: string, count: number, runIdBase: number): PreparedRequest[] => {
    const requests: PreparedRequest[] = [];
    for (let index = 0; index < count; index += 1) {
      const kind = index % 10;
      if (kind < 6) {
        const sha = randomBytes(20).toString("hex");
        const payload = workflowRunCompleted(target, { sha, runId: runIdBase + index });
        requests.push(prepare("workflow_run", payload, `${prefix}run-${index}`));
      } else if (kind < 8) {
        const commentId = runIdBase + 500_000 + index;
        const payload = issueCommentCreated(target, {
          issueNumber: 1,
          body: "/rfsn status",
          author: "alice",
          commentId,
        });
        requests.push(prepare("issue_comment", payload, `${prefix}comment-${index}`));
      } else {
        const earlier = requests[Math.max(0, requests.length - 5)] as PreparedRequest;
        requests.push({ ...earlier });
      }
    }
    return requests;
  };
  const requests = mix("", PAYLOADS, 10_000);
  const steadyRequests = mix("steady-", STEADY_RATE * SECONDS, 100_000);

  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const baseUrl = `${stub.url}/api/v3`;
  const logger = createLogger({ level: "silent" });

  // Bare Probot: verifies and routes the same webhooks, does nothing with them.
  const bareProbot = new Probot({ appId: 1, privateKey, secret: SECRET, baseUrl, logLevel: "fatal" });
  const bareMiddleware = await createNodeMiddleware(
    (app) => {
      app.on(["workflow_run", "issue_comment", "check_suite"], async () => {});
    },
    { probot: bareProbot },
  );
  const bareServer = createServer((request, response) => {
    void bareMiddleware(request, response, () => response.writeHead(404).end());
  });
  const bareUrl = await listen(bareServer);

  const directory = mkdtempSync(join(tmpdir(), "rfsn-bench-app-"));
  const database = openDatabase(join(directory, "app.db"));
  const rfsn = await startAppServer({
    appId: 1,
    privateKey,
    webhookSecret: SECRET,
    githubBaseUrl: baseUrl,
    port: 0,
    host: "127.0.0.1",
    database,
    logger,
    version: "bench",
    shutdownTimeoutMs: 2_000,
  });

  // Warm both (JIT, installation token) with a few requests, then measure side by side.
  await load("warmup", bareUrl, requests.slice(0, 50)).catch(() => undefined);
  // Latency overhead at the target rate first (servers fresh), then throughput at saturation.
  const bareSteady = await load("bare probot", bareUrl, steadyRequests, STEADY_RATE);
  const oursSteady = await load("rfsn serve", rfsn.url, steadyRequests, STEADY_RATE);
  const bare = await load("bare probot", bareUrl, requests);
  const ours = await load("rfsn serve", rfsn.url, requests);
  // Accepted webhooks beyond what was processed during the load wait in the journal; watch the drain for a while.
  const backlogAtEnd = rfsn.inFlight();
  const acknowledged = performance.now();
  const drained = await Promise.race([
    rfsn.idle().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), DRAIN_SECONDS * 1000)),
  ]);
  const drainSeconds = (performance.now() - acknowledged) / 1000;
  const leftJournaled = rfsn.inFlight();

  const stats = await stub.stats();
  const sent = [
    ...steadyRequests.slice(0, Math.min(oursSteady.total, steadyRequests.length)),
    ...requests.slice(0, Math.min(ours.total, requests.length)),
  ];
  const distinctRuns = new Set(
    sent
      .filter((request) => request.headers["x-github-event"] === "workflow_run")
      .map((request) => request.headers["x-github-delivery"]),
  ).size;
  await rfsn.close();
  const processedAfterLoad = backlogAtEnd - leftJournaled;
  database.close();
  await new Promise<void>((resolve) => bareServer.close(() => resolve()));
  await stub.close();
  rmSync(directory, { recursive: true, force: true });

  const line = (side: SideResult) =>
    `${side.name.padEnd(12)}  p50 ${side.p50.toFixed(1).padStart(6)} ms  p95 ${side.p95.toFixed(1).padStart(6)} ms  p99 ${side.p99.toFixed(1).padStart(6)} ms  ${side.rps.toFixed(0).padStart(6)} req/s  (${side.total} requests, ${side.errors} errors, ${side.non2xx} non-2xx)`;
  const overhead = oursSteady.p95 / bareSteady.p95;
  const accepted = (ours.total - ours.non2xx) / SECONDS;
  const output = [
    `App load: ${SECONDS} s per side and round, ${CONNECTIONS} connections, 127.0.0.1, GitHub stubbed in a child process, mix 60% workflow_run failures (distinct commits) / 20% /rfsn status comments / 20% redeliveries`,
    `at ${STEADY_RATE} req/s (the target rate):`,
    line(bareSteady),
    line(oursSteady),
    `at saturation (as fast as the connections allow):`,
    line(bare),
    line(ours),
    `overhead: p95 ${overhead.toFixed(2)}x of bare Probot at ${STEADY_RATE} req/s (${(ours.p95 / bare.p95).toFixed(2)}x at saturation); throughput ${(ours.rps / bare.rps).toFixed(2)}x; rfsn accepted (2xx, journaled) ${accepted.toFixed(0)} req/s; non-2xx answers are 503 + retry-after when the memory queue and the journal backlog are both full`,
    `background: ${backlogAtEnd} accepted deliveries unprocessed when the load ended; ${drained ? `all processed ${drainSeconds.toFixed(1)} s later` : `${processedAfterLoad} processed in the next ${DRAIN_SECONDS} s, ${leftJournaled} left journaled for the next start`}; ${stats.dispatches} dispatches (${stats.distinctDispatches} distinct request ids, ${distinctRuns} distinct workflow_run deliveries sent at most), ${stats.checkRuns} check runs, ${stats.comments} comments, ${stats.requests} GitHub calls (${stats.unhandled} unhandled)`,
    `targets: p95 < 100 ms (${ours.p95 < 100 ? "met" : "MISSED"} at saturation), >= 500 accepted req/s (${accepted >= 500 ? "met" : "MISSED"}), overhead <= 1.5x (${overhead <= 1.5 ? "met" : "MISSED"} at ${STEADY_RATE} req/s)`,
  ];
  process.stdout.write(`${output.join("\n")}\n`);
}

if (process.argv[2] === STUB_FLAG) await serveGitHubStubForParent(STUB_OPTIONS);
else await main();
