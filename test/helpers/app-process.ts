// Test helper: runs `rfsn serve` as a real child process (an esbuild bundle of the serve command) and finds its URL.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "../..");
/** Inside node_modules so that the bundle's bare imports resolve to this checkout's packages. */
const OUT_DIR = join(ROOT, "node_modules/.cache/rfsn-tests");

let built: Promise<string> | null = null;

/** Bundles a tiny entry that calls `runServeCommand` (once per test process). */
export function buildServeEntry(): Promise<string> {
  built ??= (async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    const outfile = join(OUT_DIR, `serve-${process.pid}.mjs`);
    await build({
      stdin: {
        contents: [
          'import { runServeCommand } from "./src/cli/commands/serve.ts";',
          'const io = { stdout: (text) => process.stdout.write(text + "\\n"), stderr: (text) => process.stderr.write(text + "\\n") };',
          "process.exitCode = await runServeCommand([], io);",
        ].join("\n"),
        resolveDir: ROOT,
        sourcefile: "serve-entry.ts",
        loader: "ts",
      },
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      packages: "external",
      logLevel: "error",
    });
    return outfile;
  })();
  return built;
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string | null>;
}

/** Starts `rfsn serve` with `env` (plus PATH/HOME) and waits for its "listening" line. */
export async function startAppProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<AppProcess> {
  const entry = await buildServeEntry();
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const exited = new Promise<number | string | null>((resolvePromise) =>
    child.on("exit", (code, signal) => resolvePromise(signal ?? code)),
  );
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`rfsn serve did not start:\n${text}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`rfsn serve exited (${code}) before listening:\n${text}`));
    });
  });
  return { child, url, output: () => text, exited };
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}
