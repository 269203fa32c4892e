// The setup flow's pure parts: the manifest built from app.yml (its own webhook URL never wins) and .env round trips.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppManifestError, appManifest } from "../../src/app/app-manifest.js";
import { applyEnvFile, readEnvFile, updateEnvFile } from "../../src/app/env-file.js";

const dir = mkdtempSync(join(tmpdir(), "rfsn-setup-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("appManifest", () => {
  it("sets the webhook and redirect URLs from this deployment, whatever app.yml says", () => {
    const manifest = appManifest(
      "name: RFSN\npublic: true\nhook_attributes:\n  url: https://attacker.example.net/hook\ndefault_events: [issue_comment]\n",
      { setupBaseUrl: "http://localhost:3000/", publicUrl: "https://rfsn.example.org/" },
    );
    expect(manifest).toMatchObject({
      name: "RFSN",
      public: true,
      hook_attributes: { url: "https://rfsn.example.org/api/github/webhooks", active: true },
      redirect_url: "http://localhost:3000/setup/callback",
      default_events: ["issue_comment"],
    });
    expect(
      appManifest("name: RFSN\n", {
        setupBaseUrl: "http://h",
        publicUrl: "http://h",
        webhookProxyUrl: "https://smee.io/abc",
      }).hook_attributes,
    ).toEqual({
      url: "https://smee.io/abc",
      active: true,
    });
  });

  it("refuses an app.yml without a name or that is not a mapping", () => {
    expect(() => appManifest("- a\n", { setupBaseUrl: "http://h", publicUrl: "http://h" })).toThrow(
      AppManifestError,
    );
    expect(() =>
      appManifest("description: x\n", { setupBaseUrl: "http://h", publicUrl: "http://h" }),
    ).toThrow(/`name` is required/);
  });
});

describe(".env files", () => {
  it("round-trips a PEM, a secret and a URL, keeps other settings and stays private", () => {
    const path = join(dir, "a.env");
    writeFileSync(path, "LOG_LEVEL=debug\n");
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\nabc+/=\n-----END RSA PRIVATE KEY-----\n";
    updateEnvFile(path, {
      APP_ID: "12",
      PRIVATE_KEY: pem,
      WEBHOOK_SECRET: "s3cr3t with space",
      URL: "https://x.y/z?q=1",
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readEnvFile(path)).toEqual({
      LOG_LEVEL: "debug",
      APP_ID: "12",
      PRIVATE_KEY: pem,
      WEBHOOK_SECRET: "s3cr3t with space",
      URL: "https://x.y/z?q=1",
    });
    expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(5);
  });

  it("a value cannot inject another setting", () => {
    const path = join(dir, "b.env");
    updateEnvFile(path, { WEBHOOK_SECRET: "x\nAPP_ID=666" });
    expect(readEnvFile(path)).toEqual({ WEBHOOK_SECRET: "x\nAPP_ID=666" });
  });

  it("the environment wins over the file; empty variables are filled", () => {
    const path = join(dir, "c.env");
    updateEnvFile(path, { APP_ID: "1", PORT: "4000", HOST: "127.0.0.1" });
    const env: NodeJS.ProcessEnv = { APP_ID: "2", PORT: "" };
    expect(applyEnvFile(path, env).sort()).toEqual(["HOST", "PORT"]);
    expect(env).toEqual({ APP_ID: "2", PORT: "4000", HOST: "127.0.0.1" });
    expect(applyEnvFile(join(dir, "missing.env"), env)).toEqual([]);
  });
});
