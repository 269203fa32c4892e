// The repair workflow template has the shape of the CONTRACT: a read-only repair job, a publish job that checks nothing out.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadRepairWorkflowTemplate, RFSN_ACTION_REFERENCE } from "../../src/app/workflow-template.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string;
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { workflow_dispatch: { inputs: Record<string, { required?: boolean; default?: string }> } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = loadRepairWorkflowTemplate();
/** The workflow expression that passes the failing commit along (an Actions expression, not a JS template). */
const FAILING_COMMIT_EXPRESSION = ["$", "{{ inputs.failing-commit }}"].join("");
const workflow = parse(text) as Workflow;
const actionInputs = Object.keys(
  (parse(readFileSync("action.yml", "utf8")) as { inputs: Record<string, unknown> }).inputs,
);

function rfsnStep(job: Job | undefined): Step {
  const steps = (job?.steps ?? []).filter((step) => step.uses === RFSN_ACTION_REFERENCE);
  expect(steps).toHaveLength(1);
  return steps[0] as Step;
}

describe("the repair workflow template", () => {
  it("is dispatched with the failing commit as a required input and grants nothing at the top level", () => {
    const inputs = workflow.on.workflow_dispatch.inputs;
    expect(Object.keys(inputs).sort()).toEqual(
      [
        "base-branch",
        "comment-target",
        "failed-run-id",
        "failing-commit",
        "llm",
        "max-iterations",
        "publisher",
        "ref",
        "request-id",
        "test-command",
        "trigger",
      ].sort(),
    );
    expect(inputs["failing-commit"]?.required).toBe(true);
    expect(inputs.publisher?.default).toBe("action");
    expect(workflow.permissions).toEqual({});
  });

  it("repairs in a job that can read only, checks out the failing commit without credentials, and never publishes", () => {
    const repair = workflow.jobs.repair;
    expect(repair?.permissions).toEqual({ contents: "read", actions: "read", "id-token": "write" });
    const checkout = repair?.steps.find((step) => step.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with).toEqual({ ref: FAILING_COMMIT_EXPRESSION, "persist-credentials": false });
    expect(text).toMatch(/^ {6}# rfsn:setup-steps$/m);
    const step = rfsnStep(repair);
    expect(step.with?.step).toBe("repair");
    expect(step.with?.["failing-commit"]).toBe(FAILING_COMMIT_EXPRESSION);
    expect(step.with?.token).toBeUndefined();
  });

  it("publishes in a second job with write access that checks nothing out, on the same failing commit", () => {
    const publish = workflow.jobs.publish;
    expect(publish?.needs).toBe("repair");
    expect(publish?.if).toBe("inputs.publisher == 'action'");
    expect(publish?.permissions).toEqual({
      contents: "write",
      "pull-requests": "write",
      issues: "write",
      actions: "read",
    });
    expect(publish?.steps.some((step) => step.uses?.startsWith("actions/checkout@") || step.run)).toBe(false);
    const step = rfsnStep(publish);
    expect(step.with?.step).toBe("publish");
    expect(step.with?.["failing-commit"]).toBe(FAILING_COMMIT_EXPRESSION);
  });

  it("passes only inputs the Action declares, and references the Action in one way", () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const name of Object.keys(rfsnStep(job).with ?? {})) expect(actionInputs).toContain(name);
    }
    const references = [...text.matchAll(/uses: (\S+)/g)].map((match) => match[1]);
    expect(references.filter((reference) => !reference?.startsWith("actions/"))).toEqual([
      RFSN_ACTION_REFERENCE,
      RFSN_ACTION_REFERENCE,
    ]);
  });
});
