// A local GitHub REST server on 127.0.0.1 that checks every request and response against GitHub's OpenAPI description.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { zipSync } from "fflate";
import { createFakeOidcIssuer, type FakeOidcIssuer, OIDC_PATH } from "./oidc-issuer.js";
import {
  matchOperation,
  validateParameters,
  validateRequestBody,
  validateResponse,
} from "./openapi-description.js";
import { FakeRepository, type RepositoryOptions, type StoredDispatch } from "./repository-state.js";
import { FakeResultsService } from "./results-service.js";
import { REVIEW_HANDLERS } from "./review-handlers.js";
import { errorResponse, HANDLERS, type HandlerResponse, type World } from "./route-handlers.js";
import { createAppRegistry, type FakeAppRegistry, withSetupHandlers } from "./setup-route-handlers.js";

export type { CommitObject, GitPerson, TreeItem } from "./git-objects.js";
export { actionsClaims, type FakeOidcIssuer } from "./oidc-issuer.js";
export type {
  PermissionLevel,
  RepositoryOptions,
  StoredArtifact,
  StoredDispatch,
} from "./repository-state.js";
export { FakeRepository } from "./repository-state.js";
export { reviewCommentsOf, type StoredReviewComment } from "./review-handlers.js";

export interface Violation {
  method: string;
  path: string;
  operationId: string | null;
  message: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string | null;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  status: number;
}

/** A scripted misbehaviour for one operation (`"pulls/create"`) or `"METHOD /path/template"`. */
export interface Fault {
  route: string;
  /** How many matching requests get the fault (default 1; `Infinity` for all). */
  times?: number;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait before answering (with the fault, or with the normal answer when no status is given). */
  delayMs?: number;
  /** Never answer (until the server closes). */
  hang?: boolean;
}

export const faults = {
  serverError: (route: string, status = 502, times = 1): Fault => ({
    route,
    times,
    status,
    body: { message: status === 502 ? "Server Error" : "Internal Server Error" },
  }),
  secondaryRateLimit: (route: string, retryAfterSeconds = 1, times = 1): Fault => ({
    route,
    times,
    status: 403,
    headers: { "retry-after": String(retryAfterSeconds) },
    body: {
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      documentation_url:
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    },
  }),
  primaryRateLimit: (route: string, resetInSeconds = 1, times = 1): Fault => ({
    route,
    times,
    status: 403,
    headers: {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": "5000",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + resetInSeconds),
    },
    body: {
      message: "API rate limit exceeded for installation ID 1.",
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    },
  }),
  notFound: (route: string, times = 1): Fault => ({
    route,
    times,
    status: 404,
    body: { message: "Not Found" },
  }),
  validationFailed: (
    route: string,
    message = "Validation Failed",
    errors: unknown[] = [],
    times = 1,
  ): Fault => ({
    route,
    times,
    status: 422,
    body: { message, errors, documentation_url: "https://docs.github.com/rest" },
  }),
  hang: (route: string, times = 1): Fault => ({ route, times, hang: true }),
  delay: (route: string, delayMs: number, times = 1): Fault => ({ route, times, delayMs }),
};

export interface FakeGitHubOptions {
  /** Login that authenticated calls act as (comments, PR authors). */
  viewer?: string;
  appId?: number;
}

export interface FakeGitHub {
  /** Base URL for Octokit `baseUrl` / `GITHUB_API_URL`. The same API is also served under `/api/v3` for Probot's `GHE_HOST`. */
  url: string;
  /** `host:port`, for Probot's `GHE_HOST` together with `GHE_PROTOCOL=http`. */
  host: string;
  violations: Violation[];
  /** The Actions OIDC issuer (JWKS and runners' token requests under `/_services/token`, outside the REST API). */
  oidc: FakeOidcIssuer;
  requests: RecordedRequest[];
  dispatches: StoredDispatch[];
  issuedTokens: string[];
  /** The App-registration (manifest flow) side: `apps.acceptManifest(manifest)` plays the user's click on github.com. */
  apps: FakeAppRegistry;
  addRepository(options: RepositoryOptions): FakeRepository;
  repository(owner: string, name: string): FakeRepository;
  addBranch(owner: string, name: string, branch: string, files?: Record<string, string>): string;
  addIssue(
    owner: string,
    name: string,
    number: number,
    options?: { title?: string; pullRequest?: boolean },
  ): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  onDispatch(callback: (dispatch: StoredDispatch) => void | Promise<void>): void;
  /**
   * Stores an artifact of a workflow run as GitHub keeps what `actions/upload-artifact` sent (files zipped at the
   * archive's root); `actions/download-artifact` then answers 302 to the archive the fake serves. Returns its id.
   */
  storeArtifact(
    owner: string,
    name: string,
    runId: number | string,
    artifactName: string,
    files: Map<string, Buffer | string> | Record<string, Buffer | string>,
  ): number;
  /**
   * Environment for a runner step that uploads artifacts with @actions/artifact to this fake (`ACTIONS_RUNTIME_TOKEN`,
   * `ACTIONS_RESULTS_URL`, and `GITHUB_SERVER_URL=https://github.com`, which the client requires); artifacts land on
   * that run as `actions/list-workflow-run-artifacts` shows them.
   */
  artifactUploadEnvironment(owner: string, name: string, runId: number | string): Record<string, string>;
  /** Stores an artifact archive exactly as given (for tests of malformed or hostile archives). */
  storeArtifactArchive(
    owner: string,
    name: string,
    runId: number | string,
    artifactName: string,
    zip: Buffer,
  ): number;
  assertNoViolations(): void;
  /** Returns the violations so far and forgets them (for tests that provoke one on purpose). */
  takeViolations(): Violation[];
  close(): Promise<void>;
}

