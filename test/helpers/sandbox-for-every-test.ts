// Setup file used with RFSN_TEST_SANDBOX=1: every untrusted process a test file starts runs in an open session sandbox.
import { afterAll, beforeAll } from "vitest";
import { openSessionSandbox } from "../../src/runtime/sandbox/session-sandbox.js";

let release: (() => void) | undefined;

beforeAll(() => {
  const handle = openSessionSandbox();
  release = handle.release;
  if (handle.sandbox.level === "none")
    throw new Error("RFSN_TEST_SANDBOX=1 but this machine gives no sandbox");
});

afterAll(() => release?.());
