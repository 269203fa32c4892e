// Reads and validates the Action's inputs and the runner's standard environment into typed settings.

export type Trigger = "ci-failure" | "comment" | "manual";
export type CreatePullRequest = "true" | "draft" | "false";
/** `repair` runs repository code and publishes nothing; `publish` runs none and publishes; `all` does both. */
export type ActionStep = "repair" | "publish" | "all";
export type LlmProviderInput = "off" | "openai" | "anthropic" | "app" | "";

export interface ActionInputs {
  step: ActionStep;
  /** The commit that failed, from the trusted record (dispatch input or `workflow_run.head_sha`); "" when not given. */
  failingCommit: string;
  /** Run repository code without a sandbox even while a secret is present (see SECURITY.md). */
  allowUnsandboxed: boolean;
  testCommand: string;
  token: string;
  ref: string;
  failedRunId: string;
  trigger: Trigger;
  requestId: string;
  commentTarget: number | null;
  baseBranch: string;
  maxIterations: number | null;
  timeBudgetMinutes: number | null;
  llmProvider: LlmProviderInput;
  /** Public base URL of the RFSN App (`llm-provider: app`). */
  appUrl: string;
  llmModel: string;
  llmBaseUrl: string;
  llmApiKey: string;
  protectedPaths: string[];
  createPr: CreatePullRequest;
  pushgatewayUrl: string;
  memoryCache: boolean;
}

export interface RunnerContext {
  workspace: string;
  owner: string;
  repo: string;
  /** `GITHUB_SHA`: for a dispatched run the tip of the dispatched branch, NOT the failing commit; never build on it. */
  sha: string;
  refName: string;
  apiUrl: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
  tempDir: string;
}

export class ActionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionInputError";
  }
}

function optionalPositive(name: string, raw: string): number | null {
  if (!raw.trim()) return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new ActionInputError(`input ${name} must be a positive integer (got "${raw}")`);
  return value;
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[], fallback: T): T {
  const value = raw.trim() || fallback;
  if (!allowed.includes(value as T)) {
    throw new ActionInputError(`input ${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
  }
  return value as T;
}

/** `getInput` returns "" for an input that was not given, as `@actions/core` does. */
export function readActionInputs(getInput: (name: string) => string): ActionInputs {
  const commentTarget = optionalPositive("comment-target", getInput("comment-target"));
  const llmProvider = oneOf(
    "llm-provider",
    getInput("llm-provider"),
    ["off", "openai", "anthropic", "app", ""] as const,
    "",
  );
  const failingCommit = getInput("failing-commit").trim().toLowerCase();
  if (failingCommit && !/^[0-9a-f]{40}$/.test(failingCommit))
    throw new ActionInputError(`input failing-commit must be a 40-hex commit id (got "${failingCommit}")`);
  const allowUnsandboxed = oneOf(
    "allow-unsandboxed",
    getInput("allow-unsandboxed"),
    ["true", "false"] as const,
    "false",
  );
  return {
    step: oneOf("step", getInput("step"), ["repair", "publish", "all"] as const, "all"),
    failingCommit,
    allowUnsandboxed: allowUnsandboxed === "true",
    testCommand: getInput("test-command").trim(),
    token: getInput("token").trim(),
    ref: getInput("ref").trim(),
    failedRunId: getInput("failed-run-id").trim(),
    trigger: oneOf("trigger", getInput("trigger"), ["ci-failure", "comment", "manual"] as const, "manual"),
    requestId: getInput("request-id").trim(),
    commentTarget,
    baseBranch: getInput("base-branch").trim(),
    maxIterations: optionalPositive("max-iterations", getInput("max-iterations")),
    timeBudgetMinutes: optionalPositive("time-budget-minutes", getInput("time-budget-minutes")),
    llmProvider,
    appUrl: getInput("app-url").trim(),
    llmModel: getInput("llm-model").trim(),
    llmBaseUrl: getInput("llm-base-url").trim(),
    llmApiKey: getInput("llm-api-key").trim(),
    protectedPaths: getInput("protected-paths")
      .split(/[\n,]/)
      .map((path) => path.trim())
      .filter(Boolean),
    createPr: oneOf("create-pr", getInput("create-pr"), ["true", "draft", "false"] as const, "true"),
    pushgatewayUrl: getInput("pushgateway-url").trim(),
    memoryCache: (getInput("memory-cache").trim() || "true") === "true",
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ActionInputError(`${name} is not set; this must run inside a GitHub Actions job`);
  return value;
}

export function readRunnerContext(env: NodeJS.ProcessEnv): RunnerContext {
  const [owner, repo] = required(env, "GITHUB_REPOSITORY").split("/");
  if (!owner || !repo) throw new ActionInputError("GITHUB_REPOSITORY must look like owner/name");
  return {
    workspace: required(env, "GITHUB_WORKSPACE"),
    owner,
    repo,
    sha: required(env, "GITHUB_SHA"),
    refName: env.GITHUB_REF_NAME ?? "",
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    serverUrl: env.GITHUB_SERVER_URL || "https://github.com",
    runId: env.GITHUB_RUN_ID ?? "0",
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? "1",
    tempDir: env.RUNNER_TEMP || "/tmp",
  };
}

/** `rfsn/fix/<sha7>-<request>`, restricted to characters that are safe in a ref name. */
export function repairBranchName(sha: string, requestId: string, runId: string): string {
  const suffix = (requestId || `run${runId}`)
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `rfsn/fix/${sha.slice(0, 7)}-${suffix || "manual"}`;
}
