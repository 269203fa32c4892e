// The script RFSN's warm vitest process runs: one Vitest instance (the project's own, through `vitest/node`) answering run requests.

/**
 * Written to `<session dir>/rfsn-vitest-warm.mjs` and started with the session's settings (JSON) as its argument:
 * `{ options: string[], vitestScript?: string, reportPath: string }`. It reads one request a line on stdin,
 * `{ files: string[], pattern: string | null }`, and answers one JSON line on fd 3: `{ exitCode, error? }` after
 * vitest's JSON reporter wrote `reportPath`, `{ restart: true }` (then exits) when the config, package.json, a
 * tsconfig or a global setup file changed since start, or `{ initError }` (then exits) when vitest could not start.
 * Before each run every module of the project (not under node_modules) is invalidated in vite's module graphs, so
 * the run transforms the files as they are on disk now, whatever their size or modification time.
 *
 * Every run still gets a new worker (process or thread) that never ran a test, as in a cold `vitest run`; only its
 * start is moved out of the run: a project on the `forks` or `threads` pool gets a custom pool (vitest's public
 * `PoolRunnerInitializer`) wrapping vitest's own `ForksPoolWorker`/`ThreadsPoolWorker`, which starts the next run's
 * worker (node start and vitest's worker runtime, ~250 ms) as soon as the current one is done. Projects in the
 * browser, on the vm pools or a custom pool, or with an inspector, keep vitest's pool (see `prewarmableKind`).
 */
export const VITEST_WARM_DRIVER_SOURCE = `// Written by RFSN at run time; runs the project's vitest in run mode, again and again, on request.
import { createHash } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

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

/** The built-in pools whose workers can be started ahead of a run, with the worker class \`vitest/node\` exports for each. */
const PREWARMABLE_POOLS = { forks: "ForksPoolWorker", threads: "ThreadsPoolWorker" };
const INSPECT_FLAG = /^--inspect(-brk|-wait)?(=|$)/;
/** Spare workers, stopped when this process exits (a kill of the session takes its whole process group anyway). */
const spareWorkers = new Set();
process.on("exit", () => {
  for (const worker of spareWorkers) worker.stop().catch(() => undefined);
});

/**
 * The pool (\`forks\` or \`threads\`) of a project whose workers may be started before they are needed, or undefined:
 * browser mode, the vm pools (one worker runs many files), a custom pool, an inspector (a second process would take
 * its port) or a vitest without the pool worker classes keep vitest's own pool.
 */
function prewarmableKind(api, config) {
  const kind = config.pool;
  if (!Object.hasOwn(PREWARMABLE_POOLS, kind) || typeof api[PREWARMABLE_POOLS[kind]] !== "function") return undefined;
  if (config.poolRunner || config.browser?.enabled || config.inspector?.enabled) return undefined;
  if ((config.execArgv ?? []).some((flag) => INSPECT_FLAG.test(flag))) return undefined;
  return kind;
}

/** Whether a worker started with \`earlier\` options runs the same as one vitest would start now with \`options\`. */
function sameLaunch(earlier, options) {
  return (
    earlier.project === options.project &&
    earlier.distPath === options.distPath &&
    isDeepStrictEqual(earlier.execArgv, options.execArgv) &&
    isDeepStrictEqual(earlier.env, options.env)
  );
}

/**
 * A pool runner that hands out vitest's own workers of \`kind\`, each used for one task and stopped like vitest's,
 * but started early: when a worker finished its task, the next one (same project, env and execArgv) is started and
 * waits, having run no test, until vitest asks for a worker. One spare per project; a spare that died is not used.
 */
function prewarmedPool(api, kind) {
  const VitestWorker = api[PREWARMABLE_POOLS[kind]];
  const name = "rfsn-prewarmed-" + kind;
  const spares = new Map();
  const discard = (spare) => {
    spareWorkers.delete(spare.worker);
    spare.spawned.then(() => spare.worker.stop()).catch(() => undefined);
  };
  const pool = {
    name,
    /** The spare for \`options\`, started and alive, or undefined (a spare that does not fit is stopped). */
    take(options) {
      const spare = spares.get(options.project);
      if (!spare) return undefined;
      spares.delete(options.project);
      if (!spare.exited && sameLaunch(spare.options, options)) {
        spareWorkers.delete(spare.worker);
        return spare;
      }
      discard(spare);
      return undefined;
    },
    refill(options) {
      if (spares.has(options.project)) return;
      const spare = { options, worker: new VitestWorker(options), exited: false };
      const exited = () => {
        spare.exited = true;
        spareWorkers.delete(spare.worker);
        if (spares.get(options.project) === spare) spares.delete(options.project);
      };
      // Resolves once the process or thread is spawned; it then loads vitest's worker runtime and waits for work.
      spare.spawned = spare.worker.start().then(() => spare.worker.on("exit", exited));
      spare.spawned.catch(exited);
      spares.set(options.project, spare);
      spareWorkers.add(spare.worker);
    },
    createPoolWorker: (options) => new PrewarmedWorker(pool, VitestWorker, options),
  };
  return pool;
}

/** One of vitest's workers (a spare when one fits, else a new one), started, used and stopped as vitest does. */
class PrewarmedWorker {
  constructor(pool, VitestWorker, options) {
    this.name = pool.name;
    this.pool = pool;
    this.options = options;
    // Not started (no process yet): vitest reads what kind of worker this is before it starts one.
    this.worker = new VitestWorker(options);
  }
  get cacheFs() {
    return this.worker.cacheFs;
  }
  get reportMemory() {
    return this.worker.reportMemory;
  }
  on(event, callback) {
    this.worker.on(event, callback);
  }
  off(event, callback) {
    this.worker.off(event, callback);
  }
  send(message) {
    this.worker.send(message);
  }
  deserialize(data) {
    return this.worker.deserialize(data);
  }
  async start() {
    const spare = this.pool.take(this.options);
    if (spare) await spare.spawned.catch(() => undefined);
    if (spare && !spare.exited) this.worker = spare.worker;
    else await this.worker.start();
    // The next worker starts once this one finished its task (its tests ran), not later when vitest stops it.
    this.worker.on("message", (data) => {
      const message = this.worker.deserialize(data);
      if (message?.__vitest_worker_response__ && message.type === "testfileFinished") this.pool.refill(this.options);
    });
  }
  async stop() {
    this.pool.refill(this.options);
    await this.worker.stop();
  }
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
  for (const project of vitest.projects) {
    const kind = prewarmableKind(api, project.config);
    if (kind) {
      const pool = prewarmedPool(api, kind);
      project.config.pool = pool.name;
      project.config.poolRunner = pool;
    }
  }
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
