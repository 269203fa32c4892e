// Rules on the tokens of added code: names however aliased, computed members, imports in any form, test-run detection, framework patching.
import type { FileChange, GateFinding } from "./changed-lines.js";
import type { CodeToken, Language } from "./code-tokens.js";
import type { GlobSet } from "./glob.js";

/** A token stream of one hunk's new side and, per source line index, the new-file line number of added lines. */
export interface HunkTokens {
  tokens: CodeToken[];
  /** `addedLine[i]` is the new-file line number when source line `i` was added, undefined for context. */
  addedLine: ReadonlyArray<number | undefined>;
}

export interface TokenFinding {
  type: "forbidden_pattern" | "test_tampering";
  finding: GateFinding;
}

const TEST_RUN_MARKERS = new Set([
  "PYTEST_CURRENT_TEST",
  "PYTEST_VERSION",
  "PYTEST_XDIST_WORKER",
  "PYTEST_ADDOPTS",
  "_called_from_test",
  "NODE_TEST_CONTEXT",
  "VITEST",
  "VITEST_WORKER_ID",
  "VITEST_POOL_ID",
  "VITEST_MODE",
  "__vitest_worker__",
  "__vitest_environment__",
  "JEST_WORKER_ID",
  "jasmine",
]);
/** Strings that name a test framework: `'pytest' in sys.modules`, `"vitest" in process.argv[1]`. */
const FRAMEWORK_NAME_STRINGS = new Set([
  "pytest",
  "_pytest",
  "unittest",
  "vitest",
  "jest",
  "mocha",
  "node:test",
]);

/** Python modules whose import starts processes, opens connections, loads code or reaches the interpreter. */
const PY_FORBIDDEN_MODULES = new Set([
  "subprocess",
  "socket",
  "socketserver",
  "ssl",
  "runpy",
  "pkgutil",
  "importlib",
  "imp",
  "zipimport",
  "timeit",
  "ctypes",
  "cffi",
  "pty",
  "tty",
  "pexpect",
  "http",
  "urllib2",
  "urllib3",
  "requests",
  "httpx",
  "aiohttp",
  "ftplib",
  "smtplib",
  "poplib",
  "imaplib",
  "telnetlib",
  "xmlrpc",
  "paramiko",
  "pycurl",
  "websocket",
  "websockets",
  "multiprocessing",
  "marshal",
  "code",
  "codeop",
  "builtins",
  "__builtin__",
  "posix",
  "nt",
  "commands",
  "sh",
  "webbrowser",
  "cProfile",
  "profile",
  "trace",
  "pdb",
  "bdb",
  "gc",
]);
/** Python modules forbidden only in some submodules: `urllib.request` but not `urllib.parse`. */
const PY_FORBIDDEN_SUBMODULES =
  /^(?:urllib\.(?:request|response|robotparser)|asyncio\.(?:subprocess|streams)|concurrent\.futures\.process|os\.(?:system|popen))$/;
/** Names imported from a harmless module that are not harmless: `from os import system as s`. */
const PY_FORBIDDEN_FROM: Readonly<Record<string, RegExp>> = {
  os: /^(?:system|popen\d?|exec\w*|spawn\w*|posix_spawnp?|fork\w*|_exit|abort|kill\w*|environ\w*|getenv\w*|putenv|unsetenv|startfile|dup2)$/,
  sys: /^(?:exit|modules|_getframe|settrace|setprofile|meta_path|path_hooks|path_importer_cache|addaudithook)$/,
  asyncio:
    /^(?:open_connection|start_server|open_unix_connection|start_unix_server|create_subprocess_\w+|subprocess)$/,
  operator: /^(?:attrgetter|methodcaller)$/,
  inspect: /^(?:stack|currentframe|getouterframes|getframeinfo)$/,
  functools: /^$/,
};
const PY_TEST_MODULES = new Set(["pytest", "_pytest", "unittest", "doctest", "nose", "nose2", "hypothesis"]);
const PY_DANGEROUS_NAMES = new Set([
  "eval",
  "exec",
  "compile",
  "__import__",
  "execfile",
  "breakpoint",
  "__builtins__",
  "__loader__",
  "__spec__",
]);

