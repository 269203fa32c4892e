// Entry of the GitHub Action: wires @actions/core, the Actions cache and artifacts to runAction, and fails once on error.

import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as cache from "@actions/cache";
import * as core from "@actions/core";
import { createOctokit } from "../github/octokit.js";
import { metrics, statusClass } from "../observability/metrics.js";
import { handBackToInvokingUser, reexecAsRootWhenPossible } from "../runtime/sandbox/root-reexec.js";
import { ActionInputError, readActionInputs, readRunnerContext } from "./inputs.js";
import { runAction } from "./run.js";

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readActionInputs((name) => core.getInput(name));
    // Steps that run repository code need root to sandbox it: on a runner with passwordless sudo (GitHub-hosted),
    // the same entry runs again as root and this process only passes its exit code on.
    if (inputs.step !== "publish") {
      const exitCode = await reexecAsRootWhenPossible();
      if (exitCode !== null) {
        process.exitCode = exitCode;
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
    // Whatever happens, what a root re-execution wrote goes back to the runner's user (later steps clean it up).
    const handBack = async () =>
      handBackToInvokingUser([join(context.workspace, ".git"), ...(await rfsnEntries(context.tempDir))], env);
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
    }).finally(handBack);
    core.info(`rfsn: ${result.report.outcome} — ${result.report.outcomeReason}`);
    if (result.report.outcome === "cannot_run")
      core.setFailed(`RFSN could not run the tests: ${result.report.outcomeReason}`);
    else if (result.refused) core.setFailed(`RFSN did not publish the patch: ${result.refused}`);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** What RFSN wrote in the runner's temporary directory (outcome memory, audit log, artifact files). */
async function rfsnEntries(tempDir: string): Promise<string[]> {
  const names = await readdir(tempDir).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith("rfsn-")).map((name) => join(tempDir, name));
}
