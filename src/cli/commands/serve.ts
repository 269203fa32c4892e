// `rfsn serve`: starts the RFSN GitHub App from environment settings (or, without credentials, the setup flow) and shuts it down gracefully on SIGTERM/SIGINT.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createActionsTokenVerifier } from "../../app/actions-oidc.js";
import { type AppServer, startAppServer } from "../../app/app-server.js";
import { applyEnvFile } from "../../app/env-file.js";
import {
  AppEnvironmentError,
  type AppLlmRelayEnvironment,
  LOG_LEVELS,
  readAppEnvironment,
} from "../../app/environment.js";
import type { LlmRelaySettings } from "../../app/llm-relay.js";
import { loadAppYml, startSetupServer } from "../../app/setup-server.js";
import { startWebhookProxy, type WebhookProxy } from "../../app/webhook-proxy.js";
import { createLogger } from "../../observability/logger.js";
import { initTracing } from "../../observability/tracing-setup.js";
import { costUsd, priceOf } from "../../repair/proposers/llm/price-table.js";
import { createOpenAiClient } from "../../runtime/llm/openai-client.js";
import { SecretValue } from "../../runtime/llm/secret-value.js";
import { openDatabase } from "../../store/database.js";

const USAGE = `usage: rfsn serve

Starts the RFSN GitHub App (webhooks at /api/github/webhooks, /health, /metrics).
Settings come from the environment, then from .env (RFSN_ENV_FILE to use another file): APP_ID,
PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, RFSN_DB, LOG_LEVEL, PORT, HOST, GHE_HOST, GHE_PROTOCOL,
RFSN_STALE_MINUTES, RFSN_PACE_WRITES, and for the LLM relay of App-mode runs RFSN_LLM_API_KEY,
RFSN_LLM_BASE_URL, RFSN_LLM_MODEL, RFSN_LLM_DAILY_CALLS, RFSN_LLM_DAILY_TOKENS, RFSN_LLM_DAILY_DOLLARS,
RFSN_OIDC_ISSUER, RFSN_OIDC_AUDIENCE (see .env.example and docs/install.md).

Without APP_ID, PRIVATE_KEY and WEBHOOK_SECRET it starts the setup flow instead: open the printed address,
create the GitHub App from app.yml on GitHub (GH_ORG to create it under an organization), and RFSN writes
.env and starts. RFSN_PUBLIC_URL is the HTTPS address GitHub delivers webhooks to; WEBHOOK_PROXY_URL
(a smee.io channel) forwards them to this machine instead, for a trial from a laptop.`;

/** The relay's settings: the App's own OpenAI-compatible client and key, OIDC verification, daily budgets. */
export function llmRelaySettings(relay: AppLlmRelayEnvironment): LlmRelaySettings {
  return {
    verify: createActionsTokenVerifier({ issuer: relay.oidcIssuer, audience: relay.oidcAudience }),
    upstream: createOpenAiClient({
      model: relay.model,
      baseUrl: relay.baseUrl,
      apiKey: new SecretValue(relay.apiKey),
      timeoutMs: 120_000,
    }),
    budgets: {
      callsPerDay: relay.callsPerDay,
      tokensPerDay: relay.tokensPerDay,
      dollarsPerDay: relay.dollarsPerDay,
    },
    price: (model, inputTokens, outputTokens) =>
      costUsd(priceOf(model, relay.baseUrl), inputTokens, outputTokens),
  };
}

const CREDENTIALS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET"];

function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return (env[name] ?? "").trim() !== "";
}

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const path of ["../../../package.json", "../../../../package.json"]) {
    try {
      const found = require(path) as { name?: string; version?: string };
      if (found.name === "rfsn" && found.version) return found.version;
    } catch {
      // try the next layout (source tree or compiled tree)
    }
  }
  return "unknown";
}

export interface ServeOptions {
  env?: NodeJS.ProcessEnv;
  /** Where `.env` is looked for (default: the working directory). */
  cwd?: string;
  /** Called with the setup page's address (with its token) once the setup flow listens (tests drive the flow from it). */
  onSetupListening?: (url: string) => void;
  /** Resolves when the setup flow should give up (default: the first SIGTERM or SIGINT). */
  setupStopSignal?: () => Promise<string>;
  /** Resolves when the server should stop (default: the first SIGTERM or SIGINT). */
  stopSignal?: (server: AppServer) => Promise<string>;
}

function processSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve(signal);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

