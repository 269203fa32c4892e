// `rfsn serve`: usage, a clear exit for bad settings, and a start/stop cycle against a local fake GitHub.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runServeCommand } from "../../src/cli/commands/serve.js";
import { startFakeGitHub } from "../helpers/fake-github/index.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) },
    out,
    err,
  };
}

describe("rfsn serve", () => {
  it("prints its usage and rejects arguments", async () => {
    const help = capture();
    expect(await runServeCommand(["--help"], help.io)).toBe(0);
    expect(help.out.join("")).toContain("WEBHOOK_SECRET");
    const extra = capture();
    expect(await runServeCommand(["now"], extra.io)).toBe(2);
  });

  it("exits 2 naming every missing setting", async () => {
    const run = capture();
    expect(await runServeCommand([], run.io, { env: { APP_ID: "x" } })).toBe(2);
    expect(run.err.join("")).toMatch(
      /APP_ID must be a positive whole number[\s\S]*WEBHOOK_SECRET is required/,
    );
  });

  it("starts, answers /health, and stops cleanly when asked", async () => {
    const fake = await startFakeGitHub();
    const directory = mkdtempSync(join(tmpdir(), "rfsn-serve-"));
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const run = capture();
    let healthStatus = 0;
    const code = await runServeCommand([], run.io, {
      env: {
        APP_ID: "1",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "s",
        PORT: "0",
        HOST: "127.0.0.1",
        RFSN_DB: join(directory, "a.db"),
        LOG_LEVEL: "silent",
        GHE_HOST: fake.host,
        GHE_PROTOCOL: "http",
      },
      stopSignal: async (server) => {
        healthStatus = (await fetch(`${server.url}/health`)).status;
        return "SIGTERM";
      },
    });
    expect(code).toBe(0);
    expect(healthStatus).toBe(200);
    expect(run.out.join("\n")).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+[\s\S]*stopped \(SIGTERM\)/);
    fake.assertNoViolations();
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  });
});
