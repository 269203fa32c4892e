// Handles `/rfsn …` comments: authorization, 👀, then fix / status / cancel / help, answering in the conversation.
import type { Octokit } from "@octokit/rest";
import { updateCheckRun } from "../github/check-runs.js";
import { addReaction, replyToComment } from "../github/comments.js";
import { canWrite, collaboratorPermission } from "../github/permissions.js";
import type { RepairRequest } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import type { HandlerOutcome } from "./ci-failure-handler.js";
import { COMMAND_HELP, type FixOptions, parseRfsnCommand } from "./command-parser.js";
import { branchHeadSha, cancelWorkflowRun, pullRequestHead } from "./github-lookups.js";
import { isOwnSender } from "./policy.js";
import { startRepair } from "./repair-dispatch.js";
import { configAt, describeConfigError } from "./repository-config.js";
import type { IssueCommentEvent } from "./webhook-payloads.js";

const ACTIVE: readonly RepairRequest["status"][] = ["accepted", "dispatched", "running"];

export async function handleIssueComment(
  octokit: Octokit,
  deps: AppDependencies,
  event: IssueCommentEvent,
): Promise<HandlerOutcome> {
  if (event.action !== "created")
    return { decision: "ignored_event", reason: `issue_comment.${event.action}` };
  if (isOwnSender(event.senderLogin, deps.appSlug()) || isOwnSender(event.authorLogin, deps.appSlug())) {
    return { decision: "ignored_own", reason: "RFSN's own comment" };
  }
  const command = parseRfsnCommand(event.body);
  if (command === null) return { decision: "ignored_event", reason: "no /rfsn command" };
  const { owner, repo } = event.repository;
  const reply = (body: string) =>
    replyToComment(octokit, {
      owner,
      repo,
      issueNumber: event.issueNumber,
      inReplyTo: { author: event.authorLogin, body: event.body },
      body,
    });

  const role = await collaboratorPermission(octokit, owner, repo, event.authorLogin);
  if (!canWrite(role)) {
    await reply(
      "Sorry, RFSN only takes commands from people with write access to this repository. A maintainer can comment `/rfsn fix` for you.",
    );
    return { decision: "refused_permission", reason: `${event.authorLogin} has ${role} access` };
  }
  await addReaction(octokit, { owner, repo, commentId: event.commentId, content: "eyes" });

  switch (command.kind) {
    case "help":
      await reply(COMMAND_HELP);
      return { decision: "replied", reason: "help" };
    case "invalid":
      await reply(`I did not understand that: ${command.reason}.\n\n${COMMAND_HELP}`);
      return { decision: "replied", reason: `invalid command: ${command.reason}` };
    case "status":
      await reply(statusText(deps, event.repository.fullName));
      return { decision: "replied", reason: "status" };
    case "cancel":
      return cancelLatest(octokit, deps, event, reply);
    case "fix":
      return fix(octokit, deps, event, command.options, reply);
  }
}

function describeRequest(request: RepairRequest, deps: AppDependencies): string {
  const run = deps.appState.runForRequest(request.id);
  const when = new Date(request.updatedAt).toISOString();
  const parts = [
    `The last repair request of this repository is \`${request.id}\` (${request.trigger}) on commit \`${request.headSha.slice(0, 7)}\`: **${request.status}**`,
    request.detail ? ` — ${request.detail}` : "",
    ` (updated ${when})`,
    run ? `. Workflow run: ${run.runUrl || run.runId}` : "",
    ".",
  ];
  return parts.join("");
}

function statusText(deps: AppDependencies, fullName: string): string {
  const latest = deps.requests.latestForRepository(fullName);
  return latest
    ? describeRequest(latest, deps)
    : "RFSN has no repair request for this repository yet. Comment `/rfsn fix` to start one.";
}

