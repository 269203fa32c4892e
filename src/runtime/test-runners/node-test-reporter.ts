// The custom `node --test` reporter RFSN loads from a temporary file: one JSON line per started, passed or failed test (and per test file started).

/** Written to `<report dir>/rfsn-node-reporter.mjs`; its destination is a JSON-lines file read by the node-test adapter. */
export const NODE_TEST_REPORTER_SOURCE = `// Written by RFSN at run time; streams node:test events as JSON lines.
export default async function* rfsnReporter(source) {
  for await (const event of source) {
    const data = event.data ?? {};
    // Node 20 reports a file's tests only once its process ends: a file dequeued without them never finished.
    if (event.type === "test:dequeue" && data.file && data.name === data.file) {
      yield JSON.stringify({ type: "file:dequeue", file: data.file }) + "\\n";
      continue;
    }
    if (event.type !== "test:start" && event.type !== "test:pass" && event.type !== "test:fail") continue;
    const details = data.details ?? {};
    const record = {
      type: event.type,
      name: String(data.name ?? ""),
      nesting: Number(data.nesting ?? 0),
      file: data.file ?? null,
      line: data.line ?? null,
      skip: data.skip !== undefined && data.skip !== false ? String(data.skip) : null,
      todo: data.todo !== undefined && data.todo !== false,
      suite: details.type === "suite",
      durationMs: typeof details.duration_ms === "number" ? details.duration_ms : null,
    };
    const error = details.error;
    if (error) {
      const cause = error.cause ?? error;
      record.failureType = error.failureType ?? null;
      record.message = String(cause && typeof cause === "object" && "message" in cause ? cause.message : cause);
      record.stack = String((cause && typeof cause === "object" && cause.stack) || error.stack || "");
    }
    yield JSON.stringify(record) + "\\n";
  }
}
`;
