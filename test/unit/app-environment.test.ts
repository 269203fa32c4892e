// readAppEnvironment: every setting read from the environment, each missing or invalid one named in the error.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppEnvironmentError, readAppEnvironment } from "../../src/app/environment.js";

const { privateKey: pem } = generateKeyPairSync("rsa", {
  modulusLength: 1024,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const base = { APP_ID: "42", PRIVATE_KEY: pem, WEBHOOK_SECRET: "s3cret" };

function problemsOf(env: NodeJS.ProcessEnv, readFile?: (path: string) => string): readonly string[] {
  try {
    readAppEnvironment(env, readFile ? { readFile } : {});
  } catch (error) {
    if (error instanceof AppEnvironmentError) return error.problems;
    throw error;
  }
  return [];
}

describe("readAppEnvironment", () => {
  it("fills in defaults for everything optional", () => {
    expect(readAppEnvironment(base)).toMatchObject({
      appId: 42,
      webhookSecret: "s3cret",
      databasePath: "rfsn-app.db",
      logLevel: "info",
      port: 3000,
      host: "0.0.0.0",
      githubBaseUrl: "https://api.github.com",
      staleAfterMinutes: 15,
      paceWrites: false,
      maxPullRequestsPerHour: 20,
    });
  });

  it("reads the hourly cap on opened pull requests and refuses a cap below 1", () => {
    expect(readAppEnvironment({ ...base, RFSN_MAX_PULL_REQUESTS_PER_HOUR: "3" }).maxPullRequestsPerHour).toBe(
      3,
    );
    expect(problemsOf({ ...base, RFSN_MAX_PULL_REQUESTS_PER_HOUR: "0" })).toEqual([
      'RFSN_MAX_PULL_REQUESTS_PER_HOUR must be a whole number from 1 to 10000, got "0"',
    ]);
  });

  it("points Probot at GitHub Enterprise Server (or the fake) with GHE_HOST and GHE_PROTOCOL", () => {
    const settings = readAppEnvironment({
      ...base,
      GHE_HOST: "127.0.0.1:8080",
      GHE_PROTOCOL: "http",
      PORT: "0",
      RFSN_DB: "/data/x.db",
    });
    expect(settings.githubBaseUrl).toBe("http://127.0.0.1:8080/api/v3");
    expect(settings.port).toBe(0);
    expect(settings.databasePath).toBe("/data/x.db");
  });

  it("accepts the key with escaped newlines, base64-encoded, or from PRIVATE_KEY_PATH", () => {
    expect(readAppEnvironment({ ...base, PRIVATE_KEY: pem.replace(/\n/g, "\\n") }).privateKey).toContain(
      "\nMII",
    );
    expect(readAppEnvironment({ ...base, PRIVATE_KEY: Buffer.from(pem).toString("base64") }).privateKey).toBe(
      pem,
    );
    const fromFile = readAppEnvironment(
      { APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY_PATH: "/keys/app.pem" },
      { readFile: () => pem },
    );
    expect(fromFile.privateKey).toBe(pem);
  });

  it("names every missing value at once", () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(
      /APP_ID is required[\s\S]*PRIVATE_KEY or PRIVATE_KEY_PATH is required[\s\S]*WEBHOOK_SECRET is required/,
    );
  });

  it("explains each invalid value", () => {
    const problems = problemsOf({
      APP_ID: "abc",
      PRIVATE_KEY: "not a key",
      WEBHOOK_SECRET: "x",
      LOG_LEVEL: "loud",
      PORT: "70000",
      GHE_HOST: "https://ghe.example.com/api",
      GHE_PROTOCOL: "ftp",
      RFSN_PACE_WRITES: "maybe",
      RFSN_STALE_MINUTES: "0",
    } as unknown as NodeJS.ProcessEnv);
    expect(problems).toEqual([
      'APP_ID must be a positive whole number, got "abc"',
      expect.stringContaining("PRIVATE_KEY is not a PEM private key"),
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
      'PORT must be a whole number from 0 to 65535, got "70000"',
      'RFSN_STALE_MINUTES must be a whole number from 1 to 10080, got "0"',
      'RFSN_PACE_WRITES must be true or false, got "maybe"',
      'GHE_PROTOCOL must be http or https, got "ftp"',
      expect.stringContaining("GHE_HOST must be a host name"),
    ]);
  });

  it("reports an unreadable or wrong PRIVATE_KEY_PATH", () => {
    const missing = problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY_PATH: "/nope.pem" }, () => {
      throw Object.assign(new Error("no"), { code: "ENOENT" });
    });
    expect(missing[0]).toMatch(/PRIVATE_KEY_PATH \/nope.pem cannot be read \(ENOENT\)/);
    const wrong = problemsOf({ APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY_PATH: "/k.pem" }, () => "hello");
    expect(wrong[0]).toMatch(/does not contain a PEM private key/);
  });

  it("never puts a secret in the error message", () => {
    try {
      readAppEnvironment({ ...base, APP_ID: "", PRIVATE_KEY: "-----BEGIN nope" });
    } catch (error) {
      expect((error as Error).message).not.toContain("s3cret");
      expect((error as Error).message).toContain(".env.example");
    }
  });
});
