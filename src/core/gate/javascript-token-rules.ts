// Content rules for JavaScript and TypeScript on the tokens of added code: eval and the Function constructor however reached, module internals, process, test-run detection, framework patching.
import {
  at,
  chainStart,
  frameworkAliases,
  indexesWithComputedKey,
  isAliased,
  isMethodDefinition,
  JS_ASSERT_MODULES,
  JS_TEST_MODULES,
  jsModuleAt,
  TEST_RUN_MARKERS,
  type TokenFinding,
  type Walker,
  writesFiles,
} from "./token-walker.js";

const JS_FORBIDDEN_MODULES = new Set([
  "child_process",
  "vm",
  "worker_threads",
  "cluster",
  "net",
  "tls",
  "dgram",
  "dns",
  "http",
  "https",
  "http2",
  "inspector",
  "module",
  "wasi",
  "repl",
  "v8",
  "trace_events",
  "execa",
  "shelljs",
  "zx",
  "cross-spawn",
  "node-pty",
  "axios",
  "got",
  "node-fetch",
  "undici",
  "superagent",
  "request",
  "ws",
  "ky",
]);

const JS_GLOBAL_OBJECTS = new Set([
  "process",
  "globalThis",
  "global",
  "window",
  "self",
  "module",
  "require",
  "Reflect",
]);

/** Members of `process` that end the run, change its status or reach native code. */
const PROCESS_EXIT_MEMBERS = new Set(["exit", "exitCode", "reallyExit", "abort", "kill", "_kill"]);

const PROCESS_NATIVE_MEMBERS = new Set([
  "binding",
  "_linkedBinding",
  "dlopen",
  "mainModule",
  "getBuiltinModule",
  "_getActiveHandles",
  "openStdin",
  "env",
]);

