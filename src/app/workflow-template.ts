// Finds the RFSN repair workflow template (`.github/workflows/rfsn.yml` shipped with RFSN) for onboarding pull requests.
import { readFileSync } from "node:fs";

/**
 * How the template's jobs reference the RFSN Action (`uses:`), the one place to change when the Action is published
 * under another name; test/unit/workflow-template.test.ts checks that every RFSN step of the template uses it.
 */
export const RFSN_ACTION_REFERENCE = "rfsn/rfsn@v1";

const CANDIDATES = [
  "../../.github/workflows/rfsn.yml",
  "../../../.github/workflows/rfsn.yml",
  "../.github/workflows/rfsn.yml",
];

/** The template text; throws with the paths tried when the file is not next to the installed RFSN. */
export function loadRepairWorkflowTemplate(from: string = import.meta.url): string {
  for (const candidate of CANDIDATES) {
    try {
      return readFileSync(new URL(candidate, from), "utf8");
    } catch {
      // try the next layout (source tree, compiled tree, bundle)
    }
  }
  throw new Error(
    `cannot find the RFSN workflow template .github/workflows/rfsn.yml next to ${from}; reinstall RFSN or copy the file back`,
  );
}
