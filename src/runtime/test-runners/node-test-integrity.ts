// A preload for node --test processes that freezes the assertion modules, so code under test cannot replace assertions.

/**
 * Loaded with `--import` before any test file (node --test passes it on to each test file's process). The objects
 * `node:assert` and `node:assert/strict` export are shared by `import` and `require`; once frozen, an assignment
 * such as `assert.equal = () => {}` from source code throws in strict code (ES modules) and does nothing in sloppy
 * code, so the assertions the tests evaluate are the real ones. Honest tests never assign to these objects.
 */
export const NODE_TEST_INTEGRITY_SOURCE = `// Written by RFSN at run time: freezes the assertion modules before any test code runs.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
for (const name of ["node:assert", "node:assert/strict"]) {
  const exported = require(name);
  Object.freeze(exported);
  if (exported.strict) Object.freeze(exported.strict);
  if (exported.AssertionError) Object.freeze(exported.AssertionError.prototype);
}
`;
