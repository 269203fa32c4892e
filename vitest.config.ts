// Test configuration: one suite for unit, integration and end-to-end tests, with v8 coverage enforced over src/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // RFSN_TEST_SANDBOX=1 runs every untrusted process of the chosen test files sandboxed (see SECURITY.md).
    setupFiles: process.env.RFSN_TEST_SANDBOX === "1" ? ["test/helpers/sandbox-for-every-test.ts"] : [],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 80 },
    },
  },
});