export async function runServeCommand(
  args: string[],
  io: { stdout(text: string): void; stderr(text: string): void },
  options: ServeOptions = {},
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(USAGE);
    return 0;
  }
  if (args.length > 0) {
    io.stderr(`rfsn serve takes no arguments (got ${args.join(" ")})\n\n${USAGE}`);
    return 2;
  }
  const env = options.env ?? process.env;
  const envFile = (env.RFSN_ENV_FILE ?? "").trim() || join(options.cwd ?? process.cwd(), ".env");
  applyEnvFile(envFile, env);
  let setupPort: number | undefined;
  if (!CREDENTIALS.some((name) => isSet(env, name))) {
    const outcome = await runSetupFlow(env, envFile, io, options);
    if (outcome.stopped) return 0;
    applyEnvFile(envFile, env);
    setupPort = outcome.port;
  }
  let settings: ReturnType<typeof readAppEnvironment>;
  try {
    settings = readAppEnvironment(env);
  } catch (error) {
    if (error instanceof AppEnvironmentError) {
      io.stderr(error.message);
      return 2;
    }
    throw error;
  }
  if (setupPort !== undefined) settings = { ...settings, port: setupPort };
  const logger = createLogger({ level: settings.logLevel, base: { component: "app" }, env });
  const tracing = initTracing({ env });
  const database = openDatabase(settings.databasePath);
  let server: AppServer;
  try {
    server = await startAppServer({
      appId: settings.appId,
      privateKey: settings.privateKey,
      webhookSecret: settings.webhookSecret,
      githubBaseUrl: settings.githubBaseUrl,
      port: settings.port,
      host: settings.host,
      database,
      logger,
      version: packageVersion(),
      paceWrites: settings.paceWrites,
      staleAfterMs: settings.staleAfterMinutes * 60_000,
      ...(settings.llmRelay ? { llmRelay: llmRelaySettings(settings.llmRelay) } : {}),
      maxPullRequestsPerHour: settings.maxPullRequestsPerHour,
    });
  } catch (error) {
    database.close();
    await tracing.shutdown();
    throw error;
  }
  io.stdout(`RFSN App listening on ${server.url} (webhooks at ${server.url}/api/github/webhooks)`);
  let proxy: WebhookProxy | undefined;
  const proxyUrl = (env.WEBHOOK_PROXY_URL ?? "").trim();
  if (proxyUrl) {
    proxy = await startWebhookProxy({
      source: proxyUrl,
      target: `${server.url}/api/github/webhooks`,
      logger,
    });
    io.stdout(`forwarding webhooks from ${proxyUrl} (WEBHOOK_PROXY_URL) to this server`);
  }
  const signal = await (options.stopSignal ?? processSignal)(server);
  await proxy?.stop();
  logger.info({ signal, inFlight: server.inFlight() }, "shutting down: finishing in-flight webhooks");
  await server.close();
  database.close();
  await tracing.shutdown();
  io.stdout(`RFSN App stopped (${signal})`);
  return 0;
}

/** Registers the App through the manifest flow; resolves with the port to keep, or stopped when interrupted. */
async function runSetupFlow(
  env: NodeJS.ProcessEnv,
  envFile: string,
  io: { stdout(text: string): void; stderr(text: string): void },
  options: ServeOptions,
): Promise<{ stopped: true } | { stopped: false; port: number }> {
  const requestedLevel = (env.LOG_LEVEL ?? "").trim().toLowerCase();
  const level = (LOG_LEVELS as readonly string[]).includes(requestedLevel) ? requestedLevel : "info";
  const logger = createLogger({ level, base: { component: "setup" }, env });
  const appYmlPath = (env.RFSN_APP_YML ?? "").trim();
  const gheHost = (env.GHE_HOST ?? "").trim();
  const protocol = (env.GHE_PROTOCOL ?? "").trim() || "https";
  const port = Number((env.PORT ?? "").trim() || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    io.stderr(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`);
    return { stopped: true };
  }
  const publicUrl = (env.RFSN_PUBLIC_URL ?? "").trim();
  const webhookProxyUrl = (env.WEBHOOK_PROXY_URL ?? "").trim();
  const organization = (env.GH_ORG ?? "").trim();
  const setup = await startSetupServer({
    port,
    host: (env.HOST ?? "").trim() || "0.0.0.0",
    appYml: appYmlPath ? readFileSync(appYmlPath, "utf8") : loadAppYml(),
    ...(publicUrl ? { publicUrl } : {}),
    ...(webhookProxyUrl ? { webhookProxyUrl } : {}),
    ...(organization ? { organization } : {}),
    githubWebUrl: gheHost ? `${protocol}://${gheHost}` : "https://github.com",
    githubApiUrl: gheHost ? `${protocol}://${gheHost}/api/v3` : "https://api.github.com",
    envFile,
    logger,
  });
  io.stdout(
    `RFSN has no GitHub App yet (APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are not set).\nOpen ${setup.setupUrl} in a browser to create it from app.yml; RFSN then writes ${envFile} and starts.`,
  );
  options.onSetupListening?.(setup.setupUrl);
  const outcome = await Promise.race([
    setup.completed.then(() => "registered" as const),
    (options.setupStopSignal ?? processSignal)().then(() => "stopped" as const),
  ]);
  await setup.close();
  if (outcome === "stopped") {
    io.stdout("setup stopped before the App was registered; nothing written");
    return { stopped: true };
  }
  io.stdout(
    `registered the GitHub App; wrote ${envFile}. Install it on your repositories at the page GitHub shows.`,
  );
  return { stopped: false, port: setup.port };
}
