// The request policy in both GitHub clients against a scripted HTTP server: retries, rate limits and write pacing.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot } from "probot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { probotOctokitClass } from "../../src/app/probot-octokit-options.js";
import { createOctokit, type GitHubLog } from "../../src/github/octokit.js";
import { recordingLog } from "../helpers/recording-log.js";

/** One scripted answer; `drop` closes the connection without answering, `hang` never answers. */
type Answer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { drop: true }
  | { hang: true };

interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** performance.now() on arrival, for gaps. */
  at: number;
  /** Date.now() on arrival, for comparisons with x-ratelimit-reset. */
  wallAt: number;
}

const owner = "octo-org";
const repo = "policy";
const repoPath = `/repos/${owner}/${repo}`;
const checkRunsPath = `${repoPath}/check-runs`;

let server: Server;
let baseUrl: string;
let seen: SeenRequest[] = [];
let script = new Map<string, Answer[]>();

function defaultAnswer(method: string, path: string): Answer {
  if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
    const expires_at = new Date(Date.now() + 3_600_000).toISOString();
    return {
      status: 201,
      body: { token: "ghs_installation", expires_at, permissions: {}, repository_selection: "all" },
    };
  }
  if (method === "GET") return { status: 200, body: { id: 1, name: repo, full_name: `${owner}/${repo}` } };
  return { status: 201, body: { id: 1 } };
}

/** Answers `method path` with these, in order, then with the default answer. */
function answer(route: string, ...answers: Answer[]): void {
  script.set(route, [...(script.get(route) ?? []), ...answers]);
}

function attempts(method: string, path: string): SeenRequest[] {
  return seen.filter((request) => request.method === method && request.path === path);
}

