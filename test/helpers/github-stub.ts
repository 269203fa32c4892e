// A light GitHub stub for load tests: answers the routes the App calls with realistic payloads, no OpenAPI validation.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  appPayload,
  branchPayload,
  checkRunPayload,
  commentPayload,
  fileContentPayload,
  installationPayload,
  installationTokenPayload,
  permissionPayload,
  pullRequestPayload,
  reactionPayload,
  repositoryPayload,
  timestamp,
  workflowPayload,
} from "./fake-github/payloads.js";
import { FakeRepository, type PermissionLevel, type StoredCheckRun } from "./fake-github/repository-state.js";

export interface GitHubStubOptions {
  owner?: string;
  name?: string;
  /** Files served by `repos/get-content` (any ref). */
  files?: Record<string, string>;
  permissions?: Record<string, PermissionLevel>;
}

export interface GitHubStubStats {
  requests: number;
  /** Requests the stub has no route for (404 `stub: …`); should stay 0. */
  unhandled: number;
  dispatches: number;
  /** Distinct `request-id` inputs among the dispatches. */
  distinctDispatches: number;
  checkRuns: number;
  comments: number;
}

export interface GitHubStub {
  url: string;
  stats(): GitHubStubStats;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  body?: unknown;
}

async function readJson(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Json;
  } catch {
    return {};
  }
}