export function javascriptRules(walker: Walker, path: string, inTestFile: boolean): TokenFinding | null {
  const { tokens } = walker;
  const aliases = frameworkAliases(walker, "javascript");
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token || walker.added(i) === undefined) continue;
    const value = token.value;
    if (token.kind === "string") {
      if (TEST_RUN_MARKERS.has(value))
        return at(walker, path, i, "test_tampering", `detects the test run (reads the marker "${value}")`);
      if (/\.(?:[cm]?js|node|ts)$/.test(value) && writesFiles(walker)) {
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          `writes a file that Node may load as code ("${value}")`,
        );
      }
      continue;
    }
    if (token.kind === "punct") {
      if (
        value === "[" &&
        (walker.punct(i - 1, "]") ||
          walker.name(i - 1) ||
          walker.punct(i - 1, ")") ||
          walker.punct(i - 1, "?."))
      ) {
        const end = walker.skipGroup(i);
        for (let j = i + 1; j < end; j += 1) {
          const literal = walker.str(j);
          if (literal && (literal.computed || walker.punct(j + 1, "+") || walker.punct(j - 1, "+"))) {
            return at(
              walker,
              path,
              i,
              "forbidden_pattern",
              "reads a member whose name is built from strings (computed member)",
            );
          }
          if (
            literal &&
            /^(?:constructor|__proto__|prototype|eval|Function|binding|exit|exitCode|reallyExit|mainModule|_load)$/.test(
              literal.value,
            )
          ) {
            return at(
              walker,
              path,
              i,
              "forbidden_pattern",
              `reads the member "${literal.value}" by a string name`,
            );
          }
        }
      }
      if (value === "&&" && walker.name(i + 1, "false"))
        return at(walker, path, i, "test_tampering", "adds a condition that is never true (`&& false`)");
      if (
        value === "}" &&
        walker.punct(i + 1, "=") &&
        !(walker.v(i + 2) === "require" && walker.punct(i + 3, "(")) &&
        (JS_GLOBAL_OBJECTS.has(walker.v(i + 2)) || walker.name(i + 2, "fetch"))
      ) {
        return at(walker, path, i, "forbidden_pattern", `destructures ${walker.v(i + 2)}`);
      }
      continue;
    }
    const afterDot = walker.punct(i - 1, ".") || walker.punct(i - 1, "?.");
    const object = afterDot ? walker.v(i - 2) : "";
    if (TEST_RUN_MARKERS.has(value))
      return at(walker, path, i, "test_tampering", `detects the test run (reads ${value})`);
    if (value === "vitest" && afterDot && object === "meta") {
      return at(walker, path, i, "test_tampering", "changes an in-source test block (import.meta.vitest)");
    }
    const module = jsModuleAt(walker, i);
    if (module) {
      const bare = module.name.replace(/^node:/, "").replace(/\/promises$/, "");
      if (JS_FORBIDDEN_MODULES.has(bare))
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          `imports ${module.name}, which can start processes, open connections or load code`,
        );
      if (!inTestFile && JS_TEST_MODULES.has(bare))
        return at(
          walker,
          path,
          i,
          "test_tampering",
          `imports the test framework ${module.name} into source code`,
        );
      if (
        bare === "process" &&
        module.bindings.some((name) => PROCESS_EXIT_MEMBERS.has(name) || PROCESS_NATIVE_MEMBERS.has(name))
      ) {
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          "imports process internals (exit, binding, env) by name",
        );
      }
    }
    if (
      !afterDot &&
      (value === "eval" ||
        value === "Function" ||
        value === "AsyncFunction" ||
        value === "GeneratorFunction" ||
        value === "execScript")
    ) {
      const typePosition =
        /^(?::|\||&|<|extends|implements|instanceof|as|satisfies|keyof)$/.test(walker.v(i - 1)) ||
        walker.punct(i + 1, ">") ||
        (walker.punct(i + 1, "[") && walker.punct(i + 2, "]"));
      const propertyKey = walker.punct(i + 1, ":") && (walker.punct(i - 1, "{") || walker.punct(i - 1, ","));
      if (!typePosition && !propertyKey)
        return at(walker, path, i, "forbidden_pattern", `refers to ${value}, which runs code from a string`);
    }
    if (
      afterDot &&
      (value === "eval" || value === "Function") &&
      /^(?:globalThis|window|global|self)$/.test(object)
    ) {
      return at(walker, path, i, "forbidden_pattern", `refers to ${object}.${value}`);
    }
    if (
      value === "getBuiltinModule" ||
      value === "createRequire" ||
      value === "_linkedBinding" ||
      value === "dlopen" ||
      value === "reallyExit"
    ) {
      return at(
        walker,
        path,
        i,
        "forbidden_pattern",
        `uses ${value}, which loads modules or native code outside the import graph`,
      );
    }
    if (!afterDot && value === "constructor" && !isMethodDefinition(walker, i)) {
      return at(
        walker,
        path,
        i,
        "forbidden_pattern",
        "takes a constructor by destructuring (for a function, the Function constructor)",
      );
    }
    if (
      !afterDot &&
      value === "require" &&
      !walker.punct(i + 1, "(") &&
      !walker.punct(i + 1, ":") &&
      !walker.name(i - 1, "typeof")
    ) {
      return at(
        walker,
        path,
        i,
        "forbidden_pattern",
        "uses require other than as a direct call (an alias, .call, .cache, .resolve)",
      );
    }
    if (!afterDot && value === "with" && walker.punct(i + 1, "(")) {
      return at(
        walker,
        path,
        i,
        "forbidden_pattern",
        "uses a with statement, which turns an object's members into free names",
      );
    }
    if (
      value === "Object" &&
      walker.punct(i + 1, ".") &&
      /^(?:getOwnPropertyDescriptors?|entries|keys|values|getOwnPropertyNames)$/.test(walker.v(i + 2)) &&
      walker.punct(i + 3, "(") &&
      JS_GLOBAL_OBJECTS.has(walker.v(i + 4))
    ) {
      return at(
        walker,
        path,
        i,
        "forbidden_pattern",
        `reads the members of ${walker.v(i + 4)} through Object.${walker.v(i + 2)}`,
      );
    }
    if (afterDot && value === "constructor") {
      const start = chainStart(walker, i);
      const isNew = walker.name(start - 1, "new");
      const literalBefore =
        walker.punct(i - 2, ")") ||
        walker.punct(i - 2, "}") ||
        walker.punct(i - 2, "]") ||
        walker.str(i - 2) !== undefined;
      const next = walker.v(i + 1);
      const harmless =
        isNew ||
        walker.name(start - 1, "instanceof") ||
        /^(?:===|!==|==|!=)$/.test(next) ||
        (next === "." && walker.v(i + 2) === "name");
      if (literalBefore || !harmless || object === "module" || object === "Module") {
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          "reaches a constructor (for a function, the Function constructor)",
        );
      }
    }
    if (
      afterDot &&
      (object === "module" || object === "Module") &&
      /^(?:_load|_compile|_extensions|_resolveFilename|_cache|wrap|_nodeModulePaths|prototype|require|createRequire)$/.test(
        value,
      )
    ) {
      return at(walker, path, i, "forbidden_pattern", `uses Node's module internals (${object}.${value})`);
    }
    if (afterDot && object === "process") {
      if (PROCESS_EXIT_MEMBERS.has(value))
        return at(
          walker,
          path,
          i,
          "test_tampering",
          `ends the process or sets its status from source (process.${value})`,
        );
      if (value !== "env" && PROCESS_NATIVE_MEMBERS.has(value))
        return at(walker, path, i, "forbidden_pattern", `uses process.${value}`);
      if (value === "env") {
        const next = walker.v(i + 1);
        if (indexesWithComputedKey(walker, i)) {
          return at(
            walker,
            path,
            i,
            "forbidden_pattern",
            "reads an environment variable whose name is computed (process.env[…])",
          );
        }
        if (next !== "." && next !== "?." && next !== "[")
          return at(walker, path, i, "forbidden_pattern", "takes the whole environment (process.env)");
      }
    }
    if (
      !afterDot &&
      JS_GLOBAL_OBJECTS.has(value) &&
      value !== "require" &&
      (walker.punct(i + 1, "[") || (walker.punct(i + 1, "?.") && walker.punct(i + 2, "[")))
    ) {
      return at(walker, path, i, "forbidden_pattern", `reads a member of ${value} by a computed name`);
    }
    if (!afterDot && JS_GLOBAL_OBJECTS.has(value) && isAliased(walker, i)) {
      return at(
        walker,
        path,
        i,
        "forbidden_pattern",
        `takes ${value} under another name, where the rules cannot follow it`,
      );
    }
    if (
      value === "Reflect" &&
      walker.punct(i + 1, ".") &&
      /^(?:get|apply|construct|getOwnPropertyDescriptor|set)$/.test(walker.v(i + 2))
    ) {
      const end = walker.skipGroup(i + 3);
      for (let j = i + 4; j < end; j += 1) {
        if (
          JS_GLOBAL_OBJECTS.has(walker.v(j)) ||
          aliases.has(walker.v(j)) ||
          /^(?:Function|eval)$/.test(walker.v(j))
        ) {
          return at(
            walker,
            path,
            i,
            "forbidden_pattern",
            `reaches ${walker.v(j)} through Reflect.${walker.v(i + 2)}`,
          );
        }
      }
    }
    if (!afterDot && value === "fetch" && !walker.punct(i + 1, ":") && !isMethodDefinition(walker, i)) {
      return at(walker, path, i, "forbidden_pattern", "refers to fetch (network access)");
    }
    if (aliases.has(value) && !afterDot) {
      const end = walker.chainEnd(i);
      if (end > i + 1 && walker.assigns(end))
        return at(walker, path, i, "test_tampering", `replaces a member of the test framework (${value})`);
    }
    if (value === "require" && walker.punct(i + 1, "(") && walker.str(i + 2) && walker.punct(i + 3, ")")) {
      const bare = walker.v(i + 2).replace(/^node:/, "");
      const end = walker.chainEnd(i + 3);
      if ((JS_ASSERT_MODULES.has(bare) || JS_TEST_MODULES.has(bare)) && end > i + 4 && walker.assigns(end)) {
        return at(walker, path, i, "test_tampering", `replaces a member of ${walker.v(i + 2)}`);
      }
    }
    if (
      value === "Object" &&
      walker.punct(i + 1, ".") &&
      /^(?:assign|defineProperty|defineProperties|setPrototypeOf)$/.test(walker.v(i + 2)) &&
      walker.punct(i + 3, "(")
    ) {
      const target = walker.v(i + 4);
      if (
        aliases.has(target) ||
        JS_GLOBAL_OBJECTS.has(target) ||
        (target === "require" && walker.punct(i + 5, "("))
      ) {
        return at(walker, path, i, "test_tampering", `patches ${target} with Object.${walker.v(i + 2)}`);
      }
    }
    if (
      (value === "if" || value === "while") &&
      walker.punct(i + 1, "(") &&
      /^(?:false|0|null|undefined)$/.test(walker.v(i + 2)) &&
      walker.punct(i + 3, ")")
    ) {
      return at(
        walker,
        path,
        i,
        "test_tampering",
        `adds a dead-code guard (\`${value} (${walker.v(i + 2)})\`)`,
      );
    }
    if (value === "false" && walker.punct(i + 1, "&&"))
      return at(walker, path, i, "test_tampering", "adds a condition that is never true (`false &&`)");
  }
  return null;
}
