// The Probot application function: one guarded handler per event (payload checks, metrics, logs; the server dedupes deliveries).
import type { Octokit } from "@octokit/rest";
import type { ApplicationFunction, Probot } from "probot";
import { requestLogger } from "../observability/logger.js";
import { boundedLabel, metrics } from "../observability/metrics.js";
import { withSpan } from "../observability/tracing.js";
import type { AppDependencies } from "./app-dependencies.js";
import { type HandlerOutcome, handleCheckSuite, handleWorkflowRun } from "./ci-failure-handler.js";
import { handleIssueComment } from "./comment-handler.js";
import { handleInstallation } from "./installation-handler.js";
import {
  readCheckSuiteEvent,
  readInstallationEvent,
  readIssueCommentEvent,
  readWorkflowRunEvent,
} from "./webhook-payloads.js";

export const HANDLED_EVENTS = [
  "workflow_run",
  "check_suite",
  "issue_comment",
  "installation",
  "installation_repositories",
] as const;
const KNOWN_ACTIONS = [
  "completed",
  "requested",
  "in_progress",
  "rerequested",
  "created",
  "edited",
  "deleted",
  "added",
  "removed",
  "none",
];

/** The parts of a Probot context the App uses (kept structural so handlers stay independent of Probot's generics). */
export interface WebhookContext {
  id: string;
  name: string;
  payload: unknown;
  octokit: unknown;
}

type Reader<T> = (payload: unknown) => T | null;
type Handler<T> = (octokit: Octokit, deps: AppDependencies, event: T) => Promise<HandlerOutcome>;

function actionOf(payload: unknown): string {
  const action =
    typeof payload === "object" && payload !== null ? (payload as { action?: unknown }).action : undefined;
  return typeof action === "string" ? action : "none";
}

/** Runs one handler for one delivery (already deduplicated by the server): never throws, records the decision and the duration. */
export async function processDelivery<T>(
  deps: AppDependencies,
  context: WebhookContext,
  read: Reader<T>,
  handle: Handler<T>,
): Promise<HandlerOutcome> {
  const started = performance.now();
  const log = requestLogger(deps.logger, context.id);
  let outcome: HandlerOutcome;
  try {
    outcome = await withSpan(
      "rfsn.webhook",
      { event: context.name, action: actionOf(context.payload) },
      async () => {
        const event = read(context.payload);
        if (event === null)
          return {
            decision: "ignored_event" as const,
            reason: "payload not understood (malformed or irrelevant action)",
          };
        // Probot's installation Octokit has the same REST surface as @octokit/rest: typed boundary.
        return handle(context.octokit as Octokit, deps, event);
      },
    );
  } catch (error) {
    log.error({ err: error, event: context.name }, "webhook handling failed");
    outcome = { decision: "error", reason: error instanceof Error ? error.message : String(error) };
  }
  metrics.appDecisions.inc({ result: outcome.decision });
  metrics.appWebhookDuration.observe((performance.now() - started) / 1000);
  log.info(
    {
      event: context.name,
      action: actionOf(context.payload),
      decision: outcome.decision,
      reason: outcome.reason,
    },
    "webhook handled",
  );
  return outcome;
}

export function createRfsnApp(deps: AppDependencies): ApplicationFunction {
  return (app: Probot) => {
    app.onAny(async (context) => {
      metrics.appWebhooks.inc({
        event: boundedLabel(context.name, HANDLED_EVENTS, "other"),
        action: boundedLabel(actionOf(context.payload), KNOWN_ACTIONS, "other"),
      });
    });
    const on = <T>(name: (typeof HANDLED_EVENTS)[number], read: Reader<T>, handle: Handler<T>) => {
      app.on(name, async (context) => {
        await processDelivery(deps, context as unknown as WebhookContext, read, handle);
      });
    };
    on("workflow_run", readWorkflowRunEvent, handleWorkflowRun);
    on("check_suite", readCheckSuiteEvent, handleCheckSuite);
    on("issue_comment", readIssueCommentEvent, handleIssueComment);
    on("installation", readInstallationEvent, handleInstallation);
    on("installation_repositories", readInstallationEvent, handleInstallation);
  };
}
