// Wires the App's HTTP server: verified webhooks journaled and acknowledged at once, processed by a bounded queue, `/health`, `/metrics`.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Octokit } from "@octokit/rest";
import { type ApplicationFunction, Probot } from "probot";
import { updateCheckRun } from "../github/check-runs.js";
import type { Logger } from "../observability/logger.js";
import { metrics, metricsContentType, renderMetrics } from "../observability/metrics.js";
import { startBackgroundCheckpoints } from "../store/background-checkpoints.js";
import type { Database } from "../store/database.js";
import { DeliveryStore } from "../store/deliveries.js";
import { LlmResponseCache } from "../store/llm-cache.js";
import { LlmRelayUsageStore } from "../store/llm-relay-usage.js";
import { RepairDispatchStore } from "../store/repair-dispatches.js";
import { RepairRequestStore } from "../store/repair-requests.js";
import { RepositoryControlStore } from "../store/repository-controls.js";
import type { AppDependencies } from "./app-dependencies.js";
import { AppStateStore } from "./app-state-store.js";
import { runningTitle } from "./check-run-lifecycle.js";
import { DeliveryJournal } from "./delivery-journal.js";
import { GroupedCommit } from "./grouped-commit.js";
import { checkHealth } from "./health.js";
import { IntakePressure } from "./intake-pressure.js";
import { createLlmRelay, type LlmRelaySettings } from "./llm-relay.js";
import { countingFetch, probotOctokitClass } from "./probot-octokit-options.js";
import { RepositoryConfigCache } from "./repository-config.js";
import { recoverStaleRequests } from "./restart-recovery.js";
import { createRfsnApp } from "./rfsn-app.js";
import { WorkQueue } from "./webhook-queue.js";
import { loadRepairWorkflowTemplate } from "./workflow-template.js";

export const WEBHOOK_PATH = "/api/github/webhooks";
/** GitHub caps webhook payloads at 25 MB. */
const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;
/** A delivery whose processing started this many times without finishing is not replayed again (a poison message). */
const MAX_PROCESSING_ATTEMPTS = 2;
/** Seconds a client is asked to wait when the queue and the journal backlog are full. */
const RETRY_AFTER_SECONDS = 5;

export interface AppServerOptions {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  githubBaseUrl: string;
  port: number;
  host: string;
  database: Database;
  logger: Logger;
  version: string;
  paceWrites?: boolean;
  /** Most pull requests RFSN opens per installation in an hour (default 20). */
  maxPullRequestsPerHour?: number;
  /** Requests left `accepted` this long are failed at startup (default 15 min). */
  staleAfterMs?: number;
  now?: () => number;
  /** How long `close()` waits for in-flight webhooks (default 25 s). */
  shutdownTimeoutMs?: number;
  /** Skips `GET /app` at startup. */
  appSlug?: string;
  workflowTemplate?: string;
  /** Replaces RFSN's handlers (the benchmark's do-nothing app). */
  appFunction?: ApplicationFunction;
  /** Probot's per-attempt GitHub timeout (default 10 s). */
  requestTimeoutMs?: number;
  /** Webhooks processed at the same time (default 4). */
  concurrency?: number;
  /** Acknowledged webhooks held in memory waiting for a worker (default 1000); beyond that they wait in the journal only. */
  queueCapacity?: number;
  /** Acknowledged webhooks allowed to wait in the journal only (default 20000); beyond that the server answers 503 + retry-after. */
  backlogCapacity?: number;
  /** Webhooks per second from which intake counts as a burst and processing yields to it (default 100). */
  burstPerSecond?: number;
  /** Webhooks processed per second at most during a burst, one at a time (default 20). */
  burstJobsPerSecond?: number;
  /** Serves the OIDC-authenticated LLM relay and phase reports under `/rfsn/` (App mode: runners hold no LLM key). */
  llmRelay?: LlmRelaySettings;
}

export interface AppServer {
  url: string;
  port: number;
  probot: Probot;
  deps: AppDependencies;
  /** Webhook requests being received plus deliveries queued or being processed. */
  inFlight(): number;
  /** Resolves once startup recovery is done and no delivery is queued or being processed. */
  idle(): Promise<void>;
  /** Settles once startup recovery (stale and interrupted requests, replay of journaled deliveries) is done. */
  recovered: Promise<unknown>;
  /** Stops accepting, drains the queue (up to the timeout; what is left stays journaled), then closes every connection. Idempotent. */
  close(): Promise<void>;
}