async function cancelLatest(
  octokit: Octokit,
  deps: AppDependencies,
  event: IssueCommentEvent,
  reply: (body: string) => Promise<unknown>,
): Promise<HandlerOutcome> {
  const { owner, repo, fullName } = event.repository;
  const latest = deps.requests.latestForRepository(fullName);
  if (!latest || !ACTIVE.includes(latest.status)) {
    await reply(
      latest
        ? `Nothing to cancel: ${describeRequest(latest, deps)}`
        : "Nothing to cancel: this repository has no repair request.",
    );
    return { decision: "replied", reason: "nothing to cancel" };
  }
  deps.requests.updateStatus(latest.id, "cancelled", `cancelled by @${event.authorLogin}`);
  const run = deps.appState.runForRequest(latest.id);
  const runCancelled = run ? await cancelWorkflowRun(octokit, owner, repo, run.runId) : false;
  if (latest.checkRunId) {
    await updateCheckRun(octokit, {
      owner,
      repo,
      checkRunId: latest.checkRunId,
      conclusion: "cancelled",
      output: {
        title: "Repair cancelled",
        summary: `Cancelled by @${event.authorLogin} with \`/rfsn cancel\`.`,
      },
    });
  }
  const runNote = run
    ? runCancelled
      ? ` and its workflow run ${run.runId} was cancelled`
      : `; its workflow run ${run.runId} could not be cancelled (it may have finished)`
    : "";
  await reply(`Cancelled repair request \`${latest.id}\`${runNote}.`);
  return { decision: "cancelled", reason: `request ${latest.id}` };
}

async function fix(
  octokit: Octokit,
  deps: AppDependencies,
  event: IssueCommentEvent,
  options: FixOptions,
  reply: (body: string) => Promise<unknown>,
): Promise<HandlerOutcome> {
  const { owner, repo, fullName, defaultBranch } = event.repository;
  let headSha: string;
  let baseBranch: string;
  if (event.isPullRequest) {
    const pull = await pullRequestHead(octokit, owner, repo, event.issueNumber);
    if (pull.headRepository?.toLowerCase() !== pull.baseRepository.toLowerCase()) {
      await reply(
        "RFSN does not repair pull requests from forks: the repair would run this pull request's code with the repository's secrets. " +
          "Push the branch to this repository (or ask the author to apply the fix) and comment `/rfsn fix` there.",
      );
      return {
        decision: "refused_fork",
        reason: `pull request #${pull.number} comes from ${pull.headRepository ?? "a deleted fork"}`,
      };
    }
    if (pull.headRef.startsWith("rfsn/")) {
      await reply("This pull request is RFSN's own fix branch; RFSN does not repair its own branches.");
      return { decision: "ignored_own", reason: `${pull.headRef} is an RFSN branch` };
    }
    headSha = pull.headSha;
    baseBranch = pull.headRef;
  } else {
    headSha = await branchHeadSha(octokit, owner, repo, defaultBranch);
    baseBranch = defaultBranch;
  }

  const loaded = await configAt(deps.repositoryConfigs, octokit, owner, repo, headSha);
  if (!loaded.ok) {
    const described = describeConfigError(loaded.error, fullName, headSha);
    await reply(described.summary);
    return { decision: "config_error", reason: loaded.error.message };
  }
  if (!loaded.config.enabled) {
    await reply("RFSN is turned off for this repository (`enabled: false` in `.github/rfsn.yml`).");
    return { decision: "ignored_disabled", reason: "enabled: false" };
  }
  const started = await startRepair(octokit, deps, {
    repository: event.repository,
    headSha,
    trigger: "comment",
    config: loaded.config,
    baseBranch,
    failedRunId: null,
    commentTarget: { issueNumber: event.issueNumber, commentId: event.commentId },
    requestedBy: event.authorLogin,
    testCommand: options.testCommand,
    maxIterations: options.maxIterations,
    llm: options.llm,
  });
  switch (started.decision) {
    case "rate_limited":
    case "attempts_exhausted":
      await reply(`RFSN did not start a repair: ${started.reason}.`);
      break;
    case "onboarding":
      await reply(started.reason);
      break;
    default:
      break;
  }
  return { decision: started.decision, reason: started.reason };
}
