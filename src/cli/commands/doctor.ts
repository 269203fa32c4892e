// `rfsn doctor`: checks a deployment of the App (credentials, GitHub, permissions, clock, webhook, database) and says what to fix.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type CheckResult,
  clockSkew,
  comparePermissions,
  requestedByManifest,
  webhookUrlCheck,
} from "../../app/deployment-checks.js";
import { applyEnvFile } from "../../app/env-file.js";
import { AppEnvironmentError, readAppEnvironment } from "../../app/environment.js";
import { loadAppYml } from "../../app/setup-server.js";
import { type AppRegistration, readAppRegistration } from "../../github/app-registration.js";
import { openDatabase } from "../../store/database.js";
import type { CliIo } from "../output.js";

export const DOCTOR_USAGE = "usage: rfsn doctor [--json]";

const DOCTOR_HELP = `${DOCTOR_USAGE}

Checks a deployment of the RFSN App with the same settings as \`rfsn serve\` (environment, then .env):
  credentials      APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET are present and well formed
  github           the key authenticates as the App (GET /app), on github.com or GHE_HOST
  permissions      the App has every permission and event app.yml asks for
  clock            the local clock is within 10 s of GitHub's (App tokens fail beyond about 60 s)
  webhook URL      the App's webhook URL is a real address, not a placeholder or loopback
  webhook reachable  GET <webhook origin>/health answers 200 from here (skipped with WEBHOOK_PROXY_URL)
  database         RFSN_DB opens and takes a write lock
Exit 0 when nothing failed (warnings allowed), 1 otherwise.`;

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: () => number;
}

function settingsUrlOf(env: NodeJS.ProcessEnv, slug: string): string {
  const host = (env.GHE_HOST ?? "").trim();
  const protocol = (env.GHE_PROTOCOL ?? "").trim() || "https";
  return `${host ? `${protocol}://${host}` : "https://github.com"}/settings/apps/${slug}`;
}

function databaseCheck(path: string): CheckResult {
  try {
    const database = openDatabase(path);
    try {
      database.exec("BEGIN IMMEDIATE; ROLLBACK;");
    } finally {
      database.close();
    }
    return { name: "database", status: "ok", detail: `${path} opens and takes a write lock` };
  } catch (error) {
    return {
      name: "database",
      status: "fail",
      detail: `RFSN_DB=${path}: ${(error as Error).message}; point RFSN_DB at a file in a writable, persistent directory (the /data volume in the container)`,
    };
  }
}

async function reachability(webhookUrl: string | null, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const proxy = (env.WEBHOOK_PROXY_URL ?? "").trim();
  if (proxy)
    return {
      name: "webhook reachable",
      status: "ok",
      detail: `deliveries come through WEBHOOK_PROXY_URL ${proxy}`,
    };
  if (!webhookUrl) return { name: "webhook reachable", status: "fail", detail: "no webhook URL to try" };
  let health: string;
  try {
    health = new URL("/health", webhookUrl).toString();
  } catch {
    return { name: "webhook reachable", status: "fail", detail: `${webhookUrl} is not a URL` };
  }
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(5000) });
    if (response.status === 200)
      return { name: "webhook reachable", status: "ok", detail: `${health} answered 200 from here` };
    return {
      name: "webhook reachable",
      status: "fail",
      detail: `${health} answered ${response.status}: the address in the App's settings does not lead to rfsn serve (check the proxy or load balancer route)`,
    };
  } catch (error) {
    return {
      name: "webhook reachable",
      status: "fail",
      detail: `${health} cannot be reached (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}): is rfsn serve running, and does the address route to it?`,
    };
  }
}

/** Every check, in order; GitHub checks are skipped (not failed twice) when the credentials are unusable. */
export async function runDeploymentChecks(options: DoctorOptions = {}): Promise<CheckResult[]> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  applyEnvFile((env.RFSN_ENV_FILE ?? "").trim() || join(options.cwd ?? process.cwd(), ".env"), env);
  const results: CheckResult[] = [];
  let settings: ReturnType<typeof readAppEnvironment> | null = null;
  try {
    settings = readAppEnvironment(env);
    results.push({
      name: "credentials",
      status: "ok",
      detail: `APP_ID ${settings.appId}, private key and webhook secret present`,
    });
  } catch (error) {
    if (!(error instanceof AppEnvironmentError)) throw error;
    results.push({
      name: "credentials",
      status: "fail",
      detail: `${error.problems.join("; ")} (run \`rfsn serve\` without them to register the App and write .env)`,
    });
  }
  if (settings) {
    let registration: AppRegistration | null = null;
    try {
      registration = await readAppRegistration({
        baseUrl: settings.githubBaseUrl,
        appId: settings.appId,
        privateKey: settings.privateKey,
        now,
      });
      results.push({
        name: "github",
        status: "ok",
        detail: `authenticated as the App ${registration.slug} (${registration.id}) at ${settings.githubBaseUrl}`,
      });
    } catch (error) {
      results.push({
        name: "github",
        status: "fail",
        detail: `GET ${settings.githubBaseUrl}/app failed (${(error as Error).message}): APP_ID and PRIVATE_KEY must belong to the same App${env.GHE_HOST ? "" : "; set GHE_HOST for GitHub Enterprise Server"}`,
      });
    }
    if (registration) {
      const appYmlPath = (env.RFSN_APP_YML ?? "").trim();
      const appYml = appYmlPath ? readFileSync(appYmlPath, "utf8") : loadAppYml();
      const settingsUrl = settingsUrlOf(env, registration.slug);
      results.push(...comparePermissions(requestedByManifest(appYml), registration, settingsUrl));
      results.push(clockSkew(registration.serverTimeMs, now()));
      const webhook = webhookUrlCheck(registration.webhookUrl, settingsUrl);
      // A loopback or plain-HTTP address can be right for a trial or a GHES next door: say so, do not fail.
      results.push(
        webhook.status === "fail" && /loopback/.test(webhook.detail)
          ? { ...webhook, status: "warn" }
          : webhook,
      );
      results.push(await reachability(registration.webhookUrl, env));
    }
  }
  results.push(databaseCheck(settings?.databasePath ?? ((env.RFSN_DB ?? "").trim() || "rfsn-app.db")));
  return results;
}

export async function runDoctorCommand(
  args: string[],
  io: CliIo,
  options: DoctorOptions = {},
): Promise<number> {
  let values: { json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    io.stderr(`rfsn doctor: ${(error as Error).message}\n${DOCTOR_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(DOCTOR_HELP);
    return 0;
  }
  const results = await runDeploymentChecks(options);
  const failed = results.some((result) => result.status === "fail");
  if (values.json) io.stdout(JSON.stringify({ ok: !failed, checks: results }));
  else {
    const width = Math.max(...results.map((result) => result.name.length));
    for (const result of results)
      io.stdout(`${result.status.toUpperCase().padEnd(4)}  ${result.name.padEnd(width)}  ${result.detail}`);
  }
  return failed ? 1 : 0;
}