/** `sha256=<hex>` of the raw body with the webhook secret, compared in constant time. */
export function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      ...headers,
    })
    .end(text);
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function resolveAppSlug(probot: Probot, logger: Logger): Promise<string> {
  try {
    const octokit = (await probot.auth()) as unknown as Octokit;
    const { data } = await octokit.rest.apps.getAuthenticated();
    return data?.slug ?? "rfsn";
  } catch (error) {
    logger.warn(
      { err: error },
      "could not read the App's slug from GitHub; assuming rfsn (events from rfsn[bot] are ignored)",
    );
    return "rfsn";
  }
}

async function installationOctokit(probot: Probot, fullName: string): Promise<Octokit> {
  const [owner = "", repo = ""] = fullName.split("/");
  const appOctokit = (await probot.auth()) as unknown as Octokit;
  const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
  return (await probot.auth(data.id)) as unknown as Octokit;
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const logger = options.logger;
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: options.webhookSecret,
    baseUrl: options.githubBaseUrl,
    // Our pino logger (redaction, secret masking); Probot's pino types are a different copy: typed boundary.
    log: logger.child({ component: "probot" }) as unknown as NonNullable<
      ConstructorParameters<typeof Probot>[0]
    >["log"],
    Octokit: probotOctokitClass({
      paceWrites: options.paceWrites ?? false,
      requestTimeoutMs: options.requestTimeoutMs,
    }),
    request: { fetch: countingFetch(options.requestTimeoutMs ?? 10_000) },
  });

  let slug = options.appSlug ?? "rfsn";
  const deps: AppDependencies = {
    requests: new RepairRequestStore(options.database, { now }),
    deliveries: new DeliveryStore(options.database),
    appState: new AppStateStore(options.database, now),
    dispatches: new RepairDispatchStore(options.database, now),
    controls: new RepositoryControlStore(options.database, { now }),
    maxPullRequestsPerHour: options.maxPullRequestsPerHour ?? 20,
    logger,
    now,
    appSlug: () => slug,
    workflowTemplate: options.workflowTemplate ?? loadRepairWorkflowTemplate(),
    repositoryConfigs: new RepositoryConfigCache(),
  };
  await probot.load(options.appFunction ?? createRfsnApp(deps), {
    cwd: process.cwd(),
    addHandler: () => {
      throw new Error("RFSN serves its own routes; Probot handlers are not supported");
    },
  });
  if (!options.appSlug) slug = await resolveAppSlug(probot, logger);

  const journal = new DeliveryJournal(options.database, deps.deliveries);
  // Every accepted webhook is written before it is answered; checkpoints would stall those writes, so they move away.
  const checkpoints = await startBackgroundCheckpoints(options.database);
  const intake = new IntakePressure(
    { burstPerSecond: options.burstPerSecond ?? 100, burstJobsPerSecond: options.burstJobsPerSecond ?? 20 },
    now,
  );
  const queue = new WorkQueue({
    concurrency: options.concurrency ?? 4,
    capacity: options.queueCapacity ?? 1000,
    onError: (error) => logger.error({ err: error }, "webhook worker failed"),
    admit: (active) => intake.admit(active),
  });
  const backlogCapacity = options.backlogCapacity ?? 20_000;
  /** Ids of acknowledged deliveries that wait in the journal only (the memory queue was full), oldest first. */
  const backlog: string[] = [];
  let lastFullWarning = 0;
  const reportDepth = () => {
    metrics.appQueueDepth.set({ where: "memory" }, queue.queued + queue.active);
    metrics.appQueueDepth.set({ where: "journal" }, backlog.length);
  };

  /** Runs Probot's handlers for one journaled delivery; the journal entry goes once processing ends, whatever the outcome. */
  const processJob = (id: string, name: string, payload: unknown) => async () => {
    journal.markStarted(id, now());
    try {
      // The payload was verified against the secret and parsed above: typed boundary into Probot's event union.
      await probot.receive({ id, name, payload } as unknown as Parameters<Probot["receive"]>[0]);
    } catch (error) {
      logger.error({ err: error, deliveryId: id, event: name }, "webhook handler failed");
    } finally {
      journal.finish(id);
      refillFromBacklog();
      reportDepth();
    }
  };

  /** Queues a journaled delivery in memory when there is room, else leaves it waiting in the journal. */
  const enqueue = (id: string, event: string, payload: unknown) => {
    if (backlog.length === 0 && queue.push(processJob(id, event, payload))) return;
    backlog.push(id);
  };

  /** Moves deliveries waiting in the journal into the memory queue while it has room, oldest first. */
  function refillFromBacklog(): void {
    while (backlog.length > 0 && queue.hasRoom()) {
      const id = backlog.shift() as string;
      const entry = journal.get(id);
      if (!entry) continue;
      try {
        queue.push(processJob(entry.id, entry.event, JSON.parse(entry.payload)));
      } catch {
        journal.finish(entry.id);
      }
    }
  }

  let receiving = 0;
  let closing = false;
  const received: Array<() => void> = [];
  const finishReceiving = () => {
    receiving -= 1;
    if (receiving === 0) for (const wake of received.splice(0)) wake();
  };

  const commits = new GroupedCommit(journal);
  const acceptWebhook = async (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    const name = request.headers["x-github-event"];
    const id = request.headers["x-github-delivery"];
    if (typeof name !== "string" || name === "" || typeof id !== "string" || id === "") {
      sendJson(response, 400, { error: "x-github-event and x-github-delivery headers are required" });
      return;
    }
    const text = body.toString("utf8");
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      sendJson(response, 400, { error: "the payload is not JSON" });
      return;
    }
    // Refuse before recording the delivery, so that GitHub's redelivery is not mistaken for a duplicate.
    if (!queue.hasRoom() && backlog.length + commits.pending >= backlogCapacity) {
      metrics.appWebhooksRefused.inc();
      if (now() - lastFullWarning > 1000) {
        lastFullWarning = now();
        logger.warn(
          { queued: queue.queued, active: queue.active, backlog: backlog.length },
          "webhook queue and journal backlog full; answering 503",
        );
      }
      sendJson(
        response,
        503,
        { error: "too many webhooks waiting; retry later" },
        { "retry-after": String(RETRY_AFTER_SECONDS) },
      );
      return;
    }
    if (!(await commits.accept({ id, event: name, payload: text, receivedAt: now() }))) {
      metrics.appDecisions.inc({ result: "duplicate" });
      sendJson(response, 200, { delivery: id, result: "duplicate" });
      return;
    }
    enqueue(id, name, payload);
    reportDepth();
    sendJson(response, 202, { delivery: id, result: backlog.length > 0 ? "journaled" : "queued" });
  };

  const handleWebhook = async (request: IncomingMessage, response: ServerResponse) => {
    if (closing) {
      sendJson(
        response,
        503,
        { error: "shutting down; GitHub can redeliver this webhook" },
        { connection: "close", "retry-after": String(RETRY_AFTER_SECONDS) },
      );
      return;
    }
    receiving += 1;
    try {
      const body = await readBody(request);
      if (body === null) {
        sendJson(
          response,
          413,
          { error: `payload larger than ${MAX_PAYLOAD_BYTES} bytes` },
          { connection: "close" },
        );
        return;
      }
      const signature = request.headers["x-hub-signature-256"];
      if (
        !signatureMatches(options.webhookSecret, body, typeof signature === "string" ? signature : undefined)
      ) {
        sendJson(response, 401, { error: "signature does not match the payload and the webhook secret" });
        return;
      }
      intake.arrived();
      await acceptWebhook(request, response, body);
    } catch (error) {
      logger.error({ err: error }, "webhook request failed");
      if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
    } finally {
      finishReceiving();
    }
  };

  const relay = options.llmRelay
    ? createLlmRelay(options.llmRelay, {
        dispatches: deps.dispatches,
        requests: deps.requests,
        usage: new LlmRelayUsageStore(options.database),
        cache: new LlmResponseCache(options.database),
        logger,
        now,
        onPhase: async (dispatch, phase) => {
          const checkRunId = deps.requests.get(dispatch.requestId)?.checkRunId;
          if (!checkRunId) return;
          const [owner = "", repo = ""] = dispatch.repo.split("/");
          await updateCheckRun(await installationOctokit(probot, dispatch.repo), {
            owner,
            repo,
            checkRunId,
            status: "in_progress",
            output: {
              title: runningTitle(phase),
              summary: `RFSN request \`${dispatch.requestId}\` is in its ${phase} phase.`,
            },
          });
        },
      })
    : null;

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path === WEBHOOK_PATH && request.method === "POST") {
      void handleWebhook(request, response);
      return;
    }
    if (path.startsWith("/rfsn/")) {
      if (relay?.handle(request, response, path)) return;
      sendJson(response, 404, { error: `${path}: the LLM relay is off (set RFSN_LLM_API_KEY to serve it)` });
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      sendJson(response, 405, { error: `${request.method} ${path} is not supported` });
      return;
    }
    if (path === "/health") {
      const { httpStatus, report } = checkHealth(options.database, options.version, startedAt, now());
      sendJson(response, httpStatus, report);
      return;
    }
    if (path === "/metrics") {
      renderMetrics().then(
        (text) => response.writeHead(200, { "content-type": metricsContentType }).end(text),
        (error: unknown) => sendJson(response, 500, { error: `metrics failed: ${(error as Error).message}` }),
      );
      return;
    }
    sendJson(response, 404, { error: `not found; routes: POST ${WEBHOOK_PATH}, GET /health, GET /metrics` });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await checkpoints.stop();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(":")
    ? `[${options.host}]`
    : options.host === "0.0.0.0"
      ? "127.0.0.1"
      : options.host;

  // Deliveries acknowledged before a crash or an expired shutdown are still journaled: those that had started
  // were interrupted mid-request, so the requests they left `accepted` fail at once; then every entry is replayed.
  const leftOver = journal.pending();
  const interrupted = leftOver.filter((entry) => entry.startedAt !== null);
  const interruptedSince = interrupted.length
    ? Math.min(...interrupted.map((entry) => entry.startedAt ?? 0))
    : null;
  const recovered = recoverStaleRequests({
    requests: deps.requests,
    staleAfterMs: options.staleAfterMs ?? 15 * 60_000,
    interruptedSince,
    logger,
    octokitFor: (repo) => installationOctokit(probot, repo),
  })
    .catch((error: unknown) => logger.error({ err: error }, "restart recovery failed"))
    .then(() => {
      for (const entry of leftOver) {
        if (entry.attempts >= MAX_PROCESSING_ATTEMPTS) {
          logger.error(
            { deliveryId: entry.id, event: entry.event, attempts: entry.attempts },
            "dropping a journaled webhook whose processing was interrupted repeatedly",
          );
          journal.finish(entry.id);
          continue;
        }
        // Payloads are read again one at a time as workers free up, so a long journal is never all in memory.
        backlog.push(entry.id);
      }
      refillFromBacklog();
      reportDepth();
      if (leftOver.length > 0)
        logger.warn(
          { replayed: leftOver.length, interrupted: interrupted.length },
          "replaying webhooks acknowledged before the last stop",
        );
    });

  const idle = async () => {
    await recovered;
    await queue.idle();
  };

  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = (async () => {
        if (receiving > 0) await new Promise<void>((resolve) => received.push(resolve));
        await idle();
      })();
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), options.shutdownTimeoutMs ?? 25_000);
      });
      const result = await Promise.race([drained.then(() => "drained" as const), expired]);
      clearTimeout(timer);
      if (result === "timeout") {
        const left = queue.dropWaiting() + backlog.splice(0).length;
        logger.warn(
          { active: queue.active, notStarted: left },
          "shutdown timeout reached; unfinished webhooks stay journaled and are replayed at the next start",
        );
      }
      server.closeAllConnections();
      await stopped;
      await recovered;
      await checkpoints.stop();
    })();
    return closed;
  };

  logger.info({ port, webhookPath: WEBHOOK_PATH, appSlug: slug }, "RFSN App listening");
  return {
    url: `http://${shownHost}:${port}`,
    port,
    probot,
    deps,
    inFlight: () => receiving + queue.active + queue.queued + backlog.length,
    idle,
    recovered,
    close,
  };
}
