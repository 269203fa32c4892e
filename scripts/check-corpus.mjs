// Checks every repair-corpus bug: the buggy project fails its tests, the known fix makes them pass, hidden tests pass too.
// Usage: node scripts/check-corpus.mjs [bug-id ...]
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpusRoot = join(repoRoot, "bench", "corpus");
const vitestEntry = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
const RUN_TIMEOUT_MS = 120_000;

const LANGUAGES = {
  python: { testCommand: "python3 -m pytest -q", testDirs: ["tests"] },
  javascript: { testCommand: "node --test", testDirs: ["test"] },
  typescript: { testCommand: "npx vitest run", testDirs: ["test"] },
};

const DEFECT_CLASSES = new Set([
  "binary_operator",
  "off_by_one",
  "negate_condition",
  "condition_clause",
  "add_guard",
  "swap_operands",
  "replace_identifier",
  "replace_constant",
  "replace_call",
  "wrap_call",
  "mutate_return",
  "add_call_or_return",
  "recursive_call",
  "slice_bounds",
  "swap_statements",
  "delete_statement",
  "insert_statement",
  "replace_property",
]);

const GENERATED_PARTS = /(^|\/)(node_modules|__pycache__|\.pytest_cache|\.benchmarks|\.git|\.vite)(\/|$)/;
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Number of passing tests that a runner's summary reports, or null when it prints no summary. */
function passedCount(output) {
  const text = output.replace(ANSI_ESCAPE, "");
  const match = /# pass (\d+)/.exec(text) ?? /(\d+) passed/.exec(text);
  return match ? Number(match[1]) : null;
}

/** Turns a bug's test command into the argv that is actually run (vitest is run from RFSN's own node_modules). */
function commandArgv(testCommand) {
  const words = testCommand.split(" ").filter((word) => word.length > 0);
  if (words[0] === "npx" && words[1] === "vitest") return [process.execPath, vitestEntry, ...words.slice(2)];
  if (words[0] === "node") return [process.execPath, ...words.slice(1)];
  return words;
}

/** A buggy project's tests still running after this many seconds hang (the bug is an endless loop). */
const HANG_SECONDS = 30;
/** Exit statuses of coreutils `timeout` when it stopped the command (with SIGKILL: 128 + 9; `timeout` may be killed
 * with its process group too, then the status is null and the signal SIGKILL). */
const TIMED_OUT_STATUSES = new Set([124, 137]);

/**
 * Runs a command; with `hangSeconds`, under coreutils `timeout`, which kills the command's whole process group
 * (a test runner's children too) once that time has passed.
 */
function run(argv, cwd, hangSeconds) {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const [command, ...args] = hangSeconds ? ["timeout", "--signal=KILL", String(hangSeconds), ...argv] : argv;
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    timeout: RUN_TIMEOUT_MS,
    maxBuffer: 32 << 20,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  return { exitCode: result.status, signal: result.signal, output, error: result.error?.message };
}

function tail(text, lines = 15) {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function listFiles(dir, prefix = "") {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(join(dir, entry.name), relative));
    else files.push(relative);
  }
  return files;
}

/** Returns the problems found in bug.json and fix.patch without running anything. */
function staticProblems(id, dir, bug, patch) {
  const problems = [];
  if (bug.id !== id) problems.push(`bug.json id "${bug.id}" differs from its folder name`);
  const language = LANGUAGES[bug.language];
  if (!language) problems.push(`unknown language "${bug.language}"`);
  else if (bug.testCommand !== language.testCommand)
    problems.push(`testCommand should be "${language.testCommand}" for ${bug.language}`);
  if (!DEFECT_CLASSES.has(bug.defectClass)) problems.push(`unknown defectClass "${bug.defectClass}"`);
  if (bug.locations !== 1 && bug.locations !== 2) problems.push("locations must be 1 or 2");
  if (typeof bug.description !== "string" || bug.description.length < 10)
    problems.push("description is missing");
  const hunks = patch.split("\n").filter((line) => line.startsWith("@@ ")).length;
  if (hunks !== bug.locations)
    problems.push(`fix.patch has ${hunks} hunk(s) but locations is ${bug.locations}`);
  const touched = patch
    .split("\n")
    .filter((line) => line.startsWith("+++ b/"))
    .map((line) => line.slice(6));
  if (touched.length === 0) problems.push("fix.patch touches no file");
  const testDirs = language?.testDirs ?? [];
  for (const path of touched) {
    if (testDirs.some((testDir) => path.startsWith(`${testDir}/`)))
      problems.push(`fix.patch edits test file ${path}`);
    if (!existsSync(join(dir, "project", path)))
      problems.push(`fix.patch edits ${path}, which is not in project/`);
  }
  const leftovers = listFiles(join(dir, "project")).filter((path) => GENERATED_PARTS.test(path));
  if (leftovers.length > 0)
    problems.push(`project/ holds generated files: ${leftovers.slice(0, 3).join(", ")}`);
  if (!existsSync(join(dir, "hidden"))) problems.push("hidden/ is missing");
  else {
    const hiddenFiles = listFiles(join(dir, "hidden"));
    if (hiddenFiles.length === 0) problems.push("hidden/ is empty");
    for (const path of hiddenFiles)
      if (existsSync(join(dir, "project", path)))
        problems.push(`hidden/${path} would overwrite a visible file`);
  }
  return problems;
}

