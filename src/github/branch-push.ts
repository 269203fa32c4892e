// Pushes a new rfsn/ branch to origin with the token passed through git's environment, never in argv, never forced.
import { type ProcessResult, type RunProcessOptions, runProcess } from "../runtime/process.js";

export type ProcessRunner = (argv: string[], options: RunProcessOptions) => Promise<ProcessResult>;

export interface PushRequest {
  /** A checkout (or worktree) whose `origin` is the GitHub repository. */
  dir: string;
  branch: string;
  token: string;
  remote?: string;
  timeoutMs?: number;
  /** Default: the runtime process runner (injected by tests to record what runs). */
  runner?: ProcessRunner;
  log?: (message: string) => void;
}

export interface PushResult {
  branch: string;
  commit: string;
}

export class PushRejectedError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = "PushRejectedError";
  }
}

export class RemoteUnreachableError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = "RemoteUnreachableError";
  }
}

export class UnsafeBranchError extends Error {
  constructor(branch: string, why: string) {
    super(`refusing to push ${JSON.stringify(branch)}: ${why}`);
    this.name = "UnsafeBranchError";
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
const BRANCH_PATTERN = /^rfsn\/[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function checkBranch(branch: string): void {
  if (!branch.startsWith("rfsn/"))
    throw new UnsafeBranchError(branch, "RFSN only pushes branches under rfsn/");
  if (
    !BRANCH_PATTERN.test(branch) ||
    branch.includes("..") ||
    branch.endsWith("/") ||
    branch.endsWith(".lock")
  ) {
    throw new UnsafeBranchError(branch, "the name has characters git or RFSN does not accept");
  }
}

/**
 * `http.<url>.extraheader` for exactly this remote, first reset (dropping a header actions/checkout may have
 * persisted for github.com) then set to the token, via GIT_CONFIG_* so it never shows in `ps` or in git's argv.
 */
function credentialEnvironment(remoteUrl: string, token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  return {
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: `http.${remoteUrl}.extraheader`,
    GIT_CONFIG_VALUE_0: "",
    GIT_CONFIG_KEY_1: `http.${remoteUrl}.extraheader`,
    GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}`,
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
  };
}

function redact(text: string, token: string): string {
  if (!token) return text;
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  return text.split(token).join("***").split(basic).join("***");
}

const UNREACHABLE = [
  /could not resolve host/i,
  /unable to access/i,
  /connection (refused|reset|timed out)/i,
  /failed to connect/i,
  /does not appear to be a git repository/i,
  /could not read from remote repository/i,
  /repository .* not found/i,
  /operation timed out/i,
  /no such file or directory/i,
];

const REJECTED = [
  /\[rejected\]/,
  /\[remote rejected\]/,
  /failed to push some refs/i,
  /protected branch/i,
  /permission to .* denied/i,
  /authentication failed/i,
  /the requested url returned error: 403/i,
  /pre-receive hook declined/i,
];

function failureMessage(result: ProcessResult): string {
  if (result.timedOut) return "git timed out";
  if (result.startError) return result.startError;
  return (result.stderr || result.stdout).trim() || `git exited with ${result.exitCode}`;
}

/** Turns a failed git network command into the typed error a user can act on. */
export function classifyGitFailure(result: ProcessResult, token: string, what: string): Error {
  const raw = failureMessage(result);
  const detail = redact(raw, token);
  if (result.timedOut)
    return new RemoteUnreachableError(`${what}: the remote did not answer in time`, detail);
  if (REJECTED.some((pattern) => pattern.test(raw))) {
    return new PushRejectedError(
      `${what}: the remote rejected the push (${detail.split("\n").find((line) => line.trim()) ?? detail}); check that the token can write contents and the branch is not protected`,
      detail,
    );
  }
  if (UNREACHABLE.some((pattern) => pattern.test(raw)) || result.exitCode === 128) {
    return new RemoteUnreachableError(
      `${what}: cannot reach the remote (${detail.split("\n")[0] ?? detail})`,
      detail,
    );
  }
  return new PushRejectedError(`${what} failed: ${detail}`, detail);
}

export async function pushRepairBranch(request: PushRequest): Promise<PushResult> {
  checkBranch(request.branch);
  const run = request.runner ?? runProcess;
  const remote = request.remote ?? "origin";
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = request.log ?? (() => {});
  const git = (args: string[], env: Record<string, string> = {}) =>
    run(["git", "-c", "core.hooksPath=/dev/null", ...args], {
      cwd: request.dir,
      env,
      trusted: true,
      timeoutMs,
    });

  const remoteUrl = await git(["remote", "get-url", remote]);
  if (remoteUrl.exitCode !== 0) {
    throw new RemoteUnreachableError(
      `no git remote named ${remote} in ${request.dir}`,
      redact(failureMessage(remoteUrl), request.token),
    );
  }
  const url = remoteUrl.stdout.trim();
  const commit = await git(["rev-parse", "--verify", `refs/heads/${request.branch}^{commit}`]);
  if (commit.exitCode !== 0) {
    throw new PushRejectedError(
      `there is no local branch ${request.branch} to push`,
      redact(failureMessage(commit), request.token),
    );
  }
  const env = credentialEnvironment(url, request.token);

  const existing = await git(["ls-remote", "--heads", remote, `refs/heads/${request.branch}`], env);
  if (existing.exitCode !== 0 || existing.timedOut) {
    throw classifyGitFailure(existing, request.token, `checking ${remote} for ${request.branch}`);
  }
  if (existing.stdout.trim() !== "") {
    throw new PushRejectedError(
      `branch ${request.branch} already exists on ${remote}; RFSN never overwrites a branch`,
      redact(existing.stdout.trim(), request.token),
    );
  }

  log(`pushing ${request.branch} to ${remote}`);
  const pushed = await git(
    ["push", "--porcelain", remote, `refs/heads/${request.branch}:refs/heads/${request.branch}`],
    env,
  );
  if (pushed.exitCode !== 0 || pushed.timedOut) {
    throw classifyGitFailure(pushed, request.token, `pushing ${request.branch} to ${remote}`);
  }
  log(`pushed ${request.branch} (${commit.stdout.trim().slice(0, 12)})`);
  return { branch: request.branch, commit: commit.stdout.trim() };
}
