// Finds the RFSN repair workflow template (`.github/workflows/rfsn.yml` shipped with RFSN) for onboarding pull requests.
import { readFileSync } from "node:fs";

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
