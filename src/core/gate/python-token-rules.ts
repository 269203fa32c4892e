// Content rules for Python on the tokens of added code: evaluation, imports in any form, interpreter escapes, test-run detection, framework patching.
import {
  at,
  dottedName,
  FRAMEWORK_NAME_STRINGS,
  frameworkAliases,
  hasComputedString,
  importItems,
  indexesWithComputedKey,
  isAliased,
  isFromImport,
  PY_TEST_MODULES,
  TEST_RUN_MARKERS,
  type TokenFinding,
  type Walker,
  writesFiles,
} from "./token-walker.js";

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

const PY_DANGEROUS_ATTRIBUTE_STRING =
  /^(?:system|popen\d?|exec\w*|spawn\w*|eval|compile|__import__|fork|loads|_exit|environ|modules|getenv|__builtins__|__globals__|__code__|__subclasses__)$/;

export function pythonRules(walker: Walker, path: string, inTestFile: boolean): TokenFinding | null {
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
        if (indexesWithComputedKey(walker, i)) {
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
