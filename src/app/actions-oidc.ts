// Verifies a GitHub Actions OIDC token (signature against the issuer's JWKS, issuer, audience, expiry) and reads its run claims.
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";

export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
export const RFSN_AUDIENCE = "rfsn";

/** The claims the App relies on; every one is required. */
export interface ActionsTokenClaims {
  /** `owner/name`. */
  repository: string;
  repositoryOwner: string;
  runId: number;
  /** `owner/name/.github/workflows/rfsn.yml@refs/heads/main`. */
  workflowRef: string;
  /** The workflow file the job itself comes from (equal to `workflowRef` unless the job is a reusable workflow). */
  jobWorkflowRef: string;
  eventName: string;
}

/** The token is missing, malformed, signed by another key, expired, or for another audience or issuer. */
export class ActionsTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionsTokenError";
  }
}

export interface ActionsTokenVerifierOptions {
  /** `https://token.actions.githubusercontent.com`, or a GHES / test issuer. */
  issuer: string;
  audience: string;
  /** Default `<issuer>/.well-known/jwks` (where GitHub serves it). */
  jwksUrl?: string;
  /** Seconds of clock skew tolerated on `exp`/`nbf` (default 30). */
  clockToleranceSeconds?: number;
}

export type ActionsTokenVerifier = (token: string) => Promise<ActionsTokenClaims>;

function text(payload: JWTPayload, name: string): string {
  const value = payload[name];
  if (typeof value !== "string" || value === "")
    throw new ActionsTokenError(`the token has no ${name} claim`);
  return value;
}

export function createActionsTokenVerifier(options: ActionsTokenVerifierOptions): ActionsTokenVerifier {
  const issuer = options.issuer.replace(/\/+$/, "");
  const keys = createRemoteJWKSet(new URL(options.jwksUrl ?? `${issuer}/.well-known/jwks`), {
    timeoutDuration: 5000,
    cooldownDuration: 30_000,
  });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: options.audience,
        algorithms: ["RS256"],
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ["exp", "iat"],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new ActionsTokenError("the token has expired");
      if (error instanceof errors.JWTClaimValidationFailed)
        throw new ActionsTokenError(`the token's ${error.claim} claim is not accepted (${error.reason})`);
      if (error instanceof errors.JOSEError)
        throw new ActionsTokenError(`the token cannot be verified (${error.code})`);
      throw error;
    }
    const runId = Number(text(payload, "run_id"));
    if (!Number.isSafeInteger(runId) || runId <= 0)
      throw new ActionsTokenError("the token's run_id is not a run id");
    return {
      repository: text(payload, "repository"),
      repositoryOwner: text(payload, "repository_owner"),
      runId,
      workflowRef: text(payload, "workflow_ref"),
      jobWorkflowRef: text(payload, "job_workflow_ref"),
      eventName: text(payload, "event_name"),
    };
  };
}
