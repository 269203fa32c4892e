// Entry of the GitHub Action: wires @actions/core, the Actions cache and artifacts to runAction, and fails once on error.
import { DefaultArtifactClient } from "@actions/artifact";
import * as cache from "@actions/cache";
import * as core from "@actions/core";
import { createOctokit } from "../github/octokit.js";
import { metrics, statusClass } from "../observability/metrics.js";
import { reexecAsRootWhenPossible } from "../runtime/sandbox/root-reexec.js";
import { ActionInputError, readActionInputs, readRunnerContext } from "./inputs.js";
import { runAction } from "./run.js";

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readActionInputs((name) => core.getInput(name));
    if (inputs.step !== "publish") {
      // Not root but passwordless sudo (GitHub-hosted runners): run again as root, so that the tests can be sandboxed.
      // The publish step runs no repository code and stays as it is.
      const rootExitCode = await reexecAsRootWhenPossible();
      if (rootExitCode !== null) {
        process.exitCode = rootExitCode;
        return;
      }
    }
    if (inputs.token) core.setSecret(inputs.token);
    if (inputs.llmApiKey) core.setSecret(inputs.llmApiKey);
    // The inputs' secrets stay in the environment on purpose: /proc/<pid>/environ shows them whatever this process
    // deletes, so the session must see them to refuse running repository code unsandboxed (children get a scrubbed
    // environment; the sandbox keeps repository code away from this process).
    if (!inputs.token && inputs.step !== "repair")
      throw new ActionInputError(
        `input token is empty; the ${inputs.step} step needs a token with contents and pull-requests write access`,
      );
    const context = readRunnerContext(env);
    // Writes are paced as GitHub asks of integrations, except against a server on this machine (tests, proxies).
    const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(`${context.apiUrl}/`);
    // The repair step gets no client at all: it runs repository code and never talks to GitHub with a token.
    const octokit =
      inputs.step === "repair"
        ? null
        : createOctokit({
            token: inputs.token,
            baseUrl: context.apiUrl,
            paceWrites: !loopback,
            onApiCall: (status) =>
              metrics.githubApiCalls.inc({
                status: /^\d+$/.test(status) ? statusClass(Number(status)) : "error",
              }),
          });
    const canUseCache = Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
    const result = await runAction(inputs, context, octokit, {
      info: (message) => core.info(message),
      warning: (message) => core.warning(message),
      setOutput: (name, value) => core.setOutput(name, value),
      writeJobSummary: async (markdown) => {
        if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
      },
      ...(env.ACTIONS_RUNTIME_TOKEN
        ? {
            uploadArtifact: async (name: string, files: string[], rootDir: string) => {
              await new DefaultArtifactClient().uploadArtifact(name, files, rootDir);
            },
          }
        : {}),
      ...(canUseCache
        ? {
            restoreCache: (paths: string[], key: string, restoreKeys: string[]) =>
              cache.restoreCache(paths, key, restoreKeys),
            saveCache: async (paths: string[], key: string) => {
              await cache.saveCache(paths, key);
            },
          }
        : {}),
    });
    core.info(`rfsn: ${result.report.outcome} — ${result.report.outcomeReason}`);
    if (result.report.outcome === "cannot_run")
      core.setFailed(`RFSN could not run the tests: ${result.report.outcomeReason}`);
    else if (result.refused) core.setFailed(`RFSN did not publish the patch: ${result.refused}`);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
