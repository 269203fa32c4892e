// Handles `/rfsn …` comments: authorization, 👀, then fix / status / cancel / pause / resume / help, acting on the conversation where they were typed.
import type { Octokit } from "@octokit/rest";
import { updateCheckRun } from "../github/check-runs.js";
import { addReaction, replyToComment } from "../github/comments.js";
import { canMaintain, canWrite, collaboratorPermission } from "../github/permissions.js";
import type { RepairRequest } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import type { HandlerOutcome } from "./ci-failure-handler.js";
import { COMMAND_HELP, type FixOptions, parseRfsnCommand } from "./command-parser.js";
import { branchHeadSha, cancelWorkflowRun, pullRequestHead } from "./github-lookups.js";
import { checkOffSwitches, isOwnSender, isRfsnBranch, RFSN_FIX_BRANCH_PREFIX } from "./policy.js";
import { pullRequestsLastHour, recordRefusal } from "./refusals.js";
import { startRepair } from "./repair-dispatch.js";
import { configAt, describeConfigError } from "./repository-config.js";
import { updateRequestComment } from "./request-comment-updates.js";
import type { IssueCommentEvent } from "./webhook-payloads.js";

type Reply = (body: string) => Promise<unknown>;

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

  const role = await collaboratorPermission(octokit, owner, repo, event.authorLogin);
  if (!canWrite(role)) {
    // A reaction only: a reply would let anyone make RFSN's account repeat (quote) their text.
    await addReaction(octokit, { owner, repo, commentId: event.commentId, content: "confused" });
    return { decision: "refused_permission", reason: `${event.authorLogin} has ${role} access` };
  }
  await addReaction(octokit, { owner, repo, commentId: event.commentId, content: "eyes" });
  const reply: Reply = (body: string) =>
    replyToComment(octokit, {
      owner,
      repo,
      issueNumber: event.issueNumber,
      inReplyTo: { author: event.authorLogin, body: event.body },
      body,
    });

  switch (command.kind) {
    case "help":
      await reply(COMMAND_HELP);
      return { decision: "replied", reason: "help" };
    case "invalid":
      await reply(`I did not understand that: ${command.reason}.\n\n${COMMAND_HELP}`);
      return { decision: "replied", reason: `invalid command: ${command.reason}` };
    case "status":
      await reply(statusText(deps, event));
      return { decision: "replied", reason: "status" };
    case "cancel":
      return cancelHere(octokit, deps, event, reply);
    case "pause":
    case "resume":
      if (!canMaintain(role)) {
        await reply(`\`/rfsn ${command.kind}\` needs the maintain or admin role on this repository.`);
        return { decision: "refused_permission", reason: `${event.authorLogin} has ${role} access` };
      }
      return command.kind === "pause" ? pause(deps, event, reply) : resume(deps, event, reply);
    case "fix":
      return fix(octokit, deps, event, command.options, reply);
  }
}

function place(event: IssueCommentEvent): string {
  return event.isPullRequest ? "this pull request" : "this issue";
}

function describeRequest(request: RepairRequest, deps: AppDependencies): string {
  const run = deps.appState.runForRequest(request.id);
  const when = new Date(request.updatedAt).toISOString();
  const parts = [
    `Repair request \`${request.id}\` (${request.trigger}) on commit \`${request.headSha.slice(0, 7)}\`: **${request.status}**`,
    request.detail ? ` — ${request.detail}` : "",
    ` (updated ${when})`,
    run ? `. Workflow run: ${run.runUrl || run.runId}` : "",
    ".",
  ];
  return parts.join("");
}

function statusText(deps: AppDependencies, event: IssueCommentEvent): string {
  const { fullName } = event.repository;
  const latest = deps.requests.latestForIssue(fullName, event.issueNumber);
  const lines = [
    latest
      ? describeRequest(latest, deps)
      : `RFSN has no repair request for ${place(event)} yet. Comment \`/rfsn fix\` to start one.`,
  ];
  const pause = deps.controls.pauseOfRepository(fullName);
  lines.push(
    pause
      ? `Automatic repairs of this repository are **paused** (by @${pause.pausedBy}, ${new Date(pause.pausedAt).toISOString()}); \`/rfsn resume\` lifts it.`
      : "Automatic repairs of this repository are on.",
  );
  const refusal = deps.controls.latestRefusal(fullName, event.issueNumber);
  if (refusal && (!latest || refusal.refusedAt >= latest.createdAt)) {
    lines.push(
      `Last refusal (${new Date(refusal.refusedAt).toISOString()}, ${refusal.trigger} on \`${refusal.headSha.slice(0, 7)}\`): **${refusal.reason}** — ${refusal.detail}.`,
    );
  }
  return lines.join("\n\n");
}