function gapsMs(requests: SeenRequest[]): number[] {
  return requests.slice(1).map((request, index) => request.at - (requests[index]?.at ?? 0));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const method = request.method ?? "GET";
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    seen.push({
      method,
      path,
      authorization: request.headers.authorization,
      at: performance.now(),
      wallAt: Date.now(),
    });
    request.resume();
    request.on("end", () => {
      const scripted = script.get(`${method} ${path}`)?.shift();
      const next = scripted ?? defaultAnswer(method, path);
      if ("drop" in next) {
        request.socket.destroy();
        return;
      }
      if ("hang" in next) return;
      response.writeHead(next.status, { "content-type": "application/json; charset=utf-8", ...next.headers });
      response.end(JSON.stringify(next.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  script = new Map();
});

interface ClientSettings {
  paceWrites?: boolean;
  retries?: number;
  maxRetryAfterSeconds?: number;
  maxRateLimitRetries?: number;
  requestTimeoutMs?: number;
  log?: GitHubLog;
}

/** What the tests call on either client. */
interface PolicyClient {
  rest: {
    repos: { get: (params: { owner: string; repo: string }) => Promise<{ data: unknown }> };
    checks: {
      create: (params: { owner: string; repo: string; name: string; head_sha: string }) => Promise<unknown>;
    };
  };
}

const retryBaseDelayMs = 20;

const clients: Array<[string, (settings: ClientSettings) => PolicyClient]> = [
  [
    "createOctokit",
    (settings) =>
      createOctokit({ token: "ghs_plain", baseUrl, paceWrites: false, retryBaseDelayMs, ...settings }),
  ],
  [
    "probotOctokitClass",
    ({ log, ...settings }) => {
      const ProbotClient = probotOctokitClass({ paceWrites: false, retryBaseDelayMs, ...settings });
      return new ProbotClient({ auth: { token: "ghs_plain" }, baseUrl, ...(log ? { log } : {}) });
    },
  ],
];

const getRepo = (client: PolicyClient) => client.rest.repos.get({ owner, repo });
const createCheckRun = (client: PolicyClient) =>
  client.rest.checks.create({ owner, repo, name: "rfsn", head_sha: "a".repeat(40) });

describe.each(clients)("the %s client", (_name, makeClient) => {
  it("retries a 500 once and returns the answer that follows", async () => {
    answer(`GET ${repoPath}`, { status: 500, body: { message: "Server Error" } });
    const { data } = await getRepo(makeClient({}));
    expect(data).toMatchObject({ full_name: `${owner}/${repo}` });
    expect(attempts("GET", repoPath)).toHaveLength(2);
    expect(attempts("GET", repoPath)[0]?.authorization).toBe("token ghs_plain");
  });

  it("surfaces a persistent 502 after exactly retries + 1 attempts, waiting longer each time", async () => {
    const log = recordingLog();
    answer(
      `GET ${repoPath}`,
      ...Array.from({ length: 5 }, () => ({ status: 502, body: { message: "Bad" } })),
    );
    await expect(getRepo(makeClient({ retries: 2, log }))).rejects.toMatchObject({ status: 502 });
    const tries = attempts("GET", repoPath);
    expect(tries).toHaveLength(3);
    const [first = 0, second = 0] = gapsMs(tries);
    expect(first).toBeGreaterThanOrEqual(retryBaseDelayMs - 2);
    expect(second).toBeGreaterThanOrEqual(4 * retryBaseDelayMs - 2);
    expect(log.warnings.at(-1)).toMatch(/GitHub answered 502 to GET .*giving up after 3 attempts/);
  });

  it("does not retry a 501", async () => {
    answer(`GET ${repoPath}`, { status: 501, body: { message: "Not Implemented" } });
    await expect(getRepo(makeClient({}))).rejects.toMatchObject({ status: 501 });
    expect(attempts("GET", repoPath)).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 410, 422, 451])("does not retry a %i", async (status) => {
    answer(`GET ${repoPath}`, { status, body: { message: "Resource not accessible by integration" } });
    await expect(getRepo(makeClient({}))).rejects.toMatchObject({ status });
    expect(attempts("GET", repoPath)).toHaveLength(1);
  });

  it("retries a dropped connection", async () => {
    answer(`GET ${repoPath}`, { drop: true });
    await getRepo(makeClient({}));
    expect(attempts("GET", repoPath)).toHaveLength(2);
  });

  it("retries an attempt that timed out", async () => {
    answer(`GET ${repoPath}`, { hang: true });
    await getRepo(makeClient({ requestTimeoutMs: 200 }));
    const tries = attempts("GET", repoPath);
    expect(tries).toHaveLength(2);
    expect(gapsMs(tries)[0]).toBeGreaterThanOrEqual(190);
  });

  it("waits the retry-after of a 429, logs it, then succeeds", async () => {
    const log = recordingLog();
    answer(`GET ${repoPath}`, {
      status: 429,
      headers: { "retry-after": "1" },
      body: { message: "Too many" },
    });
    await getRepo(makeClient({ log }));
    const tries = attempts("GET", repoPath);
    expect(tries).toHaveLength(2);
    expect(gapsMs(tries)[0]).toBeGreaterThanOrEqual(990);
    expect(log.warnings.join("\n")).toMatch(/secondary rate limit on GET .*retrying after 1 s/);
  });

  it("retries a primary rate limit whose reset has passed at once", async () => {
    const log = recordingLog();
    const reset = String(Math.floor(Date.now() / 1000) - 5);
    answer(`GET ${repoPath}`, {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      body: { message: "API rate limit exceeded for installation ID 1." },
    });
    await getRepo(makeClient({ log }));
    const tries = attempts("GET", repoPath);
    expect(tries).toHaveLength(2);
    expect(gapsMs(tries)[0]).toBeLessThan(500);
    expect(log.warnings.join("\n")).toMatch(/primary rate limit on GET .*retrying after 0 s/);
  });

  it("gives up at once when GitHub asks to wait longer than maxRetryAfterSeconds", async () => {
    const log = recordingLog();
    answer(`GET ${repoPath}`, {
      status: 403,
      headers: { "retry-after": "120" },
      body: { message: "slow down" },
    });
    const started = performance.now();
    await expect(getRepo(makeClient({ log, maxRetryAfterSeconds: 5 }))).rejects.toMatchObject({
      status: 403,
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(attempts("GET", repoPath)).toHaveLength(1);
    expect(log.warnings.join("\n")).toMatch(/giving up \(retry-after 120 s, attempt 1\)/);
  });

  it("reads a secondary limit from the message alone and assumes a minute's wait", async () => {
    const log = recordingLog();
    answer(`GET ${repoPath}`, {
      status: 403,
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes." },
    });
    await expect(getRepo(makeClient({ log, maxRetryAfterSeconds: 5 }))).rejects.toMatchObject({
      status: 403,
    });
    expect(attempts("GET", repoPath)).toHaveLength(1);
    expect(log.warnings.join("\n")).toMatch(/secondary rate limit on GET .*giving up \(retry-after 60 s/);
  });

  it("retries rate limits at most maxRateLimitRetries times", async () => {
    const limited = { status: 429, headers: { "retry-after": "0" }, body: { message: "Too many" } };
    answer(`GET ${repoPath}`, limited, limited, limited, limited);
    await expect(getRepo(makeClient({ maxRateLimitRetries: 2 }))).rejects.toMatchObject({ status: 429 });
    expect(attempts("GET", repoPath)).toHaveLength(3);
  });

  it("spaces writes one second apart with paceWrites, and reads are not held back", async () => {
    const client = makeClient({ paceWrites: true });
    // A first read opens the connection, so both writes reach the server over the same warm socket: the pacer
    // spaces send times, and a fresh connection's set-up would shorten the gap the server sees by a few ms.
    await getRepo(client);
    await createCheckRun(client);
    const readStarted = performance.now();
    await getRepo(client);
    expect(performance.now() - readStarted).toBeLessThan(500);
    await createCheckRun(client);
    const writes = attempts("POST", checkRunsPath);
    expect(writes).toHaveLength(2);
    expect(gapsMs(writes)[0]).toBeGreaterThanOrEqual(980);
  });

  it("adds no delay between writes without paceWrites", async () => {
    const client = makeClient({ paceWrites: false });
    await createCheckRun(client);
    await createCheckRun(client);
    await createCheckRun(client);
    expect(Math.max(...gapsMs(attempts("POST", checkRunsPath)))).toBeLessThan(200);
  });
});

describe("createOctokit's primary rate limit", () => {
  it("waits until just after x-ratelimit-reset when the reset is near", async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 1;
    answer(`GET ${repoPath}`, {
      status: 429,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(resetAt) },
      body: { message: "API rate limit exceeded" },
    });
    await getRepo(createOctokit({ token: "t", baseUrl, paceWrites: false }));
    const tries = attempts("GET", repoPath);
    expect(tries).toHaveLength(2);
    expect(tries[1]?.wallAt).toBeGreaterThanOrEqual(resetAt * 1000);
  });
});

describe("Probot's clients built from probotOctokitClass", () => {
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();

  it("do not pace the installation-token request a paced write makes", async () => {
    const ProbotClient = probotOctokitClass({ paceWrites: true });
    const client = new ProbotClient({ auth: { appId: 1, privateKey, installationId: 7 }, baseUrl });
    const started = performance.now();
    await createCheckRun(client);
    expect(performance.now() - started).toBeLessThan(700);
    expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /app/installations/7/access_tokens",
      `POST ${checkRunsPath}`,
    ]);
    expect(attempts("POST", checkRunsPath)[0]?.authorization).toBe("token ghs_installation");
  });

  it("keep the policy's settings, and not Probot's own retries, when Probot rebuilds them per installation", async () => {
    const probot = new Probot({
      appId: 1,
      privateKey,
      baseUrl,
      logLevel: "fatal",
      Octokit: probotOctokitClass({ paceWrites: false, retries: 1, retryBaseDelayMs }),
    });
    const installation = await probot.auth(7);
    answer(
      `GET ${repoPath}`,
      ...Array.from({ length: 8 }, () => ({ status: 502, body: { message: "Bad" } })),
    );
    await expect(installation.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 502 });
    expect(attempts("GET", repoPath)).toHaveLength(2);
    expect(attempts("GET", repoPath)[0]?.authorization).toBe("token ghs_installation");
  });
});