function checkBug(id) {
  const dir = join(corpusRoot, id);
  const started = Date.now();
  let bug;
  let patch;
  try {
    bug = JSON.parse(readFileSync(join(dir, "bug.json"), "utf8"));
    patch = readFileSync(join(dir, "fix.patch"), "utf8");
  } catch (error) {
    return { id, problems: [`cannot read bug.json or fix.patch: ${error.message}`] };
  }
  const problems = staticProblems(id, dir, bug, patch);
  if (problems.length > 0) return { id, bug, problems };

  const work = mkdtempSync(join(tmpdir(), `rfsn-corpus-${id}-`));
  try {
    cpSync(join(dir, "project"), work, { recursive: true });
    if (bug.language === "typescript")
      symlinkSync(join(repoRoot, "node_modules"), join(work, "node_modules"), "dir");
    const argv = commandArgv(bug.testCommand);

    const buggy = run(argv, work, HANG_SECONDS);
    // A bug that is an endless loop fails its tests by hanging: the runner is killed before its summary.
    const hangs = TIMED_OUT_STATUSES.has(buggy.exitCode) || buggy.signal === "SIGKILL";
    if (buggy.error) problems.push(`buggy run could not start: ${buggy.error}`);
    else if (buggy.exitCode === 0) problems.push("visible tests PASS on the buggy project (they must fail)");
    else if (!hangs && !passedCount(buggy.output))
      problems.push(
        `no visible test passes on the buggy project (crash or collection error?):\n${tail(buggy.output)}`,
      );

    const git = (...args) =>
      run(["git", "-c", "user.email=corpus@rfsn.local", "-c", "user.name=corpus", ...args], work);
    git("init", "-q");
    const applied = git("apply", "--whitespace=nowarn", join(dir, "fix.patch"));
    if (applied.exitCode !== 0) {
      problems.push(`git apply fix.patch failed: ${tail(applied.output, 5)}`);
      return { id, bug, problems, ms: Date.now() - started };
    }

    const fixed = run(argv, work);
    if (fixed.exitCode !== 0) problems.push(`visible tests FAIL with the fix:\n${tail(fixed.output)}`);

    cpSync(join(dir, "hidden"), work, { recursive: true });
    const hidden = run(argv, work);
    if (hidden.exitCode !== 0) problems.push(`hidden tests FAIL with the fix:\n${tail(hidden.output)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { id, bug, problems, ms: Date.now() - started };
}

function main() {
  if (!existsSync(corpusRoot)) {
    console.error(`no corpus at ${corpusRoot}`);
    process.exit(1);
  }
  const requested = process.argv.slice(2);
  const ids =
    requested.length > 0
      ? requested
      : readdirSync(corpusRoot)
          .filter((name) => statSync(join(corpusRoot, name)).isDirectory())
          .sort();
  const counts = { python: 0, javascript: 0, typescript: 0 };
  let failed = 0;
  for (const id of ids) {
    const result = checkBug(id);
    const label = result.bug
      ? `${result.bug.language}/${result.bug.defectClass}/${result.bug.locations}`
      : "?";
    const seconds = ((result.ms ?? 0) / 1000).toFixed(1);
    if (result.problems.length === 0) {
      console.log(`ok   ${id} (${label}, ${seconds}s)`);
      if (result.bug.language in counts) counts[result.bug.language] += 1;
    } else {
      failed += 1;
      console.log(`FAIL ${id} (${label}, ${seconds}s)`);
      for (const problem of result.problems) console.log(`     - ${problem.replaceAll("\n", "\n       ")}`);
    }
  }
  console.log(
    `corpus check: ${ids.length - failed}/${ids.length} bugs ok ` +
      `(python ${counts.python}, javascript ${counts.javascript}, typescript ${counts.typescript}), ${failed} failing`,
  );
  process.exit(failed > 0 ? 1 : 0);
}

main();
