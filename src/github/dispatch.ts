// Starts the repair workflow in the repository's own Actions runner through workflow_dispatch.
import type { GitHubClient } from "./octokit.js";
import { githubMessage, statusOf } from "./request-status.js";

export const REPAIR_WORKFLOW_FILE = "rfsn.yml";

export interface WorkflowTarget {
  owner: string;
  repo: string;
  /** File name under `.github/workflows/` (default `rfsn.yml`) or the numeric workflow id. */
  workflowFile?: string;
}

export interface DispatchRequest extends WorkflowTarget {
  ref: string;
  inputs: Record<string, string>;
  /** Ask GitHub for the new run's id (`return_run_details`); a server that does not know the parameter is asked again without it. */
  returnRunDetails?: boolean;
}

export interface DispatchResult {
  /** Present when GitHub returned the run details (newer API); null with the classic 204 answer. */
  runId: number | null;
  runUrl: string | null;
}

export class WorkflowMissingError extends Error {
  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly workflowFile: string,
  ) {
    super(
      `${owner}/${repo} has no workflow .github/workflows/${workflowFile} (or the app cannot see it); add the RFSN workflow to the default branch to enable repairs`,
    );
    this.name = "WorkflowMissingError";
  }
}

export class WorkflowNotDispatchableError extends Error {
  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly workflowFile: string,
    reason: string,
  ) {
    super(
      `cannot dispatch .github/workflows/${workflowFile} in ${owner}/${repo}: ${reason}. The workflow needs an \`on: workflow_dispatch\` trigger with the RFSN inputs, and the ref must exist`,
    );
    this.name = "WorkflowNotDispatchableError";
  }
}

export async function dispatchRepairWorkflow(
  octokit: GitHubClient,
  request: DispatchRequest,
): Promise<DispatchResult> {
  const workflowFile = request.workflowFile ?? REPAIR_WORKFLOW_FILE;
  const dispatch = async (details: boolean) => {
    const response = await octokit.rest.actions.createWorkflowDispatch({
      owner: request.owner,
      repo: request.repo,
      workflow_id: workflowFile,
      ref: request.ref,
      inputs: request.inputs,
      ...(details ? { return_run_details: true } : {}),
    });
    const data = response.data as unknown as { workflow_run_id?: number; html_url?: string } | undefined;
    return { runId: data?.workflow_run_id ?? null, runUrl: data?.html_url ?? null };
  };
  try {
    try {
      return await dispatch(request.returnRunDetails === true);
    } catch (error) {
      // Older GitHub Enterprise Server versions reject the parameter; the run id then comes from workflow_run events.
      if (
        request.returnRunDetails &&
        statusOf(error) === 422 &&
        /return_run_details/i.test(githubMessage(error))
      )
        return await dispatch(false);
      throw error;
    }
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) throw new WorkflowMissingError(request.owner, request.repo, workflowFile);
    if (status === 422)
      throw new WorkflowNotDispatchableError(request.owner, request.repo, workflowFile, githubMessage(error));
    throw error;
  }
}

export async function hasWorkflow(octokit: GitHubClient, target: WorkflowTarget): Promise<boolean> {
  try {
    await octokit.rest.actions.getWorkflow({
      owner: target.owner,
      repo: target.repo,
      workflow_id: target.workflowFile ?? REPAIR_WORKFLOW_FILE,
    });
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
