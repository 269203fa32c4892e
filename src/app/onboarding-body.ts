// Writes the onboarding pull request's body: what each part of the proposed workflow does and how to turn RFSN off.
import type { DetectedStack } from "../core/stack-detection.js";
import type { WorkflowStep } from "../core/workflow-setup-steps.js";

export interface OnboardingBodyInput {
  workflowPath: string;
  configPath: string;
  /** Whether the config file is part of this pull request (it is left alone when the repository has one). */
  addsConfig: boolean;
  /** The detection's answer, or why nothing was detected. */
  detection: { stack: DetectedStack; steps: readonly WorkflowStep[] } | { problem: string };
}

/** The markdown body; every claim in it is about the two files the pull request adds. */
export function onboardingBody(input: OnboardingBodyInput): string {
  const lines = [
    "This pull request sets up **RFSN**, which repairs failing CI by proposing small, tested patches as pull requests.",
    "",
    "**Nothing runs until you merge it.** The workflow below only starts on `workflow_dispatch`, which the RFSN App sends when CI fails on a watched branch or someone with write access comments `/rfsn fix`.",
    "",
    `### \`${input.workflowPath}\`, part by part`,
    "",
    "- `on: workflow_dispatch` with inputs: the App fills them (the branch and the exact commit that failed, the failing run, who asked). Nothing else starts this workflow: not pushes, not pull requests from forks.",
    "- `permissions: {}` at the top, then per job: the **repair** job can only read the code (`contents: read`, `actions: read`) and prove who it is to the App (`id-token: write`); it runs your tests, so it never holds a token that can write.",
    "- `actions/checkout` checks out the failing commit with `persist-credentials: false`, so no token is left in `.git/config` for your test code to find.",
  ];
  if ("stack" in input.detection) {
    const { stack, steps } = input.detection;
    lines.push(
      `- The set-up steps under \`# rfsn:setup-steps\` were chosen for this repository (${stack.language}, ${stack.packageManager}); detected from: ${stack.reasons.join("; ")}.`,
      ...steps.map((step) => `  - **${step.name}**: ${step.why}`),
    );
  } else {
    lines.push(
      `- \`# rfsn:setup-steps\`: RFSN could not detect how to install this repository's dependencies (${input.detection.problem}). Add your set-up and install steps at that line, and set \`test_command\` in \`${input.configPath}\`.`,
    );
  }
  lines.push(
    "- The RFSN step with `step: repair` reproduces the failure, proposes patches, passes each through the safety gate, verifies it against your tests and uploads the result as the `rfsn-repair` artifact.",
    "- The **publish** job (only when `publisher` is `action`) takes that artifact, checks it again, and opens the fix pull request with the workflow's token. With the App installed, the App publishes instead and this job is skipped.",
    "",
  );
  if (input.addsConfig) {
    lines.push(
      `### \`${input.configPath}\``,
      "",
      "Every setting at its default, commented" +
        ("stack" in input.detection
          ? `, with \`test_command: ${JSON.stringify(input.detection.stack.testCommand)}\` as detected.`
          : "."),
      "",
    );
  }
  lines.push(
    "### Turning RFSN off",
    "",
    `- Close this pull request: RFSN stays idle here and does not open it again.`,
    `- After merging: set \`enabled: false\` in \`${input.configPath}\` (or \`auto_repair: false\` to repair only on \`/rfsn fix\`), disable the "RFSN repair" workflow in the Actions tab, delete \`${input.workflowPath}\`, or remove the repository from the App's installation.`,
    "",
    'If you use Action-only mode (no App), allow workflows to open pull requests: Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests". Pull requests opened with the workflow token do not start CI themselves; docs/install.md says how to get CI on them.',
  );
  return lines.join("\n");
}