async function cancelHere(
  octokit: Octokit,
  deps: AppDependencies,
  event: IssueCommentEvent,
  reply: Reply,
): Promise<HandlerOutcome> {
  const { owner, repo, fullName } = event.repository;
  const active = deps.requests.activeForIssue(fullName, event.issueNumber);
  if (!active) {
    const latest = deps.requests.latestForIssue(fullName, event.issueNumber);
    await reply(
      latest
        ? `Nothing to cancel: ${describeRequest(latest, deps)}`
        : `Nothing to cancel: ${place(event)} has no repair request.`,
    );
    return { decision: "replied", reason: "nothing to cancel" };
  }
  deps.requests.updateStatus(active.id, "cancelled", `cancelled by @${event.authorLogin}`);
  const run = deps.appState.runForRequest(active.id);
  const runCancelled = run ? await cancelWorkflowRun(octokit, owner, repo, run.runId) : false;
  if (active.checkRunId) {
    await updateCheckRun(octokit, {
      owner,
      repo,
      checkRunId: active.checkRunId,
      conclusion: "cancelled",
      output: {
        title: "Repair cancelled",
        summary: `Cancelled by @${event.authorLogin} with \`/rfsn cancel\`.`,
      },
    });
  }
  await updateRequestComment(octokit, deps, event.repository, active, {
    kind: "cancelled",
    requestId: active.id,
    cancelledBy: event.authorLogin,
  });
  const runNote = run
    ? runCancelled
      ? ` and its workflow run ${run.runId} was cancelled`
      : `; its workflow run ${run.runId} could not be cancelled (it may have finished)`
    : "";
  await reply(`Cancelled repair request \`${active.id}\`${runNote}.`);
  return { decision: "cancelled", reason: `request ${active.id}` };
}

async function pause(deps: AppDependencies, event: IssueCommentEvent, reply: Reply): Promise<HandlerOutcome> {
  const { fullName } = event.repository;
  const paused = deps.controls.pause(fullName, event.authorLogin);
  const current = deps.controls.pauseOfRepository(fullName);
  await reply(
    paused
      ? "Automatic repairs of this repository are paused. `/rfsn fix` still works; `/rfsn resume` turns them back on."
      : `Automatic repairs were already paused (by @${current?.pausedBy ?? "someone"}).`,
  );
  return { decision: "replied", reason: paused ? "paused" : "already paused" };
}

async function resume(
  deps: AppDependencies,
  event: IssueCommentEvent,
  reply: Reply,
): Promise<HandlerOutcome> {
  const resumed = deps.controls.resume(event.repository.fullName);
  await reply(
    resumed
      ? "Automatic repairs of this repository are on again."
      : "Automatic repairs were not paused; nothing changed.",
  );
  return { decision: "replied", reason: resumed ? "resumed" : "not paused" };
}

interface FixTarget {
  headSha: string;
  baseBranch: string;
  /** True on RFSN's own fix pull request: the new attempt starts from its head and targets its branch. */
  revision: boolean;
}

async function fixTarget(
  octokit: Octokit,
  event: IssueCommentEvent,
  reply: Reply,
): Promise<FixTarget | HandlerOutcome> {
  const { owner, repo, defaultBranch } = event.repository;
  if (!event.isPullRequest) {
    const headSha = await branchHeadSha(octokit, owner, repo, defaultBranch);
    return { headSha, baseBranch: defaultBranch, revision: false };
  }
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
  const revision = pull.headRef.startsWith(RFSN_FIX_BRANCH_PREFIX);
  if (isRfsnBranch(pull.headRef) && !revision) {
    await reply("This pull request is RFSN's own (not a fix branch); RFSN does not repair it.");
    return { decision: "ignored_own", reason: `${pull.headRef} is an RFSN branch` };
  }
  return { headSha: pull.headSha, baseBranch: pull.headRef, revision };
}

async function fix(
  octokit: Octokit,
  deps: AppDependencies,
  event: IssueCommentEvent,
  options: FixOptions,
  reply: Reply,
): Promise<HandlerOutcome> {
  const { owner, repo, fullName } = event.repository;
  const target = await fixTarget(octokit, event, reply);
  if ("decision" in target) return target;
  const { headSha, baseBranch, revision } = target;

  const loaded = await configAt(deps.repositoryConfigs, octokit, owner, repo, headSha);
  if (!loaded.ok) {
    const described = describeConfigError(loaded.error, fullName, headSha);
    await reply(described.summary);
    return { decision: "config_error", reason: loaded.error.message };
  }
  const refuse = async (reason: Parameters<typeof recordRefusal>[1]["reason"], detail: string) => {
    recordRefusal(deps, {
      repo: fullName,
      issueNumber: event.issueNumber,
      headSha,
      trigger: "comment",
      reason,
      detail,
    });
    await reply(`RFSN did not start a repair: ${detail}.`);
  };
  const switches = checkOffSwitches({
    trigger: "comment",
    config: loaded.config,
    pausedBy: deps.controls.pauseOfRepository(fullName)?.pausedBy ?? null,
    pullRequestsLastHour: pullRequestsLastHour(deps, event.installationId),
    hourlyPullRequestCap: deps.maxPullRequestsPerHour,
  });
  if (!switches.act) {
    await refuse(switches.refusal, switches.reason);
    return { decision: switches.decision, reason: switches.reason };
  }
  if (revision) {
    // Each revision has a new head commit, so the per-commit limit counts the attempts made on this fix PR.
    const revisions = deps.requests.countForIssue(fullName, event.issueNumber);
    if (revisions >= loaded.config.limits.attemptsPerCommit) {
      const reason = `this fix pull request already had ${revisions} revision attempt(s); limits.attempts_per_commit is ${loaded.config.limits.attemptsPerCommit}`;
      await refuse("attempts_exhausted", reason);
      return { decision: "attempts_exhausted", reason };
    }
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
      await refuse(started.decision, started.reason);
      break;
    case "onboarding":
      await reply(started.reason);
      break;
    case "dispatched":
      if (started.request)
        await updateRequestComment(octokit, deps, event.repository, started.request, {
          kind: "queued",
          requestId: started.request.id,
          trigger: revision ? "revision of this fix pull request" : "comment",
          commit: headSha,
          requestedBy: event.authorLogin,
        });
      break;
    default:
      break;
  }
  return { decision: started.decision, reason: started.reason };
}