/** Attributes and names that lead from any object to code, frames or globals (the classic sandbox escapes). */
const PY_ESCAPE_NAMES = new Set([
  "__subclasses__",
  "__globals__",
  "__code__",
  "__closure__",
  "f_globals",
  "f_locals",
  "f_builtins",
  "f_back",
  "gi_frame",
  "tb_frame",
  "FunctionType",
  "CodeType",
]);
/** Modules whose members the rules name (`os.system`, `sys.exit`): an alias such as `o = os` would hide them. */
const PY_ALIAS_SENSITIVE = new Set([
  "os",
  "sys",
  "subprocess",
  "builtins",
  "importlib",
  "socket",
  "shutil",
  "inspect",
  "posix",
  "nt",
]);
/** Modules whose `import *` would bring process, file or interpreter functions in under plain names. */
const PY_STAR_SENSITIVE = new Set([
  "os",
  "sys",
  "posix",
  "nt",
  "shutil",
  "operator",
  "asyncio",
  "inspect",
  "types",
  "io",
  "pathlib",
]);

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
const JS_TEST_MODULES = new Set([
  "test",
  "vitest",
  "@jest/globals",
  "mocha",
  "jest",
  "@vitest/runner",
  "tap",
  "ava",
]);
const JS_ASSERT_MODULES = new Set([
  "assert",
  "assert/strict",
  "chai",
  "expect",
  "should",
  "power-assert",
  "uvu/assert",
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
const JS_TEST_GLOBALS = new Set([
  "expect",
  "assert",
  "chai",
  "it",
  "test",
  "describe",
  "jest",
  "vi",
  "beforeEach",
  "afterEach",
  "beforeAll",
  "afterAll",
]);
const PY_TEST_GLOBALS = new Set(["TestCase", "unittest", "pytest", "_pytest", "doctest"]);

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

class Walker {
  readonly tokens: CodeToken[];
  readonly addedLine: ReadonlyArray<number | undefined>;
  constructor(hunk: HunkTokens) {
    this.tokens = hunk.tokens;
    this.addedLine = hunk.addedLine;
  }
  v(i: number): string {
    return this.tokens[i]?.value ?? "";
  }
  name(i: number, value?: string): boolean {
    const token = this.tokens[i];
    return token?.kind === "name" && (value === undefined || token.value === value);
  }
  punct(i: number, value: string): boolean {
    const token = this.tokens[i];
    return token?.kind === "punct" && token.value === value;
  }
  str(i: number): CodeToken | undefined {
    const token = this.tokens[i];
    return token?.kind === "string" ? token : undefined;
  }
  /** The added line number of token `i`, or undefined for a context token. */
  added(i: number): number | undefined {
    const token = this.tokens[i];
    return token ? this.addedLine[token.line] : undefined;
  }
  /** Is `i` an assignment operator (`=`, `+=`, …, not `==`/`=>`)? */
  assigns(i: number): boolean {
    const value = this.v(i);
    return (
      this.tokens[i]?.kind === "punct" &&
      /^(?:=|[-+*/%&|^]=|\*\*=|\/\/=|<<=|>>=|&&=|\|\|=|\?\?=)$/.test(value)
    );
  }
  /** The index after a balanced group starting at `i` (`(`, `[` or `{`), or the stream's end. */
  skipGroup(i: number): number {
    const open = this.v(i);
    const close = open === "(" ? ")" : open === "[" ? "]" : "}";
    let depth = 0;
    for (let j = i; j < this.tokens.length; j += 1) {
      if (this.punct(j, open)) depth += 1;
      else if (this.punct(j, close)) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return this.tokens.length;
  }
  /** After a member chain starting at `i` (`a.b[c].d`): the index of the first token that is not part of it. */
  chainEnd(i: number): number {
    let j = i + 1;
    for (;;) {
      if ((this.punct(j, ".") || this.punct(j, "?.")) && this.tokens[j + 1]) j += 2;
      else if (this.punct(j, "[")) j = this.skipGroup(j);
      else return j;
    }
  }
}

function at(
  walker: Walker,
  path: string,
  i: number,
  type: TokenFinding["type"],
  what: string,
): TokenFinding | null {
  const line = walker.added(i);
  if (line === undefined) return null;
  return { type, finding: { path, line, what } };
}

/** Test-framework aliases defined by imports anywhere in the stream (context too): `import pytest as p`, `const a = require('assert')`. */
function frameworkAliases(walker: Walker, language: Language): Set<string> {
  const aliases = new Set<string>(language === "python" ? PY_TEST_GLOBALS : JS_TEST_GLOBALS);
  const { tokens } = walker;
  for (let i = 0; i < tokens.length; i += 1) {
    if (language === "python") {
      if (walker.name(i, "import") && !walker.name(i - 2, "from") && !isFromImport(walker, i)) {
        for (const item of importItems(walker, i + 1)) {
          if (PY_TEST_MODULES.has(item.name.split(".")[0] ?? "")) aliases.add(item.alias);
        }
      } else if (walker.name(i, "from")) {
        const module = dottedName(walker, i + 1);
        if (!PY_TEST_MODULES.has(module.name.split(".")[0] ?? "")) continue;
        if (walker.name(module.next, "import")) {
          for (const item of importItems(walker, module.next + 1)) aliases.add(item.alias);
        }
      }
    } else {
      const module = jsModuleAt(walker, i);
      if (!module) continue;
      const bare = module.name.replace(/^node:/, "");
      if (!JS_TEST_MODULES.has(bare) && !JS_ASSERT_MODULES.has(bare)) continue;
      for (const binding of module.bindings) aliases.add(binding);
    }
  }
  return aliases;
}

function isFromImport(walker: Walker, importIndex: number): boolean {
  for (let j = importIndex - 1; j >= 0 && j >= importIndex - 40; j -= 1) {
    if (walker.name(j, "from")) return true;
    if (!(walker.name(j) || walker.punct(j, "."))) return false;
  }
  return false;
}

function dottedName(walker: Walker, start: number): { name: string; next: number } {
  let name = "";
  let j = start;
  while (walker.punct(j, ".")) {
    name += ".";
    j += 1;
  }
  if (!walker.name(j)) return { name, next: j };
  name += walker.v(j);
  j += 1;
  while (walker.punct(j, ".") && walker.name(j + 1)) {
    name += `.${walker.v(j + 1)}`;
    j += 2;
  }
  return { name, next: j };
}

/** `a.b as c, d` or `(x as y,\n z)` after an `import`: each imported name and the name it is bound to. */
function importItems(walker: Walker, start: number): Array<{ name: string; alias: string; index: number }> {
  const items: Array<{ name: string; alias: string; index: number }> = [];
  let j = start;
  const parenthesized = walker.punct(j, "(");
  if (parenthesized) j += 1;
  for (;;) {
    if (!walker.name(j)) break;
    const index = j;
    const dotted = dottedName(walker, j);
    j = dotted.next;
    let alias = dotted.name.split(".")[0] ?? dotted.name;
    if (walker.name(j, "as") && walker.name(j + 1)) {
      alias = walker.v(j + 1);
      j += 2;
    }
    items.push({ name: dotted.name, alias, index });
    if (!walker.punct(j, ",")) break;
    j += 1;
  }
  return items;
}

/** A JavaScript module reference at `i`: `require("m")`, `import … from "m"`, `import("m")`, `export … from "m"`, and the names it binds. */
function jsModuleAt(walker: Walker, i: number): { name: string; bindings: string[]; index: number } | null {
  if (
    walker.name(i, "require") &&
    walker.punct(i + 1, "(") &&
    walker.str(i + 2) &&
    walker.punct(i + 3, ")")
  ) {
    const bindings: string[] = [];
    if (walker.punct(i - 1, "=")) {
      if (walker.name(i - 2)) bindings.push(walker.v(i - 2));
      else if (walker.punct(i - 2, "}")) bindings.push(...destructuredNames(walker, i - 2));
    }
    return { name: walker.v(i + 2), bindings, index: i };
  }
  if (walker.name(i, "import") && walker.punct(i + 1, "(") && walker.str(i + 2)) {
    return { name: walker.v(i + 2), bindings: [], index: i };
  }
  if (
    (walker.name(i, "import") || walker.name(i, "export")) &&
    !walker.punct(i + 1, "(") &&
    !walker.punct(i - 1, ".")
  ) {
    if (walker.str(i + 1)) return { name: walker.v(i + 1), bindings: [], index: i };
    const bindings: string[] = [];
    for (let j = i + 1; j < walker.tokens.length && j < i + 80; j += 1) {
      if (walker.name(j, "from") && walker.str(j + 1)) return { name: walker.v(j + 1), bindings, index: i };
      if (walker.punct(j, ";")) break;
      if (walker.name(j) && !["as", "type", "typeof", "from"].includes(walker.v(j))) {
        if (walker.name(j + 1, "as")) continue;
        bindings.push(walker.v(j));
      }
    }
  }
  return null;
}

/** Names bound by a destructuring pattern ending at `close` (`{ a, b: c }` binds a and c). */
function destructuredNames(walker: Walker, close: number): string[] {
  const names: string[] = [];
  let depth = 0;
  for (let j = close; j >= 0; j -= 1) {
    if (walker.punct(j, "}")) depth += 1;
    else if (walker.punct(j, "{")) {
      depth -= 1;
      if (depth === 0) break;
    } else if (
      walker.name(j) &&
      (walker.punct(j + 1, ",") || walker.punct(j + 1, "}") || walker.punct(j + 1, "="))
    ) {
      names.push(walker.v(j));
    }
  }
  return names;
}

/** Strings near `i` that are computed: concatenated, interpolated or implicitly joined, inside `(`…`)` starting at `open`. */
function hasComputedString(walker: Walker, open: number): boolean {
  const end = walker.skipGroup(open);
  for (let j = open + 1; j < end; j += 1) {
    const token = walker.str(j);
    if (!token) continue;
    if (token.computed) return true;
    if (
      walker.punct(j + 1, "+") ||
      walker.punct(j - 1, "+") ||
      walker.punct(j + 1, "%") ||
      walker.punct(j + 1, "*")
    )
      return true;
    if (
      walker.punct(j + 1, ".") &&
      /^(?:join|format|replace|upper|lower|decode|encode|strip)$/.test(walker.v(j + 2))
    )
      return true;
  }
  for (let j = open + 1; j < end; j += 1) {
    if (
      walker.name(j) &&
      /^(?:join|chr|decode|format|b64decode|reversed|fromCharCode|concat|reverse|atob)$/.test(walker.v(j))
    )
      return true;
  }
  return false;
}

const PY_DANGEROUS_ATTRIBUTE_STRING =
  /^(?:system|popen\d?|exec\w*|spawn\w*|eval|compile|__import__|fork|loads|_exit|environ|modules|getenv|__builtins__|__globals__|__code__|__subclasses__)$/;

function pythonRules(walker: Walker, path: string, inTestFile: boolean): TokenFinding | null {
  const { tokens } = walker;
  const aliases = frameworkAliases(walker, "python");
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token || walker.added(i) === undefined) continue;
    const value = token.value;
    if (token.kind === "string") {
      if (TEST_RUN_MARKERS.has(value) || FRAMEWORK_NAME_STRINGS.has(value)) {
        const found = at(
          walker,
          path,
          i,
          "test_tampering",
          `detects the test run (reads the marker "${value}")`,
        );
        if (found) return found;
      }
      if (
        /\.(?:pth|py|pyc|so)$|(?:^|\/)(?:sitecustomize|usercustomize|conftest)\b/.test(value) &&
        writesFiles(walker)
      ) {
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          `writes a file that Python may load as code ("${value}")`,
        );
      }
      continue;
    }
    if (token.kind !== "name") continue;
    const afterDot = walker.punct(i - 1, ".");
    if (TEST_RUN_MARKERS.has(value)) {
      return at(walker, path, i, "test_tampering", `detects the test run (reads ${value})`);
    }
    if (value === "import" && !isFromImport(walker, i)) {
      for (const item of importItems(walker, i + 1)) {
        const problem = pythonModuleProblem(item.name, inTestFile);
        if (problem) return at(walker, path, i, problem.type, `${problem.what}: \`import ${item.name}\``);
      }
      continue;
    }
    if (value === "from" && !afterDot) {
      const module = dottedName(walker, i + 1);
      if (module.name === "" || module.name.startsWith(".")) continue;
      const problem = pythonModuleProblem(module.name, inTestFile);
      if (problem)
        return at(walker, path, i, problem.type, `${problem.what}: \`from ${module.name} import …\``);
      if (!walker.name(module.next, "import")) continue;
      const root = module.name.split(".")[0] ?? "";
      if (walker.punct(module.next + 1, "*") && PY_STAR_SENSITIVE.has(root)) {
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          `imports every name of ${module.name} (\`import *\` hides which are used)`,
        );
      }
      for (const item of importItems(walker, module.next + 1)) {
        if (PY_DANGEROUS_NAMES.has(item.name)) {
          return at(walker, path, i, "forbidden_pattern", `imports ${item.name} from ${module.name}`);
        }
        const forbidden = PY_FORBIDDEN_FROM[root];
        if (forbidden?.test(item.name)) {
          const type =
            item.name === "exit" || item.name === "_exit" || item.name === "abort"
              ? "test_tampering"
              : "forbidden_pattern";
          return at(
            walker,
            path,
            i,
            type,
            `imports ${item.name} from ${module.name}${item.alias === item.name ? "" : ` as ${item.alias}`}`,
          );
        }
      }
      continue;
    }
    if (!afterDot && PY_ALIAS_SENSITIVE.has(value) && isAliased(walker, i)) {
      return at(
        walker,
        path,
        i,
        "forbidden_pattern",
        `takes the module ${value} under another name, where the rules cannot follow it`,
      );
    }
    if (PY_ESCAPE_NAMES.has(value)) {
      return at(walker, path, i, "forbidden_pattern", `reaches interpreter internals (${value})`);
    }
    if (PY_DANGEROUS_NAMES.has(value)) {
      const object = afterDot ? walker.v(i - 2) : "";
      const keywordArgument =
        walker.punct(i + 1, "=") && (walker.punct(i - 1, "(") || walker.punct(i - 1, ","));
      if (
        (!afterDot || /^(?:builtins|__builtins__|__builtin__)$/.test(object)) &&
        !keywordArgument &&
        !walker.name(i - 1, "def")
      ) {
        return at(walker, path, i, "forbidden_pattern", `refers to ${value}, which runs or loads code`);
      }
      continue;
    }
    if (/^(?:getattr|attrgetter|methodcaller|hasattr)$/.test(value) && walker.punct(i + 1, "(")) {
      const selfLookup =
        value === "getattr" && /^(?:self|cls)$/.test(walker.v(i + 2)) && walker.punct(i + 3, ",");
      if (!selfLookup && hasComputedString(walker, i + 1))
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          `looks up an attribute whose name is computed (${value})`,
        );
      const end = walker.skipGroup(i + 1);
      for (let j = i + 2; j < end; j += 1) {
        const literal = walker.str(j);
        if (literal && PY_DANGEROUS_ATTRIBUTE_STRING.test(literal.value))
          return at(walker, path, i, "forbidden_pattern", `looks up "${literal.value}" by name (${value})`);
      }
      if (aliases.has(walker.v(i + 2)) && walker.punct(i + 3, ","))
        return at(
          walker,
          path,
          i,
          "test_tampering",
          `reaches into the test framework (${value}(${walker.v(i + 2)}, …))`,
        );
    }
    if (afterDot) {
      const object = walker.v(i - 2);
      if (walker.punct(i + 1, "=") || walker.assigns(i + 1)) {
        if (aliases.has(object) || (aliases.has(walker.v(i - 4)) && walker.punct(i - 3, "."))) {
          return at(walker, path, i, "test_tampering", `replaces ${object}.${value} of the test framework`);
        }
        if (/^(?:builtins|__builtins__)$/.test(object))
          return at(walker, path, i, "forbidden_pattern", `replaces the builtin ${value}`);
      }
      if (object === "sys" && /^(?:exit|_exit)$/.test(value))
        return at(walker, path, i, "test_tampering", "ends the interpreter from source (sys.exit)");
      if (object === "os" && /^(?:_exit|abort|kill|killpg)$/.test(value))
        return at(walker, path, i, "test_tampering", `ends the process from source (os.${value})`);
      if (
        object === "sys" &&
        /^(?:modules|_getframe|settrace|setprofile|meta_path|path_hooks|addaudithook)$/.test(value)
      ) {
        return at(
          walker,
          path,
          i,
          "test_tampering",
          `inspects or changes the interpreter's state (sys.${value}), which can detect the test run`,
        );
      }
      if (
        object === "inspect" &&
        /^(?:stack|currentframe|getouterframes|getframeinfo|getmodule)$/.test(value)
      ) {
        return at(
          walker,
          path,
          i,
          "test_tampering",
          `inspects the call stack (inspect.${value}), which can detect the test run`,
        );
      }
      if (object === "asyncio" && PY_FORBIDDEN_FROM.asyncio?.test(value))
        return at(walker, path, i, "forbidden_pattern", `opens a connection or process (asyncio.${value})`);
      if (object === "os" && value === "environ") {
        const next = walker.v(i + 1);
        if (
          next === "[" &&
          !(walker.str(i + 2) && !walker.str(i + 2)?.computed && walker.punct(i + 3, "]"))
        ) {
          return at(
            walker,
            path,
            i,
            "forbidden_pattern",
            "reads an environment variable whose name is computed (os.environ[…])",
          );
        }
        if (
          next === "." &&
          walker.v(i + 2) === "get" &&
          walker.punct(i + 3, "(") &&
          (!walker.str(i + 4) || hasComputedString(walker, i + 3))
        ) {
          return at(
            walker,
            path,
            i,
            "forbidden_pattern",
            "reads an environment variable whose name is computed (os.environ.get)",
          );
        }
        if (next !== "[" && next !== ".")
          return at(walker, path, i, "forbidden_pattern", "takes the whole environment (os.environ)");
      }
      if (
        object === "os" &&
        value === "getenv" &&
        walker.punct(i + 1, "(") &&
        (!walker.str(i + 2) || hasComputedString(walker, i + 1))
      ) {
        return at(
          walker,
          path,
          i,
          "forbidden_pattern",
          "reads an environment variable whose name is computed (os.getenv)",
        );
      }
      continue;
    }
    if (
      /^(?:subprocess|runpy|pkgutil|importlib|timeit|ctypes|socket|marshal|_pytest|builtins)$/.test(value) &&
      !walker.punct(i + 1, "=")
    ) {
      return at(
        walker,
        path,
        i,
        value === "_pytest" ? "test_tampering" : "forbidden_pattern",
        `uses the ${value} module`,
      );
    }
    if ((value === "exit" || value === "quit") && walker.punct(i + 1, "(")) {
      return at(walker, path, i, "test_tampering", `ends the interpreter from source (${value}())`);
    }
    if (value === "SystemExit" && (walker.name(i - 1, "raise") || walker.punct(i + 1, "("))) {
      return at(walker, path, i, "test_tampering", "ends the interpreter from source (SystemExit)");
    }
    if (value === "setattr" || value === "delattr") {
      if (
        walker.punct(i + 1, "(") &&
        (aliases.has(walker.v(i + 2)) || /^(?:builtins|__builtins__|sys|os)$/.test(walker.v(i + 2)))
      ) {
        return at(walker, path, i, "test_tampering", `patches ${walker.v(i + 2)} with ${value}`);
      }
      if (walker.punct(i + 1, "(") && hasComputedString(walker, i + 1))
        return at(walker, path, i, "forbidden_pattern", `${value} with a computed name`);
    }
    if (value === "if" || value === "while" || value === "elif") {
      if (
        (walker.name(i + 1, "False") || walker.v(i + 1) === "0" || walker.v(i + 1) === "None") &&
        walker.punct(i + 2, ":")
      ) {
        return at(
          walker,
          path,
          i,
          "test_tampering",
          `adds a dead-code guard (\`${value} ${walker.v(i + 1)}:\`)`,
        );
      }
      if (walker.name(i + 1, "not") && walker.name(i + 2, "True") && walker.punct(i + 3, ":")) {
        return at(walker, path, i, "test_tampering", "adds a dead-code guard (`if not True:`)");
      }
    }
    if (
      (value === "and" && walker.name(i + 1, "False")) ||
      (value === "False" && walker.name(i + 1, "and"))
    ) {
      return at(walker, path, i, "test_tampering", "adds a condition that is never true (`and False`)");
    }
  }
  return null;
}