export async function startGitHubStub(options: GitHubStubOptions = {}): Promise<GitHubStub> {
  let nextId = 5_000_000;
  const newId = () => ++nextId;
  const repository = new FakeRepository(
    {
      owner: options.owner ?? "octo-org",
      name: options.name ?? "bench",
      files: { "README.md": "# bench\n", ...(options.files ?? {}) },
      workflows: ["rfsn.yml", "ci.yml"],
    },
    newId(),
    newId,
  );
  const files = new Map(Object.entries(options.files ?? {}));
  const permissions = new Map(Object.entries(options.permissions ?? {}));
  const runsBySha = new Map<string, StoredCheckRun[]>();
  const runsById = new Map<number, StoredCheckRun>();
  const requestIds = new Set<string>();
  const stats: GitHubStubStats = {
    requests: 0,
    unhandled: 0,
    dispatches: 0,
    distinctDispatches: 0,
    checkRuns: 0,
    comments: 0,
  };
  const headSha = repository.branches.get(repository.defaultBranch) ?? "";

  const routes: Array<[string, RegExp, (match: RegExpExecArray, body: Json, url: URL) => Answer]> = [
    [
      "POST",
      /^\/app\/installations\/\d+\/access_tokens$/,
      () => ({
        status: 201,
        body: installationTokenPayload(
          `ghs_${randomBytes(18).toString("hex")}`,
          timestamp(new Date(Date.now() + 3_600_000)),
        ),
      }),
    ],
    ["GET", /^\/app$/, () => ({ status: 200, body: appPayload(1) })],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/installation$/,
      () => ({ status: 200, body: installationPayload(1, repository.owner) }),
    ],
    ["GET", /^\/repos\/[^/]+\/[^/]+$/, () => ({ status: 200, body: repositoryPayload(repository, "admin") })],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/,
      (match, _body, url) => {
        const path = decodeURIComponent(match[1] ?? "");
        const content = files.get(path);
        return content === undefined
          ? { status: 404, body: { message: "Not Found" } }
          : {
              status: 200,
              body: fileContentPayload(repository, path, content, url.searchParams.get("ref") ?? "main"),
            };
      },
    ],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/check-runs$/,
      (match) => {
        const runs = runsBySha.get(match[1] ?? "") ?? [];
        return {
          status: 200,
          body: { total_count: runs.length, check_runs: runs.map((run) => checkRunPayload(repository, run)) },
        };
      },
    ],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/check-runs$/,
      (_match, body) => {
        const run: StoredCheckRun = {
          id: newId(),
          name: String(body.name ?? "RFSN repair"),
          headSha: String(body.head_sha ?? ""),
          externalId: String(body.external_id ?? ""),
          status: String(body.status ?? "queued"),
          conclusion: null,
          detailsUrl: typeof body.details_url === "string" ? body.details_url : null,
          startedAt: timestamp(),
          completedAt: null,
          output: { title: null, summary: null, text: null },
        };
        runsById.set(run.id, run);
        runsBySha.set(run.headSha, [...(runsBySha.get(run.headSha) ?? []), run]);
        stats.checkRuns += 1;
        return { status: 201, body: checkRunPayload(repository, run) };
      },
    ],
    [
      "PATCH",
      /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/,
      (match, body) => {
        const run = runsById.get(Number(match[1]));
        if (!run) return { status: 404, body: { message: "Not Found" } };
        if (typeof body.status === "string") run.status = body.status;
        if (typeof body.conclusion === "string") {
          run.conclusion = body.conclusion;
          run.status = "completed";
          run.completedAt = timestamp();
        }
        return { status: 200, body: checkRunPayload(repository, run) };
      },
    ],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/([^/]+)$/,
      (match) => {
        const workflow = repository.findWorkflow(decodeURIComponent(match[1] ?? ""));
        return workflow
          ? { status: 200, body: workflowPayload(repository, workflow) }
          : { status: 404, body: { message: "Not Found" } };
      },
    ],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/([^/]+)\/dispatches$/,
      (_match, body) => {
        stats.dispatches += 1;
        const inputs = (body.inputs ?? {}) as Json;
        requestIds.add(String(inputs["request-id"] ?? stats.dispatches));
        stats.distinctDispatches = requestIds.size;
        return { status: 204 };
      },
    ],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/collaborators\/([^/]+)\/permission$/,
      (match) => {
        const login = decodeURIComponent(match[1] ?? "");
        const role = permissions.get(login);
        return role
          ? { status: 200, body: permissionPayload(login, role) }
          : { status: 404, body: { message: `${login} is not a user` } };
      },
    ],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)\/reactions$/,
      (match, body) => ({
        status: 201,
        body: reactionPayload({
          id: newId(),
          commentId: Number(match[1]),
          content: String(body.content ?? "eyes"),
          user: "rfsn[bot]",
        }),
      }),
    ],
    ["GET", /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/, () => ({ status: 200, body: [] })],
    [
      "POST",
      /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/,
      (match, body) => {
        stats.comments += 1;
        const now = timestamp();
        const comment = {
          id: newId(),
          issueNumber: Number(match[1]),
          body: String(body.body ?? ""),
          user: "rfsn[bot]",
          createdAt: now,
          updatedAt: now,
        };
        return { status: 201, body: commentPayload(repository, comment) };
      },
    ],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/,
      (match) => {
        const number = Number(match[1]);
        const pull = {
          number,
          title: `PR ${number}`,
          body: null,
          head: `feature/${number}`,
          headSha,
          base: repository.defaultBranch,
          draft: false,
          state: "open" as const,
          user: "alice",
        };
        return { status: 200, body: pullRequestPayload(repository, pull) };
      },
    ],
    [
      "GET",
      /^\/repos\/[^/]+\/[^/]+\/branches\/([^/]+)$/,
      (match) => ({
        status: 200,
        body: branchPayload(repository, decodeURIComponent(match[1] ?? ""), headSha),
      }),
    ],
  ];

  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    stats.requests += 1;
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
    const body = await readJson(request);
    let result: Answer = { status: 404, body: { message: `stub: no route for ${request.method} ${path}` } };
    for (const [method, pattern, handle] of routes) {
      const match = method === request.method ? pattern.exec(path) : null;
      if (match) {
        result = handle(match, body, url);
        break;
      }
    }
    if (result.status === 404 && String((result.body as Json | undefined)?.message).startsWith("stub:"))
      stats.unhandled += 1;
    const headers: Record<string, string> = {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    };
    if (result.body === undefined) {
      response.writeHead(result.status, headers).end();
      return;
    }
    const text = JSON.stringify(result.body);
    response
      .writeHead(result.status, { ...headers, "content-type": "application/json; charset=utf-8" })
      .end(text);
  };

  const server = createServer((request, response) => {
    answer(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The child side: serves a stub and answers `stats` / `stop` messages from the parent over IPC. */
export async function serveGitHubStubForParent(options: GitHubStubOptions): Promise<void> {
  const stub = await startGitHubStub(options);
  // A parent that dies without saying stop (killed, or its output pipe closed) takes this child with it.
  process.once("disconnect", () => process.exit(0));
  process.on("message", (message: unknown) => {
    if (message === "stats") process.send?.({ kind: "stats", stats: stub.stats() });
    if (message === "stop") void stub.close().then(() => process.exit(0));
  });
  process.send?.({ kind: "ready", url: stub.url });
}

/** A stub running in a child process: its counters are fetched over IPC. */
export interface ForkedGitHubStub {
  url: string;
  stats(): Promise<GitHubStubStats>;
  close(): Promise<void>;
}

/** The parent side: runs `entry` (a script that calls serveGitHubStubForParent when given `flag`) as a child process. */
export async function forkGitHubStub(entry: string, flag: string): Promise<ForkedGitHubStub> {
  const child = fork(entry, [flag], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [] });
  const listeners: Array<(message: Json) => void> = [];
  let exitCode: number | null | undefined;
  child.on("message", (message) => {
    for (const listener of listeners.splice(0)) listener(message as Json);
  });
  child.on("exit", (code) => {
    exitCode = code;
  });
  const next = () =>
    new Promise<Json>((resolve, reject) => {
      if (exitCode !== undefined) reject(new Error(`GitHub stub exited with ${exitCode}`));
      listeners.push(resolve);
    });
  const ready = await next();
  return {
    url: String(ready.url),
    stats: async () => {
      const answer = next();
      child.send("stats");
      return (await answer).stats as GitHubStubStats;
    },
    close: async () => {
      if (exitCode !== undefined) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send("stop");
      await exited;
    },
  };
}
