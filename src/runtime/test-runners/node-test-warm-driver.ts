// The script RFSN's warm node:test process runs: each requested test file in a fresh worker thread of its own.

/**
 * Written to a temporary file and started as `node <driver>`. It reads one request a line on stdin,
 * `{ runs: [{ file, execArgv }] }`, runs the files one after another, each in a new worker thread (its own module
 * graph, globals and node:test harness, so nothing carries over from run to run; about a third of the CPU of a new
 * process), copies their output, and answers one JSON line on fd 3: `{ exitCode, error? }`.
 */
export const NODE_TEST_WARM_DRIVER_SOURCE = `// Written by RFSN at run time; runs node:test files in worker threads on request.
import { createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { once } from "node:events";
import { Worker } from "node:worker_threads";

const answers = createWriteStream(null, { fd: 3 });
const answer = (value) => answers.write(JSON.stringify(value) + "\\n");

async function runFile(run) {
  const worker = new Worker(run.file, { execArgv: run.execArgv, argv: [], stdout: true, stderr: true });
  const copied = [
    [worker.stdout, process.stdout],
    [worker.stderr, process.stderr],
  ].map(([from, to]) => {
    from.on("data", (chunk) => to.write(chunk));
    return once(from, "end").catch(() => {});
  });
  let error;
  worker.on("error", (cause) => {
    error = String(cause?.stack ?? cause);
  });
  const [exitCode] = await once(worker, "exit");
  await Promise.all(copied);
  return { exitCode: error ? 1 : exitCode, error };
}

async function handle(line) {
  const request = JSON.parse(line);
  let exitCode = 0;
  for (const run of request.runs) {
    const result = await runFile(run);
    if (result.error) return answer({ exitCode: 1, error: result.error });
    if (result.exitCode !== 0) exitCode = result.exitCode;
  }
  answer({ exitCode });
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on("line", (line) => {
  queue = queue.then(() => handle(line)).catch((error) => answer({ exitCode: 1, error: String(error?.stack ?? error) }));
});
`;