function pythonModuleProblem(
  name: string,
  inTestFile: boolean,
): { type: TokenFinding["type"]; what: string } | null {
  const root = name.split(".")[0] ?? "";
  if (PY_FORBIDDEN_MODULES.has(root) || PY_FORBIDDEN_SUBMODULES.test(name)) {
    return {
      type: "forbidden_pattern",
      what: `imports ${name}, which can start processes, open connections or load code`,
    };
  }
  if (!inTestFile && PY_TEST_MODULES.has(root)) {
    return { type: "test_tampering", what: `imports the test framework ${root} into source code` };
  }
  return null;
}

/** Whether the stream writes files: `open(…, "w")`, `.write_text(`, `writeFileSync(`. */
function writesFiles(walker: Walker): boolean {
  for (let i = 0; i < walker.tokens.length; i += 1) {
    const value = walker.v(i);
    if (
      /^(?:write_text|write_bytes|writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|symlink|symlinkSync|copy|copyfile|copy2|move|rename|renameSync|cpSync)$/.test(
        value,
      )
    )
      return true;
    if (value === "open" && walker.punct(i + 1, "(")) {
      const end = walker.skipGroup(i + 1);
      for (let j = i + 2; j < end; j += 1) if (/^[wax]/.test(walker.str(j)?.value ?? "")) return true;
    }
  }
  return false;
}

