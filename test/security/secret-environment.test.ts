// Untrusted test code sees no token or key: real children through runProcess and through a test-runner adapter.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../src/runtime/process.js";
import { createTestRunner } from "../../src/runtime/test-runners/index.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/security");
const node = process.execPath;

/** Every credential a GitHub runner or an RFSN deployment may hold, each with a value nobody else would print. */
const SECRETS: Record<string, string> = {
  GITHUB_TOKEN: "ghs_leak0000000000000000000000000000github",
  GH_TOKEN: "gho_leak0000000000000000000000000000ghtoken",
  ACTIONS_RUNTIME_TOKEN: "runtime-token-leak-1111111111",
  INPUT_TOKEN: "input-token-leak-2222222222",
  "INPUT_LLM-API-KEY": "sk-input-llm-key-leak-3333333333",
  OPENAI_API_KEY: "sk-openai-leak-4444444444444444",
  ANTHROPIC_API_KEY: "sk-ant-leak-5555555555555555",
  PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----leak6666",
  WEBHOOK_SECRET: "webhook-secret-leak-7777777777",
  AWS_SECRET_ACCESS_KEY: "aws-secret-leak-8888888888888888",
  MY_PASSWORD: "hunter2-leak-9999999999",
};

const saved = new Map<string, string | undefined>();
const scratch: string[] = [];

beforeAll(() => {
  for (const [name, value] of Object.entries(SECRETS)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
});

afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-security-env-"));
  scratch.push(dir);
  return dir;
}

/** Fails with the first leaked name or value found anywhere in `text`. */
function expectNoSecretIn(text: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(text, `variable name ${name}`).not.toContain(`"${name}"`);
    expect(text, `value of ${name}`).not.toContain(value);
  }
}

describe("untrusted child processes and the parent's credentials", () => {
  it("gives a child started by runProcess none of the parent's tokens and keys, by name or by value", async () => {
    const result = await runProcess([node, join(fixtures, "processes/print-env.mjs")], {
      cwd: tempDir(),
      timeoutMs: 20_000,
    });
    expect(result.exitCode).toBe(0);
    const seen = JSON.parse(result.stdout) as Record<string, string>;
    expect(seen.PATH).toBeTruthy(); // the harmless basics still arrive
    expectNoSecretIn(result.stdout);
  });

  it("refuses a secret smuggled in through the env option, under its own or an innocent name", async () => {
    const result = await runProcess([node, join(fixtures, "processes/print-env.mjs")], {
      cwd: tempDir(),
      env: {
        GITHUB_TOKEN: "ghs_explicit-but-still-refused-000000",
        BUILD_LABEL: SECRETS.OPENAI_API_KEY,
        RFSN_VISIBLE: "yes",
      },
      timeoutMs: 20_000,
    });
    const seen = JSON.parse(result.stdout) as Record<string, string>;
    expect(seen.RFSN_VISIBLE).toBe("yes");
    expect(seen.GITHUB_TOKEN).toBeUndefined();
    expect(seen.BUILD_LABEL).toBeUndefined();
    expectNoSecretIn(result.stdout);
  });

  it("gives a node:test suite run through createTestRunner none of the parent's tokens and keys", async () => {
    const project = tempDir();
    cpSync(join(fixtures, "env-dump-project"), project, { recursive: true });
    const dump = join(tempDir(), "env.json");
    const runner = createTestRunner({ projectDir: project, argv: ["npm", "test"] });
    expect(runner.name).toBe("node-test");
    const result = await runner.run({ cwd: project, timeoutMs: 60_000, env: { RFSN_ENV_DUMP: dump } });
    expect(result.tests.map((test) => test.status)).toEqual(["passed"]);
    const text = readFileSync(dump, "utf8");
    expect(JSON.parse(text)).toHaveProperty("PATH");
    expectNoSecretIn(text);
    expectNoSecretIn(result.output);
  });

  it("gives a generic command run through createTestRunner none of the parent's tokens and keys", async () => {
    const runner = createTestRunner({
      projectDir: tempDir(),
      argv: [node, join(fixtures, "processes/print-env.mjs")],
      runner: "generic",
    });
    const result = await runner.run({ cwd: tempDir(), timeoutMs: 20_000 });
    expect(result.tests[0]?.status).toBe("passed");
    expect(result.output).toContain('"PATH"');
    expectNoSecretIn(result.output);
  });
});
