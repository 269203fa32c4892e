// The pino logger of RFSN: JSON lines (pretty on a TTY), redacted secret fields and masked secret-looking text.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import PinoPretty from "pino-pretty";
import { MASK, maskedError, maskSecrets, maskSecretsDeep } from "./secret-masking.js";

export type { Logger } from "pino";

const SECRET_FIELDS = [
  "token",
  "accessToken",
  "githubToken",
  "installationToken",
  "password",
  "webhookSecret",
  "clientSecret",
  "apiKey",
  "privateKey",
  "cookie",
  "authorization",
];

/**
 * pino redact paths: every secret-named field at the top level and two levels down, HTTP headers
 * (authorization, cookies) in requests and responses, and the token variables of an `env` object.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["set-cookie"]',
  "req.headers.authorization",
  "req.headers.cookie",
  "request.headers.authorization",
  "res.headers['set-cookie']",
  "env.GITHUB_TOKEN",
  "env.GH_TOKEN",
  "env.INPUT_TOKEN",
  "env.INPUT_GITHUB_TOKEN",
  "env.ACTIONS_RUNTIME_TOKEN",
  "env.ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "env.OPENAI_API_KEY",
  "env.ANTHROPIC_API_KEY",
  "env.PRIVATE_KEY",
  "env.APP_PRIVATE_KEY",
  "env.WEBHOOK_SECRET",
  "env.NPM_TOKEN",
  "env.RFSN_LLM_API_KEY",
];

export interface CreateLoggerOptions {
  /** Defaults to `RFSN_LOG_LEVEL`, then `LOG_LEVEL`, then `info`. */
  level?: string;
  /** Human-readable output via pino-pretty; defaults to whether stderr is a TTY. Ignored when `destination` is given. */
  pretty?: boolean;
  /** Where JSON lines go (default: stderr, synchronously). */
  destination?: DestinationStream;
  /** Fields on every line (e.g. `{ component: "app" }`). */
  base?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

/** Masks secrets in every argument of a log call (message, interpolation values, merging object). */
function maskArguments(args: unknown[]): unknown[] {
  return args.map((arg) => {
    if (typeof arg === "string") return maskSecrets(arg);
    if (arg instanceof Error) return maskedError(arg);
    return maskSecretsDeep(arg);
  });
}

/**
 * pino does not run the bindings formatter for `child()`, so mask child bindings here; children
 * inherit this `child` through their prototype, so every descendant masks too.
 */
function maskChildBindings(logger: Logger): Logger {
  const originalChild = logger.child;
  const child = function (
    this: Logger,
    bindings: Record<string, unknown>,
    options?: Parameters<Logger["child"]>[1],
  ) {
    return originalChild.call(this, maskSecretsDeep(bindings) as Record<string, unknown>, options);
  };
  Object.defineProperty(logger, "child", { value: child, writable: true, configurable: true });
  return logger;
}

/** pino options shared by every RFSN logger (exported so Probot's logger can be configured the same way). */
export function loggerOptions(level: string, base: Record<string, unknown> = {}): LoggerOptions {
  return {
    level,
    base: { ...(maskSecretsDeep(base) as Record<string, unknown>) },
    redact: { paths: [...REDACT_PATHS], censor: MASK },
    formatters: {
      bindings: (bindings) => maskSecretsDeep(bindings) as Record<string, unknown>,
      log: (object) => maskSecretsDeep(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const masked = maskArguments(args as unknown[]) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

/** Creates the logger; see CreateLoggerOptions for defaults. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const level = options.level ?? env.RFSN_LOG_LEVEL ?? env.LOG_LEVEL ?? "info";
  const settings = loggerOptions(level, options.base);
  if (options.destination) return maskChildBindings(pino(settings, options.destination));
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const destination = pretty
    ? PinoPretty({ destination: 2, sync: true, colorize: true, translateTime: "SYS:HH:MM:ss" })
    : pino.destination({ dest: 2, sync: true });
  return maskChildBindings(pino(settings, destination));
}

/** A child logger whose lines carry the repair session id. */
export function sessionLogger(base: Logger, sessionId: string): Logger {
  return base.child({ sessionId });
}

/** A child logger whose lines carry the webhook delivery id. */
export function requestLogger(base: Logger, deliveryId: string): Logger {
  return base.child({ deliveryId });
}
