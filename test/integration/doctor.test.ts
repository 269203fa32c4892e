// `rfsn doctor` against the fake GitHub and a real App server: a healthy deployment passes, each broken part is named with its fix.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { appManifest } from "../../src/app/app-manifest.js";
import type { AppServer } from "../../src/app/app-server.js";
import { runDoctorCommand } from "../../src/cli/commands/doctor.js";
import { convertManifestCode, type RegisteredApp } from "../../src/github/app-manifest-conversion.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { startTestAppServer } from "../helpers/app-server.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";

const ROOT = join(import.meta.dirname, "../..");
const APP_YML = readFileSync(join(ROOT, "app.yml"), "utf8");

let fake: FakeGitHub;
let workspace: string;
let server: AppServer;
let database: Database;
let app: RegisteredApp;

interface Check {
  name: string;
  status: string;
  detail: string;
}

async function register(appYml: string, publicUrl: string): Promise<RegisteredApp> {
  const code = fake.apps.acceptManifest(appManifest(appYml, { setupBaseUrl: publicUrl, publicUrl }));
  return convertManifestCode(code, { baseUrl: fake.url });
}

function envFor(registered: RegisteredApp, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    APP_ID: String(registered.id),
    PRIVATE_KEY: registered.privateKey,
    WEBHOOK_SECRET: registered.webhookSecret,
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    RFSN_DB: join(workspace, "doctor.db"),
    RFSN_APP_YML: join(ROOT, "app.yml"),
    RFSN_ENV_FILE: join(workspace, "no.env"),
    ...extra,
  };
}

async function doctor(
  env: NodeJS.ProcessEnv,
  now?: () => number,
): Promise<{ code: number; checks: Check[] }> {
  const out: string[] = [];
  const code = await runDoctorCommand(
    ["--json"],
    { stdout: (text) => out.push(text), stderr: (text) => out.push(text) },
    { env, ...(now ? { now } : {}) },
  );
  return { code, checks: (JSON.parse(out.join("")) as { checks: Check[] }).checks };
}

function statusOf(checks: Check[], name: string): Check | undefined {
  return checks.find((check) => check.name === name);
}

beforeAll(async () => {
  fake = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), "rfsn-doctor-"));
  database = openDatabase(join(workspace, "server.db"));
  // The App server stands for the deployment the webhook URL leads to; its address is known once it listens.
  server = await startTestAppServer({
    webhookSecret: "unused",
    githubBaseUrl: fake.url,
    database,
    appSlug: "rfsn",
  });
  app = await register(APP_YML, server.url);
});

afterAll(async () => {
  await server.close();
  database.close();
  await fake.close();
  rmSync(workspace, { recursive: true, force: true });
});

afterEach(() => fake.assertNoViolations());

describe("rfsn doctor", () => {
  it("passes a healthy deployment, warning only that the webhook address is loopback", async () => {
    const { code, checks } = await doctor(envFor(app));
    expect(code).toBe(0);
    expect(checks.map((check) => [check.name, check.status])).toEqual([
      ["credentials", "ok"],
      ["github", "ok"],
      ["permissions", "ok"],
      ["events", "ok"],
      ["clock", "ok"],
      ["webhook URL", "warn"],
      ["webhook reachable", "ok"],
      ["database", "ok"],
    ]);
    expect(statusOf(checks, "github")?.detail).toContain(`(${app.id})`);
  });

  it("names each permission and event the App lacks compared with app.yml", async () => {
    const manifest = parse(APP_YML) as {
      default_permissions: Record<string, string>;
      default_events: string[];
    };
    manifest.default_permissions.actions = "read";
    delete manifest.default_permissions.workflows;
    manifest.default_events = manifest.default_events.filter((event) => event !== "issue_comment");
    const narrow = await register(stringify(manifest), server.url);
    const { code, checks } = await doctor(envFor(narrow));
    expect(code).toBe(1);
    expect(statusOf(checks, "permissions")).toMatchObject({ status: "fail" });
    expect(statusOf(checks, "permissions")?.detail).toMatch(
      /actions: write \(has read\), workflows: write \(has none\)/,
    );
    expect(statusOf(checks, "permissions")?.detail).toMatch(/\/settings\/apps\/rfsn\/permissions/);
    expect(statusOf(checks, "events")?.detail).toMatch(/not subscribed to issue_comment/);
  });

  it("fails a clock far from GitHub's", async () => {
    const { code, checks } = await doctor(envFor(app), () => Date.now() + 120_000);
    expect(code).toBe(1);
    expect(statusOf(checks, "clock")?.detail).toMatch(/is 1[12]\d s ahead of GitHub's: sync it/);
  });

  it("fails an unreachable webhook address and a placeholder one", async () => {
    const closed = await register(APP_YML, "http://127.0.0.1:9");
    const unreachable = await doctor(envFor(closed));
    expect(unreachable.code).toBe(1);
    expect(statusOf(unreachable.checks, "webhook reachable")?.detail).toMatch(
      /cannot be reached .*is rfsn serve running/,
    );

    const placeholder = await register(APP_YML, "https://example.com");
    const result = await doctor(envFor(placeholder));
    expect(statusOf(result.checks, "webhook URL")).toMatchObject({ status: "fail" });
    expect(statusOf(result.checks, "webhook URL")?.detail).toMatch(/placeholder/);
  });

  it("fails a key that belongs to no App, and missing credentials without calling GitHub", async () => {
    const stranger = { ...app, id: 424242 };
    const wrong = await doctor(envFor(stranger));
    expect(statusOf(wrong.checks, "github")?.status).toBe("fail");
    expect(statusOf(wrong.checks, "github")?.detail).toMatch(
      /APP_ID and PRIVATE_KEY must belong to the same App/,
    );

    const before = fake.requests.length;
    const empty = await doctor({
      RFSN_DB: join(workspace, "empty.db"),
      RFSN_ENV_FILE: join(workspace, "no.env"),
    });
    expect(empty.code).toBe(1);
    expect(statusOf(empty.checks, "credentials")?.detail).toMatch(
      /APP_ID is required.*WEBHOOK_SECRET is required.*rfsn serve/,
    );
    expect(fake.requests.length).toBe(before);
  });

  it("fails a database path that cannot be written", async () => {
    const file = join(workspace, "a-file");
    writeFileSync(file, "");
    const { code, checks } = await doctor(envFor(app, { RFSN_DB: join(file, "rfsn.db") }));
    expect(code).toBe(1);
    expect(statusOf(checks, "database")?.detail).toMatch(
      /RFSN_DB=.*a-file\/rfsn\.db: .*writable, persistent directory/,
    );
  });
});
