// Secrets never reach the logs: tokens in objects, messages, errors and env dumps are masked by the pino logger.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/logger.js";
import { isSecretKey } from "../../src/observability/secret-masking.js";
import { isSecretVariableName } from "../../src/runtime/environment.js";

const TOKENS = {
  github: "ghp_Zz1Yy2Xx3Ww4Vv5Uu6Tt7Ss8Rr9Qq0Pp1Oo2",
  installation: "ghs_Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2",
  openai: "sk-proj-Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0",
  anthropic: "sk-ant-Uu1Vv2Ww3Xx4Yy5Zz6Aa7Bb8",
  opaqueWebhookSecret: "opaque-webhook-secret-value",
  opaqueAwsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  privateKey: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
};

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ destination, level: "debug" });
  return { logger, text: () => lines.join("") };
}

describe("the logger and secrets", () => {
  it("masks tokens in messages, interpolation values, merged objects, nested fields and errors", () => {
    const { logger, text } = capture();
    logger.info(`pushing with ${TOKENS.github}`);
    logger.info("calling the LLM with key %s", TOKENS.openai);
    logger.info({ token: TOKENS.installation, nested: { deeper: { apiKey: TOKENS.anthropic } } }, "dispatch");
    logger.warn({ headers: { authorization: `Bearer ${TOKENS.installation}` } }, "request");
    logger.error(
      new Error(`git push failed: https://x-access-token:${TOKENS.installation}@github.com/o/r.git`),
    );
    logger.error({ err: new Error(`bad key ${TOKENS.anthropic}`), privateKey: TOKENS.privateKey }, "failed");
    logger.debug({ config: { webhookSecret: TOKENS.opaqueWebhookSecret } }, "app config");
    logger.child({ githubToken: TOKENS.github }).info("child logger");
    const output = text();
    expect(output).toContain("[REDACTED]");
    for (const [name, value] of Object.entries(TOKENS)) {
      if (name === "opaqueAwsSecret") continue;
      expect(output, name).not.toContain(value.split("\n")[1] ?? value);
      expect(output, name).not.toContain(value.slice(0, 20));
    }
  });

  it("masks the credential variables of a logged environment object", () => {
    const { logger, text } = capture();
    logger.info(
      {
        env: {
          GITHUB_TOKEN: TOKENS.github,
          ACTIONS_RUNTIME_TOKEN: "opaque-runtime-token",
          "INPUT_LLM-API-KEY": "opaque-llm-key",
          WEBHOOK_SECRET: TOKENS.opaqueWebhookSecret,
          MY_PASSWORD: "opaque-password",
          PATH: "/usr/bin",
        },
      },
      "environment",
    );
    const output = text();
    expect(output).toContain("/usr/bin");
    for (const value of [
      TOKENS.github,
      "opaque-runtime-token",
      "opaque-llm-key",
      TOKENS.opaqueWebhookSecret,
      "opaque-password",
    ]) {
      expect(output).not.toContain(value);
    }
  });

  // Was a bug: the key pattern missed names ending in ACCESS_KEY, although isSecretVariableName in
  // src/runtime/environment.ts (suffix _KEY) catches them; AWS secret keys have no recognisable shape.
  it("masks AWS_SECRET_ACCESS_KEY in a logged environment object", () => {
    const { logger, text } = capture();
    logger.info({ env: { AWS_SECRET_ACCESS_KEY: TOKENS.opaqueAwsSecret } }, "environment");
    expect(text()).not.toContain(TOKENS.opaqueAwsSecret);
  });

  it("treats every environment name the process runner scrubs as a secret key when logging", () => {
    const names = [
      "AWS_SECRET_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID",
      "NPM_PAT",
      "INPUT_GITHUB_TOKEN",
      "ACTIONS_RUNTIME_TOKEN",
      "DB_PASSWD",
      "GOOGLE_APPLICATION_CREDENTIALS",
      "MY_SECRET_VALUE",
      "PRIVATE_KEY_PEM",
      "TOKEN",
    ];
    for (const name of names) {
      if (isSecretVariableName(name)) expect(isSecretKey(name), name).toBe(true);
    }
    expect(isSecretKey("AWS_SECRET_ACCESS_KEY")).toBe(true);
    expect(isSecretKey("PATH")).toBe(false);
    expect(isSecretKey("cacheKey")).toBe(false);
  });
});