function javascriptRules(walker: Walker, path: string, inTestFile: boolean): TokenFinding | null {
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
        if (
          next === "[" &&
          !(walker.str(i + 2) && !walker.str(i + 2)?.computed && walker.punct(i + 3, "]"))
        ) {
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

/** `name(…) {` as a class or object-literal method (after `{`, `}`, `;`, `,`, `async`, `static`, `get`, `set`). */
function isMethodDefinition(walker: Walker, i: number): boolean {
  if (!walker.punct(i + 1, "(")) return false;
  const before = walker.tokens[i - 1];
  if (before && !/^(?:[{};,*]|async|static|get|set)$/.test(before.value)) return false;
  const after = walker.skipGroup(i + 1);
  return walker.punct(after, "{") || walker.punct(after, ":");
}

/**
 * Whether token `i` is a value handed on whole: the right side of `=`, `:=` or `return`, an argument, an array or
 * object member (not followed by `.`, `[` or `(`, which the other rules read).
 */
function isAliased(walker: Walker, i: number): boolean {
  const next = walker.v(i + 1);
  if (next === "." || next === "?." || next === "[" || next === "(" || next === "=" || next === ":")
    return false;
  const before = walker.v(i - 1);
  if (!/^(?:=|:=|\(|,|\[|return|yield|\?\?|\|\||&&|\?|:|\.\.\.)$/.test(before)) return false;
  // `import os, sys` and `from x import (a, b)` list names; they hand nothing on.
  for (let j = i - 1; j >= 0 && (walker.name(j) || /^[,.(]$/.test(walker.v(j))); j -= 1) {
    if (walker.name(j, "import")) return false;
  }
  return true;
}

function chainStart(walker: Walker, i: number): number {
  let j = i;
  while ((walker.punct(j - 1, ".") || walker.punct(j - 1, "?.")) && walker.name(j - 2)) j -= 2;
  return j;
}

/** The first token-rule finding over a file's hunks (for Python and JavaScript/TypeScript files). */
export function checkTokenRules(
  changes: readonly FileChange[],
  hunksOf: (change: FileChange) => readonly HunkTokens[],
  testFiles: GlobSet,
): TokenFinding | null {
  for (const change of changes) {
    if (change.kind !== "python" && change.kind !== "javascript") continue;
    if (change.added.length === 0) continue;
    const inTestFile = testFiles.match(change.path) !== null;
    for (const hunk of hunksOf(change)) {
      const walker = new Walker(hunk);
      const found =
        change.kind === "python"
          ? pythonRules(walker, change.path, inTestFile)
          : javascriptRules(walker, change.path, inTestFile);
      if (found) return found;
    }
  }
  return null;
}