interface ActiveFault extends Fault {
  remaining: number;
}

const APP_ROUTES = new Set([
  "apps/create-installation-access-token",
  "apps/get-authenticated",
  "apps/get-repo-installation",
]);

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: HandlerResponse): void {
  const headers: Record<string, string> = {
    "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    "x-ratelimit-resource": "core",
    ...result.headers,
  };
  if (result.body === undefined) {
    response.writeHead(result.status, headers);
    response.end();
    return;
  }
  response.writeHead(result.status, { ...headers, "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(result.body));
}

function isJwt(authorization: string | undefined): boolean {
  const match = /^bearer\s+(\S+)$/i.exec(authorization ?? "");
  return Boolean(match?.[1] && match[1].split(".").length === 3);
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const repositories = new Map<string, FakeRepository>();
  const violations: Violation[] = [];
  const requests: RecordedRequest[] = [];
  const dispatches: StoredDispatch[] = [];
  const issuedTokens: string[] = [];
  const dispatchListeners: Array<(dispatch: StoredDispatch) => void | Promise<void>> = [];
  let activeFaults: ActiveFault[] = [];
  const apps = createAppRegistry();
  const handlers = withSetupHandlers({ ...HANDLERS, ...REVIEW_HANDLERS }, apps);
  let counter = 1000;
  const nextId = () => ++counter;
  let baseUrl = "";
  const oidc = await createFakeOidcIssuer(() => baseUrl);

  const world: World = {
    repository: (owner, name) => repositories.get(`${owner}/${name}`.toLowerCase()),
    nextId,
    appId: options.appId ?? 1,
    viewer: options.viewer ?? "rfsn[bot]",
    issueToken: () => {
      const token = `ghs_${randomBytes(18).toString("hex")}`;
      issuedTokens.push(token);
      return { token, expiresAt: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z") };
    },
    serverUrl: "",
    recordDispatch: (dispatch) => {
      dispatches.push(dispatch);
      world.repository(dispatch.owner, dispatch.repo)?.dispatches.push(dispatch);
      for (const listener of dispatchListeners) {
        setImmediate(() => {
          Promise.resolve()
            .then(() => listener(dispatch))
            .catch((error: unknown) => {
              violations.push({
                method: "POST",
                path: "(onDispatch)",
                operationId: null,
                message: `onDispatch callback failed: ${String(error)}`,
              });
            });
        });
      }
    },
  };

  const results = new FakeResultsService(
    () => world.serverUrl,
    (run, name, zip) => fake.storeArtifactArchive(run.owner, run.repo, run.runId, name, zip),
  );

  function takeFault(operationId: string, method: string, template: string): ActiveFault | null {
    const fault = activeFaults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.route === operationId || candidate.route === `${method} ${template}`),
    );
    if (!fault) return null;
    fault.remaining -= 1;
    return fault;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (method === "GET" && url.pathname.startsWith("/_fake/artifacts/")) {
      serveArtifactArchive(url.pathname, response);
      return;
    }
    const raw = await readBody(request);
    if (results.handle(request, url, raw, response)) return;
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
    if (path.startsWith(OIDC_PATH)) {
      await oidc.handle(request, response, path, url.searchParams);
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    const authorization = request.headers.authorization;
    const text = raw.toString("utf8");
    const record: RecordedRequest = {
      method,
      path,
      operationId: null,
      query,
      body: undefined,
      authorization,
      status: 0,
    };
    requests.push(record);
    const reject = (status: number, message: string) => {
      violations.push({ method, path, operationId: record.operationId, message });
      record.status = status;
      send(response, {
        status,
        body: { message: `fake-github: ${message}`, documentation_url: "https://docs.github.com/rest" },
      });
    };

    let body: unknown;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        reject(400, `request body is not JSON: ${text.slice(0, 80)}`);
        return;
      }
    }
    record.body = body;
    const matched = matchOperation(method, path);
    if (!matched) {
      reject(400, `${method} ${path} is not an operation in GitHub's REST API description`);
      return;
    }
    const { operation, pathParams } = matched;
    record.operationId = operation.operationId;
    const parameters = validateParameters(operation, pathParams, query);
    if (!parameters.ok) {
      reject(400, `${operation.operationId}: ${parameters.message}`);
      return;
    }
    const requestBody = validateRequestBody(operation, body);
    if (!requestBody.ok) {
      reject(400, `${operation.operationId}: ${requestBody.message}`);
      return;
    }

    const fault = takeFault(operation.operationId, method, operation.pathTemplate);
    if (fault?.hang) return;
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) {
      record.status = fault.status;
      send(response, { status: fault.status, body: fault.body, headers: fault.headers ?? {} });
      return;
    }

    let result: HandlerResponse;
    if (APP_ROUTES.has(operation.operationId) && !isJwt(authorization)) {
      result = errorResponse(401, "A JSON web token could not be decoded");
    } else {
      const handler = handlers[operation.operationId];
      if (!handler) {
        reject(
          501,
          `fake-github does not implement ${operation.operationId} (${method} ${operation.pathTemplate}) yet`,
        );
        return;
      }
      result = handler(world, { params: pathParams, query, body, authorization });
    }
    const checked = validateResponse(operation, result.status, result.body);
    if (!checked.ok) {
      reject(500, `fake response does not match GitHub's description: ${checked.message}`);
      return;
    }
    record.status = result.status;
    send(response, result);
  }

  /** The archive behind a download redirect (GitHub serves it from blob storage, outside the API). */
  function serveArtifactArchive(pathname: string, response: ServerResponse): void {
    const match = /^\/_fake\/artifacts\/([^/]+)\/([^/]+)\/(\d+)\.zip$/.exec(pathname);
    const artifact = match
      ? world
          .repository(match[1] ?? "", match[2] ?? "")
          ?.artifacts.find((entry) => entry.id === Number(match[3]))
      : undefined;
    if (!artifact) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("artifact archive not found");
      return;
    }
    response.writeHead(200, {
      "content-type": "application/zip",
      "content-length": String(artifact.zip.length),
    });
    response.end(artifact.zip);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      violations.push({
        method: request.method ?? "",
        path: request.url ?? "",
        operationId: null,
        message: `fake-github crashed: ${String(error)}`,
      });
      if (!response.headersSent) send(response, { status: 500, body: { message: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  world.serverUrl = baseUrl;

  const fake: FakeGitHub = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    violations,
    oidc,
    requests,
    dispatches,
    issuedTokens,
    apps,
    addRepository(repositoryOptions) {
      const repository = new FakeRepository(repositoryOptions, nextId(), nextId);
      repositories.set(repository.fullName.toLowerCase(), repository);
      return repository;
    },
    repository(owner, name) {
      const repository = world.repository(owner, name);
      if (!repository)
        throw new Error(`fake-github has no repository ${owner}/${name}; call addRepository first`);
      return repository;
    },
    addBranch(owner, name, branch, files) {
      const repository = fake.repository(owner, name);
      const parent = repository.branches.get(repository.defaultBranch) ?? "";
      const snapshot = new Map(repository.commits.get(parent));
      for (const [path, content] of Object.entries(files ?? {})) snapshot.set(path, content);
      const sha = repository.commit(snapshot, parent);
      repository.branches.set(branch, sha);
      return sha;
    },
    addIssue(owner, name, number, issueOptions = {}) {
      fake.repository(owner, name).ensureIssue(number, issueOptions.pullRequest ?? false, issueOptions.title);
    },
    addFault(fault) {
      activeFaults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      activeFaults = [];
    },
    onDispatch(callback) {
      dispatchListeners.push(callback);
    },
    storeArtifact(owner, name, runId, artifactName, files) {
      const entries = files instanceof Map ? [...files] : Object.entries(files);
      const zipped = zipSync(
        Object.fromEntries(
          entries.map(([file, content]) => [
            file,
            new Uint8Array(Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8")),
          ]),
        ),
      );
      return fake.storeArtifactArchive(owner, name, runId, artifactName, Buffer.from(zipped));
    },
    artifactUploadEnvironment(owner, name, runId) {
      fake.repository(owner, name);
      return {
        ACTIONS_RUNTIME_TOKEN: results.runtimeToken({ owner, repo: name, runId: Number(runId) }),
        ACTIONS_RESULTS_URL: `${world.serverUrl}/`,
        GITHUB_SERVER_URL: "https://github.com",
      };
    },
    storeArtifactArchive(owner, name, runId, artifactName, zip) {
      const repository = fake.repository(owner, name);
      const id = nextId();
      repository.artifacts.push({
        id,
        runId: Number(runId),
        name: artifactName,
        zip,
        createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        expired: false,
      });
      return id;
    },
    assertNoViolations() {
      if (violations.length === 0) return;
      const seen = violations.splice(0, violations.length);
      const lines = seen.map(
        (v) => `- ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ""}: ${v.message}`,
      );
      throw new Error(
        `fake GitHub saw ${seen.length} violation(s) of GitHub's REST API description:\n${lines.join("\n")}`,
      );
    },
    takeViolations() {
      return violations.splice(0, violations.length);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return fake;
}
