// Wires the App's HTTP server: signed webhooks into Probot, `/health`, `/metrics`, and a graceful close that drains webhooks.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Octokit } from "@octokit/rest";
import { type ApplicationFunction, Probot } from "probot";
import type { Logger } from "../observability/logger.js";
import { metricsContentType, renderMetrics } from "../observability/metrics.js";
import type { Database } from "../store/database.js";
import { DeliveryStore } from "../store/deliveries.js";
import { RepairRequestStore } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import { AppStateStore } from "./app-state-store.js";
import { checkHealth } from "./health.js";
import { countingFetch, probotOctokitClass } from "./probot-octokit-options.js";
import { recoverStaleRequests } from "./restart-recovery.js";
import { createRfsnApp } from "./rfsn-app.js";
import { loadRepairWorkflowTemplate } from "./workflow-template.js";

export const WEBHOOK_PATH = "/api/github/webhooks";
/** GitHub caps webhook payloads at 25 MB. */
const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

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
}

export interface AppServer {
  url: string;
  port: number;
  probot: Probot;
  deps: AppDependencies;
  /** Webhook requests being handled right now. */
  inFlight(): number;
  /** Settles once startup recovery of stale requests is done. */
  recovered: Promise<unknown>;
  /** Stops accepting, waits for in-flight webhooks (up to the timeout), then closes every connection. Idempotent. */
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
    logger,
    now,
    appSlug: () => slug,
    workflowTemplate: options.workflowTemplate ?? loadRepairWorkflowTemplate(),
  };
  await probot.load(options.appFunction ?? createRfsnApp(deps), {
    cwd: process.cwd(),
    addHandler: () => {
      throw new Error("RFSN serves its own routes; Probot handlers are not supported");
    },
  });
  const webhooks = await probot.getNodeMiddleware({ path: WEBHOOK_PATH });
  if (!options.appSlug) slug = await resolveAppSlug(probot, logger);

  let inFlight = 0;
  let closing = false;
  const drained: Array<() => void> = [];
  const finishWebhook = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const wake of drained.splice(0)) wake();
  };

  const handleWebhook = async (request: IncomingMessage, response: ServerResponse) => {
    if (closing) {
      sendJson(
        response,
        503,
        { error: "shutting down; GitHub can redeliver this webhook" },
        { connection: "close" },
      );
      return;
    }
    inFlight += 1;
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
      request.body = body.toString("utf8");
      const handled = await webhooks(request, response);
      if (!handled && !response.headersSent) sendJson(response, 404, { error: "not found" });
    } catch (error) {
      logger.error({ err: error }, "webhook request failed");
      if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
    } finally {
      finishWebhook();
    }
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path === WEBHOOK_PATH && request.method === "POST") {
      void handleWebhook(request, response);
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
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(":")
    ? `[${options.host}]`
    : options.host === "0.0.0.0"
      ? "127.0.0.1"
      : options.host;

  const recovered = recoverStaleRequests({
    requests: deps.requests,
    staleAfterMs: options.staleAfterMs ?? 15 * 60_000,
    logger,
    octokitFor: (repo) => installationOctokit(probot, repo),
  }).catch((error: unknown) => logger.error({ err: error }, "restart recovery failed"));

  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const timeoutMs = options.shutdownTimeoutMs ?? 25_000;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          drained.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (inFlight > 0) logger.warn({ inFlight }, "shutdown timeout reached with webhooks still in flight");
      }
      server.closeAllConnections();
      await stopped;
      await recovered;
    })();
    return closed;
  };

  logger.info({ port, webhookPath: WEBHOOK_PATH, appSlug: slug }, "RFSN App listening");
  return {
    url: `http://${shownHost}:${port}`,
    port,
    probot,
    deps,
    inFlight: () => inFlight,
    recovered,
    close,
  };
}
