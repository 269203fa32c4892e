// Load test of the App: autocannon against `rfsn serve`'s server and a do-nothing Probot app, each in its own process, same signed payloads, at the target rate and at saturation.
import { fork } from "node:child_process";
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
const SIDE_FLAG = "--serve-side";
const STUB_OPTIONS = {
  owner: "octo-org",
  name: "bench",
  files: { ".github/rfsn.yml": "limits:\n  runs_per_day: 1000000\n" },
  permissions: { alice: "write" as const },
};

type Json = Record<string, unknown>;

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
function load(
  name: string,
  url: string,
  requests: PreparedRequest[],
  rate?: number,
  seconds = SECONDS,
): Promise<SideResult> {
  let next = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
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

function throwawayKey(): string {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
}

/** Child side: serves one side of the comparison (`rfsn serve`'s server or a bare Probot) until told to stop. */
async function serveSide(side: string, baseUrl: string): Promise<void> {
  const privateKey = throwawayKey();
  let url: string;
  let drain: (seconds: number) => Promise<Json> = async () => ({ backlog: 0, left: 0, seconds: 0 });
  let stop: () => Promise<void>;
  if (side === "bare") {
    // Bare Probot: verifies and routes the same webhooks, does nothing with them.
    const probot = new Probot({ appId: 1, privateKey, secret: SECRET, baseUrl, logLevel: "fatal" });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on(["workflow_run", "issue_comment", "check_suite"], async () => {});
      },
      { probot },
    );
    const server = createServer((request, response) => {
      void middleware(request, response, () => response.writeHead(404).end());
    });
    url = await listen(server);
    stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  } else {
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
      logger: createLogger({ level: "silent" }),
      version: "bench",
      shutdownTimeoutMs: 2_000,
    });
    url = rfsn.url;
    // Accepted webhooks beyond what was processed during the load wait in the journal; watch the drain for a while.
    drain = async (seconds) => {
      const backlog = rfsn.inFlight();
      const started = performance.now();
      const drained = await Promise.race([
        rfsn.idle().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), seconds * 1000)),
      ]);
      return { backlog, left: rfsn.inFlight(), drained, seconds: (performance.now() - started) / 1000 };
    };
    stop = async () => {
      await rfsn.close();
      database.close();
      rmSync(directory, { recursive: true, force: true });
    };
  }
  // A parent that dies without saying stop (killed, or its output pipe closed) takes this child with it.
  process.once("disconnect", () => process.exit(0));
  process.on("message", (message: Json) => {
    if (message.kind === "drain")
      void drain(Number(message.seconds)).then((result) => process.send?.(result));
    if (message.kind === "stop") void stop().then(() => process.exit(0));
  });
  process.send?.({ kind: "ready", url });
}

interface ForkedSide {
  url: string;
  drain(seconds: number): Promise<Json>;
  stop(): Promise<void>;
}

/** Parent side: each server runs in a process of its own, as `rfsn serve` would, apart from autocannon. */
async function forkSide(side: string, baseUrl: string): Promise<ForkedSide> {
  const child = fork(process.argv[1] ?? "", [SIDE_FLAG, side, baseUrl], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: [],
  });
  const next = () =>
    new Promise<Json>((resolve) => child.once("message", (message) => resolve(message as Json)));
  const ready = await next();
  return {
    url: String(ready.url),
    drain: async (seconds) => {
      const answer = next();
      child.send({ kind: "drain", seconds });
      return answer;
    },
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send({ kind: "stop" });
      await exited;
    },
  };
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

  const baseUrl = `${stub.url}/api/v3`;
  const bareSide = await forkSide("bare", baseUrl);
  const rfsnSide = await forkSide("rfsn", baseUrl);

  // Warm both (JIT, installation token) with requests that are not measured; rfsn works its warm-up off first.
  const warmup = mix("warmup-", 500, 900_000);
  await load("warmup", bareSide.url, warmup, STEADY_RATE, 1).catch(() => undefined);
  await load("warmup", rfsnSide.url, warmup, STEADY_RATE, 1).catch(() => undefined);
  await rfsnSide.drain(DRAIN_SECONDS);
  // One side at a time, so that neither pays for the other's work: bare Probot first, then rfsn, whose backlog
  // from the target-rate round is processed during its saturation round, as it would be in production.
  const bareSteady = await load("bare probot", bareSide.url, steadyRequests, STEADY_RATE);
  const bare = await load("bare probot", bareSide.url, requests);
  const oursSteady = await load("rfsn serve", rfsnSide.url, steadyRequests, STEADY_RATE);
  const ours = await load("rfsn serve", rfsnSide.url, requests);
  const drain = await rfsnSide.drain(DRAIN_SECONDS);

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
  await rfsnSide.stop();
  await bareSide.stop();
  await stub.close();

  const backlogAtEnd = Number(drain.backlog);
  const leftJournaled = Number(drain.left);
  const line = (side: SideResult) =>
    `${side.name.padEnd(12)}  p50 ${side.p50.toFixed(1).padStart(6)} ms  p95 ${side.p95.toFixed(1).padStart(6)} ms  p99 ${side.p99.toFixed(1).padStart(6)} ms  ${side.rps.toFixed(0).padStart(6)} req/s  (${side.total} requests, ${side.errors} errors, ${side.non2xx} non-2xx)`;
  const overhead = oursSteady.p95 / bareSteady.p95;
  const accepted = (ours.total - ours.non2xx) / SECONDS;
  const output = [
    `App load: ${SECONDS} s per side and round, ${CONNECTIONS} connections, 127.0.0.1, each server and the GitHub stub in a process of its own, mix 60% workflow_run failures (distinct commits) / 20% /rfsn status comments / 20% redeliveries`,
    `at ${STEADY_RATE} req/s (the target rate):`,
    line(bareSteady),
    line(oursSteady),
    `at saturation (as fast as the connections allow):`,
    line(bare),
    line(ours),
    `overhead: p95 ${overhead.toFixed(2)}x of bare Probot at ${STEADY_RATE} req/s (${(ours.p95 / bare.p95).toFixed(2)}x at saturation); throughput ${(ours.rps / bare.rps).toFixed(2)}x; rfsn accepted (2xx, journaled) ${accepted.toFixed(0)} req/s; non-2xx answers are 503 + retry-after when the memory queue and the journal backlog are both full`,
    `background: ${backlogAtEnd} accepted deliveries unprocessed when the load ended; ${drain.drained ? `all processed ${Number(drain.seconds).toFixed(1)} s later` : `${backlogAtEnd - leftJournaled} processed in the next ${DRAIN_SECONDS} s, ${leftJournaled} left journaled for the next start`}; ${stats.dispatches} dispatches (${stats.distinctDispatches} distinct request ids, ${distinctRuns} distinct workflow_run deliveries sent at most), ${stats.checkRuns} check runs, ${stats.comments} comments, ${stats.requests} GitHub calls (${stats.unhandled} unhandled)`,
    `targets: p95 < 100 ms (${ours.p95 < 100 ? "met" : "MISSED"} at saturation), >= 500 accepted req/s (${accepted >= 500 ? "met" : "MISSED"}), overhead <= 1.5x (${overhead <= 1.5 ? "met" : "MISSED"} at ${STEADY_RATE} req/s)`,
  ];
  process.stdout.write(`${output.join("\n")}\n`);
}

if (process.argv[2] === STUB_FLAG) await serveGitHubStubForParent(STUB_OPTIONS);
else if (process.argv[2] === SIDE_FLAG) await serveSide(process.argv[3] ?? "", process.argv[4] ?? "");
else await main();
