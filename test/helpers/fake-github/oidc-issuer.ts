// The fake GitHub's Actions OIDC issuer: a JWKS, the runner's token request endpoint, and minting of tokens with chosen claims.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** Where the issuer lives on the fake (GitHub's is another host, token.actions.githubusercontent.com). */
export const OIDC_PATH = "/_services/token";

export interface MintOptions {
  audience?: string;
  /** Seconds from now until `exp` (negative: already expired). Default 300. */
  expiresInSeconds?: number;
  /** Signs with a key the JWKS does not publish (a forged token). */
  foreignKey?: boolean;
  issuer?: string;
}

export interface FakeOidcIssuer {
  /** The `iss` of minted tokens: `<fake url>/_services/token`. */
  readonly issuer: string;
  readonly jwksUrl: string;
  mint(claims: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /** `ACTIONS_ID_TOKEN_REQUEST_URL` / `_TOKEN` for a job whose tokens carry `claims` (what `core.getIDToken` reads). */
  runnerEnvironment(claims: Record<string, unknown>): Record<string, string>;
  /** Tokens handed out through the runner endpoint. */
  readonly issued: string[];
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void>;
}

/** The claims GitHub puts in a job's token, for a repository, run and workflow (override any with `extra`). */
export function actionsClaims(options: {
  repository: string;
  runId: number;
  workflowPath?: string;
  ref?: string;
  eventName?: string;
  sha?: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  const ref = options.ref ?? "refs/heads/main";
  const workflowRef = `${options.repository}/${options.workflowPath ?? ".github/workflows/rfsn.yml"}@${ref}`;
  const [owner = ""] = options.repository.split("/");
  return {
    sub: `repo:${options.repository}:ref:${ref}`,
    repository: options.repository,
    repository_owner: owner,
    repository_id: "1296269",
    repository_owner_id: "1",
    repository_visibility: "public",
    run_id: String(options.runId),
    run_number: "7",
    run_attempt: "1",
    actor: "rfsn[bot]",
    workflow: "RFSN repair",
    workflow_ref: workflowRef,
    workflow_sha: options.sha ?? "0".repeat(40),
    job_workflow_ref: workflowRef,
    job_workflow_sha: options.sha ?? "0".repeat(40),
    event_name: options.eventName ?? "workflow_dispatch",
    ref,
    ref_type: "branch",
    sha: options.sha ?? "0".repeat(40),
    runner_environment: "github-hosted",
    ...options.extra,
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}

export async function createFakeOidcIssuer(baseUrl: () => string): Promise<FakeOidcIssuer> {
  const kid = randomBytes(8).toString("hex");
  const keys = await generateKeyPair("RS256", { extractable: true });
  const foreign = await generateKeyPair("RS256");
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: "RS256", use: "sig" };
  const jobs = new Map<string, Record<string, unknown>>();
  const issued: string[] = [];

  const issuer: FakeOidcIssuer = {
    get issuer() {
      return `${baseUrl()}${OIDC_PATH}`;
    },
    get jwksUrl() {
      return `${baseUrl()}${OIDC_PATH}/.well-known/jwks`;
    },
    issued,
    async mint(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresInSeconds ?? 300;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid })
        .setIssuer(options.issuer ?? issuer.issuer)
        .setAudience(options.audience ?? "rfsn")
        .setIssuedAt(Math.min(now, now + expiresIn - 60))
        .setNotBefore(Math.min(now, now + expiresIn - 60))
        .setExpirationTime(now + expiresIn)
        .setJti(randomBytes(8).toString("hex"))
        .sign(options.foreignKey ? foreign.privateKey : keys.privateKey);
    },
    runnerEnvironment(claims) {
      const requestToken = `oidc-request-${randomBytes(12).toString("hex")}`;
      jobs.set(requestToken, claims);
      return {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${baseUrl()}${OIDC_PATH}/idtoken?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
      };
    },
    async handle(request, response, path, query) {
      const rest = path.slice(OIDC_PATH.length);
      if (rest === "/.well-known/openid-configuration") {
        send(response, 200, {
          issuer: issuer.issuer,
          jwks_uri: issuer.jwksUrl,
          subject_types_supported: ["public", "pairwise"],
          response_types_supported: ["id_token"],
          id_token_signing_alg_values_supported: ["RS256"],
          scopes_supported: ["openid"],
        });
        return;
      }
      if (rest === "/.well-known/jwks") {
        send(response, 200, { keys: [publicJwk] });
        return;
      }
      if (rest === "/idtoken" && request.method === "GET") {
        const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
        const claims = jobs.get(bearer);
        if (!claims) {
          send(response, 401, { message: "the ID token request token is not valid" });
          return;
        }
        const token = await issuer.mint(claims, { audience: query.get("audience") ?? baseUrl() });
        issued.push(token);
        send(response, 200, { value: token });
        return;
      }
      send(response, 404, { message: `fake OIDC issuer: no ${path}` });
    },
  };
  return issuer;
}
