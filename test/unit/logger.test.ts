import { describe, expect, it } from "vitest";
import { createLogger, REDACT_PATHS, requestLogger, sessionLogger } from "../../src/observability/logger.js";
import { isSecretKey, maskSecrets, maskSecretsDeep } from "../../src/observability/secret-masking.js";

const GITHUB_TOKEN = `ghp_${"A1b2C3d4E5".repeat(4)}`;
const INSTALLATION_TOKEN = `ghs_${"Z9y8X7w6V5".repeat(4)}`;
const FINE_GRAINED = `github_pat_11ABCDEFG0${"q".repeat(60)}`;
const OPENAI_KEY = `sk-proj-${"k3Y".repeat(12)}`;
const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7${"x".repeat(64)}\n-----END RSA PRIVATE KEY-----`;
const PLAIN_SECRET = "hunter2-correct-horse";
const SECRETS = [
  GITHUB_TOKEN,
  INSTALLATION_TOKEN,
  FINE_GRAINED,
  OPENAI_KEY,
  "MIIEowIBAAKCAQEA7",
  PLAIN_SECRET,
  "abc123def456ghi789",
];

function captured(level = "trace") {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines, text: () => lines.join("") };
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text, `leaked ${secret.slice(0, 12)}…`).not.toContain(secret);
}

describe("the logger", () => {
  it("writes JSON lines with level, time and message", () => {
    const { logger, lines } = captured("info");
    logger.debug("hidden");
    logger.info({ iterations: 3 }, "repair finished");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, msg: "repair finished", iterations: 3 });
    expect(typeof entry.time).toBe("string");
  });

  it("never writes a token given through any path", () => {
    const { logger, text } = captured();
    logger.info(`pushing with ${GITHUB_TOKEN}`);
    logger.info("token is %s and key %s", INSTALLATION_TOKEN, OPENAI_KEY);
    logger.info({ token: PLAIN_SECRET, githubToken: PLAIN_SECRET }, "top-level fields");
    logger.info({ auth: { token: PLAIN_SECRET, password: PLAIN_SECRET } }, "nested fields");
    logger.info({ a: { b: { apiKey: PLAIN_SECRET, privateKey: PRIVATE_KEY } } }, "deep fields");
    logger.info({ headers: { authorization: `Bearer ${PLAIN_SECRET}`, cookie: PLAIN_SECRET } }, "headers");
    logger.info({ req: { headers: { authorization: `token ${GITHUB_TOKEN}` } } }, "request");
    logger.info(
      { env: { GITHUB_TOKEN: PLAIN_SECRET, OPENAI_API_KEY: PLAIN_SECRET, HOME: "/home/x" } },
      "env",
    );
    logger.info(
      { output: `remote: https://x-access-token:${PLAIN_SECRET}@github.com/acme/shop.git` },
      "git output",
    );
    logger.warn(`loaded key ${PRIVATE_KEY}`);
    logger.warn("Authorization: Bearer abc123def456ghi789");
    logger.error(new Error(`401 for ${FINE_GRAINED}`));
    logger.error({ err: new Error(`request failed with ${INSTALLATION_TOKEN}`) }, "with err");
    logger.info({ list: [GITHUB_TOKEN, { token: PLAIN_SECRET }] }, "arrays");
    logger.info({ note: "%o" }, "object interpolation %o", { token: PLAIN_SECRET, inner: GITHUB_TOKEN });
    const output = text();
    expectNoSecret(output);
    expect(output).toContain("[REDACTED]");
    expect(output).toContain("/home/x");
    expect(output).toContain("x-access-token:[REDACTED]@github.com");
  });

  it("masks secrets in child-logger bindings and keeps session and delivery ids", () => {
    const { logger, text } = captured();
    const child = sessionLogger(
      logger.child({ token: PLAIN_SECRET, url: `https://h/?t=${GITHUB_TOKEN}` }),
      "s-1",
    );
    requestLogger(child, "delivery-9").info("handled");
    const output = text();
    expectNoSecret(output);
    expect(output).toContain('"sessionId":"s-1"');
    expect(output).toContain('"deliveryId":"delivery-9"');
  });

  it("keeps the error's type and stack while masking its message", () => {
    const { logger, lines } = captured();
    logger.error(new TypeError(`bad ${GITHUB_TOKEN}`));
    const entry = JSON.parse(lines[0] ?? "{}") as {
      err?: { type?: string; message?: string; stack?: string };
    };
    expect(entry.err?.type).toBe("TypeError");
    expect(entry.err?.message).toBe("bad [REDACTED]");
    expect(entry.err?.stack).toContain("logger.test.ts");
  });

  it("keeps token counts and ordinary prose", () => {
    const { logger, lines } = captured();
    logger.info({ inputTokens: 1200, rejectedByGate: { secret: 2 } }, "the token expired; Basic auth off");
    const entry = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    expect(entry.inputTokens).toBe(1200);
    expect(entry.rejectedByGate).toEqual({ secret: 2 });
    expect(entry.msg).toBe("the token expired; Basic auth off");
  });

  it("takes its level from the environment and builds pretty and stderr loggers", () => {
    expect(createLogger({ env: { RFSN_LOG_LEVEL: "warn" }, pretty: false }).level).toBe("warn");
    expect(createLogger({ env: { LOG_LEVEL: "debug" }, pretty: true }).level).toBe("debug");
    expect(createLogger({ env: {}, pretty: false }).level).toBe("info");
  });

  it("has redact paths pino accepts", () => {
    expect(REDACT_PATHS).toContain("headers.authorization");
    expect(REDACT_PATHS).toContain("*.token");
  });
});

describe("secret masking", () => {
  it("masks each kind of secret in text", () => {
    expect(maskSecrets(`a ${GITHUB_TOKEN} b`)).toBe("a [REDACTED] b");
    expect(maskSecrets(`x ${PRIVATE_KEY} y`)).toBe("x [REDACTED] y");
    expect(maskSecrets("AKIAABCDEFGHIJKLMNOP")).toBe("[REDACTED]");
    expect(maskSecrets("Bearer eyJhbGciOi.J9x1")).toBe("Bearer [REDACTED]");
    expect(maskSecrets("-----BEGIN PRIVATE KEY-----\nabc (cut)")).toBe("[REDACTED]");
  });

  it("masks deeply without touching numbers, and survives cycles", () => {
    const value: Record<string, unknown> = {
      apiKey: "k",
      n: 1,
      when: new Date(0),
      nested: [`${OPENAI_KEY}`],
    };
    value.self = value;
    const error = maskSecretsDeep(
      Object.assign(new RangeError(`x ${GITHUB_TOKEN}`), { token: "t" }),
    ) as RangeError;
    expect(error).toBeInstanceOf(RangeError);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ message: "x [REDACTED]", token: "[REDACTED]" });
    expect(maskSecretsDeep(value)).toEqual({
      apiKey: "[REDACTED]",
      n: 1,
      when: new Date(0),
      nested: ["[REDACTED]"],
      self: "[Circular]",
    });
    expect(isSecretKey("set-cookie")).toBe(true);
    expect(isSecretKey("outputTokens")).toBe(false);
  });
});
