// The script RFSN's warm vitest process runs: one Vitest instance (the project's own, through `vitest/node`) answering run requests.

/**
 * Written to `<session dir>/rfsn-vitest-warm.mjs` and started with the session's settings (JSON) as its argument:
 * `{ options: string[], vitestScript?: string, reportPath: string }`. It reads one request a line on stdin,
 * `{ files: string[], pattern: string | null }`, and answers one JSON line on fd 3: `{ exitCode, error? }` after
 * vitest's JSON reporter wrote `reportPath`, `{ restart: true }` (then exits) when the config, package.json, a
 * tsconfig or a global setup file changed since start, or `{ initError }` (then exits) when vitest could not start.
 * Before each run every module of the project (not under node_modules) is invalidated in vite's module graphs, so
 * the run transforms the files as they are on disk now, whatever their size or modification time.
 */
export const VITEST_WARM_DRIVER_SOURCE = `// Written by RFSN at run time; runs the project's vitest in run mode, again and again, on request.
import { createHash } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const settings = JSON.parse(process.argv[2] || "{}");
const root = process.cwd();
const answers = createWriteStream(null, { fd: 3 });
const answer = (value, then) => answers.write(JSON.stringify(value) + "\\n", then);

const CONFIG_NAMES = ["vitest.config", "vite.config", "vitest.workspace", "vitest.projects"].flatMap((name) =>
  ["ts", "mts", "cts", "js", "mjs", "cjs", "json"].map((extension) => name + "." + extension),
);
const ROOT_TRIGGERS = [
  ...CONFIG_NAMES,
  "package.json",
  "tsconfig.json",
  "jsconfig.json",
  ".env",
  ".env.local",
  ".env.test",
  ".env.test.local",
];

function vitestEntry() {
  const candidates = [join(root, "package.json")];
  if (settings.vitestScript) candidates.push(resolve(root, settings.vitestScript));
  let firstError;
  for (const from of candidates) {
    try {
      return createRequire(from).resolve("vitest/node");
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}

/** Files whose change makes the running instance stale: they are read once, when vitest starts. */
function restartTriggers(vitest) {
  const files = new Set(ROOT_TRIGGERS.map((name) => join(root, name)));
  const configs = [vitest.vite.config, ...vitest.projects.map((project) => project.vite.config)];
  for (const config of configs) {
    if (config.configFile) files.add(resolve(root, config.configFile));
    for (const dependency of config.configFileDependencies ?? []) files.add(resolve(root, dependency));
  }
  for (const project of vitest.projects) {
    for (const setup of [project.config.globalSetup ?? []].flat()) {
      if (typeof setup === "string" && (isAbsolute(setup) || setup.startsWith("."))) {
        files.add(resolve(project.config.root ?? root, setup));
      }
    }
  }
  return [...files];
}

function fingerprint(files) {
  const hash = createHash("sha1");
  for (const file of files) {
    hash.update(file + "\\0");
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update("<absent>");
    }
    hash.update("\\0");
  }
  return hash.digest("hex");
}

async function start() {
  const api = await import(pathToFileURL(vitestEntry()).href);
  const { options } = api.parseCLI(["vitest", "run", ...(settings.options ?? [])]);
  if (options.exclude) {
    options.cliExclude = [options.exclude].flat();
    delete options.exclude;
  }
  process.env.TEST = "true";
  process.env.VITEST = "true";
  process.env.NODE_ENV ??= "test";
  const vitest = await api.createVitest("test", {
    ...options,
    watch: false,
    run: true,
    standalone: false,
    reporters: ["default", ["json", { outputFile: settings.reportPath }]],
    coverage: { ...(options.coverage ?? {}), enabled: false },
  });
  await vitest.standalone();
  const triggers = restartTriggers(vitest);
  return { vitest, triggers, startPrint: fingerprint(triggers), configPattern: vitest.getGlobalTestNamePattern() };
}

/** Every project module outside node_modules is transformed again on the next run (and re-evaluated by reused workers). */
function invalidateProjectModules(vitest) {
  const files = new Set();
  for (const project of vitest.projects) {
    const environments = [
      ...Object.values(project.vite.environments ?? {}),
      ...Object.values(project.browser?.vite.environments ?? {}),
    ];
    for (const environment of environments) {
      for (const file of environment.moduleGraph.fileToModulesMap.keys()) {
        if (!file.includes("/node_modules/")) files.add(file);
      }
    }
  }
  for (const file of files) {
    vitest.invalidateFile(file);
    vitest.watcher.invalidates.add(file);
  }
}

async function runOnce(state, request) {
  const { vitest } = state;
  invalidateProjectModules(vitest);
  vitest.clearSpecificationsCache();
  const files = Array.isArray(request.files) ? request.files.map(String) : [];
  vitest.filenamePattern = files.length > 0 ? files : undefined;
  if (request.pattern) vitest.setGlobalTestNamePattern(String(request.pattern));
  else if (state.configPattern) vitest.setGlobalTestNamePattern(state.configPattern);
  else vitest.resetGlobalTestNamePattern();
  process.exitCode = undefined;
  let error;
  try {
    const specifications = await vitest.getRelevantTestSpecifications(files);
    await vitest.runTestSpecifications(specifications, false);
  } catch (caught) {
    error = String(caught?.stack ?? caught);
    process.stderr.write(error + "\\n");
    process.exitCode = 1;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { exitCode, ...(error ? { error } : {}) };
}

const started = start().then(
  (state) => ({ state }),
  (error) => ({ initError: String(error?.stack ?? error) }),
);

async function handle(line) {
  const { state, initError } = await started;
  if (initError) {
    process.stderr.write(initError + "\\n");
    answer({ initError }, () => process.exit(1));
    return;
  }
  if (fingerprint(state.triggers) !== state.startPrint) {
    answer({ restart: true }, () => process.exit(0));
    return;
  }
  answer(await runOnce(state, JSON.parse(line)));
}

let queue = Promise.resolve();
createInterface({ input: process.stdin })
  .on("line", (line) => {
    queue = queue.then(() => handle(line)).catch((error) => answer({ exitCode: 1, error: String(error?.stack ?? error) }));
  })
  .on("close", () => process.exit(0));
`;
