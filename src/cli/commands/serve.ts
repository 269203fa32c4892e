// `rfsn serve`: starts the RFSN GitHub App from environment settings and shuts it down gracefully on SIGTERM/SIGINT.
import { createRequire } from "node:module";
import { createActionsTokenVerifier } from "../../app/actions-oidc.js";
import { type AppServer, startAppServer } from "../../app/app-server.js";
import {
  AppEnvironmentError,
  type AppLlmRelayEnvironment,
  readAppEnvironment,
} from "../../app/environment.js";
import type { LlmRelaySettings } from "../../app/llm-relay.js";
import { createLogger } from "../../observability/logger.js";
import { initTracing } from "../../observability/tracing-setup.js";
import { costUsd, priceOf } from "../../repair/proposers/llm/price-table.js";
import { createOpenAiClient } from "../../runtime/llm/openai-client.js";
import { SecretValue } from "../../runtime/llm/secret-value.js";
import { openDatabase } from "../../store/database.js";

const USAGE = `usage: rfsn serve

Starts the RFSN GitHub App (webhooks at /api/github/webhooks, /health, /metrics).
Settings come from the environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET,
RFSN_DB, LOG_LEVEL, PORT, HOST, GHE_HOST, GHE_PROTOCOL, RFSN_STALE_MINUTES, RFSN_PACE_WRITES, and for the
LLM relay of App-mode runs RFSN_LLM_API_KEY, RFSN_LLM_BASE_URL, RFSN_LLM_MODEL, RFSN_LLM_DAILY_CALLS,
RFSN_LLM_DAILY_TOKENS, RFSN_LLM_DAILY_DOLLARS, RFSN_OIDC_ISSUER, RFSN_OIDC_AUDIENCE (see .env.example).`;

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
  const signal = await (options.stopSignal ?? processSignal)(server);
  logger.info({ signal, inFlight: server.inFlight() }, "shutting down: finishing in-flight webhooks");
  await server.close();
  database.close();
  await tracing.shutdown();
  io.stdout(`RFSN App stopped (${signal})`);
  return 0;
}
