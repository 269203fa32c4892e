// Finds dangerous code in added lines: dynamic evaluation, new processes, network access, unsafe loading, env and file abuse.
import { type FileChange, type GateFinding, HIDDEN_LINE_BREAK, type SourceKind } from "./changed-lines.js";

interface ForbiddenRule {
  pattern: RegExp;
  what: string;
  /** Only for these kinds of files (all when absent). */
  kinds?: readonly SourceKind[];
}

const PY: readonly SourceKind[] = ["python"];
const JS: readonly SourceKind[] = ["javascript"];
const SHELL: readonly SourceKind[] = ["shell"];
/** Files the token rules do not read (they cover eval, exec, Function and compile in Python and JavaScript). */
const NOT_TOKENIZED: readonly SourceKind[] = ["shell", "other"];
/** An import of one of `modules` (a regex alternation): `from "x"`, `require("x")`, `import("x")`, `import "x"`. */
function importOf(modules: string): string {
  return `(?:\\bfrom\\s*|\\brequire\\s*\\(\\s*|\\bimport\\s*\\(?\\s*)["'](?:node:)?(?:${modules})["']`;
}

function anyOf(...parts: Array<RegExp | string>): RegExp {
  return new RegExp(parts.map((part) => (typeof part === "string" ? part : part.source)).join("|"));
}

/** Python modules whose attributes run commands, load code or reach the interpreter (a regex alternation). */
const SENSITIVE_PY_MODULES =
  "os|sys|posix|nt|builtins|__builtins__|subprocess|importlib|shutil|socket|pty|ctypes|pickle|marshal|runpy";

/** An environment variable name with a secret-like word as one of its `_`-separated parts (`GIT_AUTHOR_NAME` is not). */
const SECRET_WORD =
  "(?:\\w*_)?(?:\\w*(?:TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)S?|API_?KEY|ACCESS_?KEY|PRIVATE(?:_?KEY)?|AUTH|\\w*_AUTH)(?:_\\w*)?\\b";

/**
 * Method calls (`regex.exec(`, `model.eval()`, `re.compile(`) and identifiers that merely contain a word
 * (`executor`, `compiled`, `fetchOne`) are allowed: the patterns require a free-standing name or a known module.
 */
const FORBIDDEN_RULES: readonly ForbiddenRule[] = [
  // dynamic evaluation
  {
    pattern:
      /(?<![\w$.])eval\s*\(|\b(?:globalThis|window|global|self|builtins|__builtins__)\s*\.\s*eval\b|\(\s*0\s*,\s*eval\s*\)/,
    what: "calls eval",
    kinds: NOT_TOKENIZED,
  },
  { pattern: /(?<![\w$.])exec\s*\(/, what: "calls exec", kinds: NOT_TOKENIZED },
  {
    pattern: /\bnew\s+Function\b|(?<![\w$.])Function\s*\(|\bReflect\.construct\s*\(\s*Function\b/,
    what: "builds a function from a string (Function constructor)",
    kinds: NOT_TOKENIZED,
  },
  {
    pattern: /\bconstructor\s*\.\s*constructor\b|\[\s*["'`]constructor["'`]\s*\]/,
    what: "reaches the Function constructor through .constructor",
  },
  {
    // `[].filter.constructor(s)`, `Function.prototype.constructor(s)`, `f.constructor.call(0, s)`; `new x.constructor()` is fine
    pattern:
      /(?<!\bnew\s+[\w$.\s]*)\.\s*constructor\s*(?:\(|\.\s*(?:call|apply|bind)\b)|\bFunction\s*\.\s*prototype\s*\.\s*constructor\b/,
    what: "calls a .constructor, which for any function is the Function constructor",
  },
  {
    pattern:
      /\bReflect\s*\.\s*(?:apply|construct)\s*\(\s*(?:Function|eval)\b|(?<![\w$])Function\s*\.\s*(?:call|apply|bind)\b|\b(?:globalThis|window|global|self)\s*(?:\.\s*Function\b|\[\s*["'`](?:Function|eval)["'`]\s*\])|\bgetPrototypeOf\s*\(\s*(?:async\b|function\b)/,
    what: "reaches the Function constructor or eval indirectly",
  },
  { pattern: /\bset(?:Timeout|Interval|Immediate)\s*\(\s*["'`]/, what: "passes a code string to a timer" },

  {
    pattern: anyOf(/\bvm\s*\.\s*(?:runIn\w*|Script|compileFunction|SourceTextModule)\b/, importOf("vm")),
    what: "runs code through the vm module",
    kinds: JS,
  },
  {
    pattern:
      /\b__builtins__\b|\bbuiltins\.(?:exec|eval|compile|__import__|open)\b|\bglobals\s*\(\s*\)\s*\[|\blocals\s*\(\s*\)\s*\[/,
    what: "reaches builtins dynamically",
  },
  {
    pattern:
      /\b(?:getattr|__getattribute__|attrgetter|methodcaller)\s*\([^)]{0,200}["'](?:system|popen|exec\w*|spawn\w*|eval|compile|__import__|fork|loads)["']|\bgetattr\s*\([^)]{0,200}["']\s*\+/,
    what: "looks up a dangerous attribute by name (getattr)",
  },
  {
    // the attribute name is computed: "".join(…), f-strings, %, .format, chr(), decode(), slicing
    pattern: new RegExp(
      `\\b(?:getattr|setattr)\\s*\\(\\s*(?:${SENSITIVE_PY_MODULES})\\s*,|\\bgetattr\\s*\\((?!\\s*(?:self|cls)\\s*,)[^,()]{1,80},\\s*(?:[rR]?[fF][rR]?["']|["'][^"']*["']\\s*(?:\\.|\\[|%|\\*)|[^,)]*\\b(?:join|chr|decode|format|b64decode|reversed|bytes|bytearray)\\s*\\()`,
    ),
    what: "looks up an attribute whose name is computed, or any attribute of a system module (getattr)",
    kinds: PY,
  },
  {
    pattern: new RegExp(
      `\\b(?:${SENSITIVE_PY_MODULES})\\s*\\.\\s*__dict__\\b|\\bvars\\s*\\(\\s*(?:(?:${SENSITIVE_PY_MODULES})\\s*)?\\)|\\b(?:globals|locals)\\s*\\(\\s*\\)\\s*\\.\\s*(?:get|update|setdefault|pop|__getitem__)\\b|\\bsys\\s*\\.\\s*modules\\s*(?:\\[|\\.\\s*(?:get|values|items|setdefault|pop)\\b)`,
    ),
    what: "looks up a name in a module's or the interpreter's namespace dictionary",
    kinds: PY,
  },
  // processes
  { pattern: /\bchild_process\b/, what: "uses child_process" },
  {
    pattern:
      /(?<![\w$])(?:execSync|execFileSync|execFile|spawnSync)\s*\(|\.\s*(?:spawn|fork)\s*\(|(?<![\w$.])spawn\s*\(/,
    what: "starts a child process",
  },
  {
    pattern: /\b(?:cp|childProcess|child|proc)\s*\.\s*(?:exec|execSync|execFile)\s*\(/,
    what: "starts a shell command",
  },
  {
    pattern: anyOf(
      importOf("execa|shelljs|zx(?:/\\w+)?|cross-spawn|node-pty"),
      /\bBun\.(?:spawn|\$)|\bDeno\.(?:run|Command)\b/,
    ),
    what: "imports a process-spawning library",
  },
  { pattern: /\bsubprocess\b|\basyncio\.create_subprocess_\w+/, what: "uses subprocess" },
  {
    pattern: /\bos\.(?:system|popen\d?|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?|fork|forkpty|startfile)\b/,
    what: "runs a command through os",
  },
  {
    pattern:
      /\bimport\s+(?:pty|commands|pexpect|sh)\b|\bfrom\s+(?:pty|commands|pexpect|sh)\s+import\b|\bpty\s*\.\s*spawn\b/,
    what: "imports a terminal or shell module",
  },
  { pattern: /\bshell\s*=\s*True\b/, what: "runs a command through the shell (shell=True)" },
  { pattern: /\bshell\s*:\s*true\b/, what: "runs a command through the shell (shell: true)" },
  // network
  {
    pattern: /(?<![\w$.])fetch\s*\(|\b(?:globalThis|window|self|global)\s*\.\s*fetch\b/,
    what: "makes a network request (fetch)",
    kinds: NOT_TOKENIZED,
  },
  {
    pattern: anyOf(
      /\bhttps?\s*\.\s*(?:request|get|createServer|Agent)\b/,
      importOf("https?|http2|net|tls|dgram|dns"),
    ),
    what: "uses the http/https/net modules",
  },
  {
    pattern: /\b(?:net|tls)\s*\.\s*(?:connect|createConnection|createServer|Socket)\b|\bdgram\b/,
    what: "opens a raw network connection",
  },
  {
    pattern:
      /\bimport\s+socket\b|\bfrom\s+socket\s+import\b|\bsocket\s*\.\s*(?:socket|create_connection|connect)\b/,
    what: "opens a socket",
  },
  {
    pattern:
      /\burllib\d?\b(?!\.parse\b)|\bhttp\.client\b|\b(?:httpx|aiohttp|ftplib|smtplib|telnetlib|paramiko|pycurl)\b/,
    what: "uses a network library",
  },
  {
    pattern:
      /\brequests\s*\.\s*(?:get|post|put|patch|delete|head|options|request|Session|session)\b|\bimport\s+requests\b|\bfrom\s+requests\b/,
    what: "makes an HTTP request (requests)",
  },
  {
    pattern: anyOf(
      /\bXMLHttpRequest\b|\bWebSocket\b|\bEventSource\b|\bsendBeacon\b|\baxios\s*\.\s*\w+\s*\(/,
      importOf("axios|got|node-fetch|undici|superagent|request|ws"),
    ),
    what: "makes a network request",
  },
  {
    pattern: /(?<![\w-])(?:curl|wget|nc|ncat|netcat|scp|rsync|ssh)\s+\S/,
    what: "calls a network tool",
    kinds: SHELL,
  },
  // loading code
  {
    pattern: /(?<![\w$.])import\s*\(\s*(?!["'][^"'`$]*["']\s*[,)])/,
    what: "imports a module whose name is computed (dynamic import of a non-literal)",
    kinds: ["javascript", "shell", "other"],
  },
  {
    pattern: /(?<![\w$.])require\s*\(\s*(?!["'][^"'`$]*["']\s*\))/,
    what: "requires a module whose name is computed",
  },
  {
    pattern:
      /\bmodule\s*\.\s*_load\b|\bModule\s*\.\s*_load\b|\bprocess\s*\.\s*(?:binding|dlopen|_linkedBinding)\b|\brequire\s*\.\s*cache\b/,
    what: "uses Node's module internals",
  },
  { pattern: /\b__import__\s*\(/, what: "imports a module dynamically (__import__)" },
  {
    pattern: /\bimportlib\b|\bimp\s*\.\s*load_\w+/,
    what: "imports a module dynamically (importlib)",
    kinds: PY,
  },
  {
    pattern:
      /\b(?:c?[Pp]ickle|dill|cloudpickle|joblib)\s*\.\s*loads?\s*\(|\bshelve\s*\.\s*open\b|\byaml\s*\.\s*(?:unsafe_load|load\s*\([^)]*Loader\s*=\s*yaml\s*\.\s*(?:Unsafe)?Loader)/,
    what: "deserializes untrusted data (pickle/yaml)",
  },
  { pattern: /\bmarshal\b/, what: "uses marshal", kinds: PY },
  { pattern: /\bctypes\b|\bcffi\b/, what: "calls native code (ctypes)", kinds: PY },
  // environment
  {
    pattern:
      /\bprocess\s*\.\s*env\s*(?:\.\s*\w+|\[[^\]]+\])\s*(?:=(?!=)|\+=)|\bdelete\s+process\s*\.\s*env\b|\bObject\s*\.\s*assign\s*\(\s*process\s*\.\s*env\b/,
    what: "writes process.env",
  },
  {
    pattern: new RegExp(`\\bprocess\\s*\\.\\s*env\\s*(?:\\.\\s*|\\[\\s*["'\`])${SECRET_WORD}`, "i"),
    what: "reads a secret from process.env",
  },
  {
    pattern:
      /\b(?:JSON\s*\.\s*stringify|Object\s*\.\s*(?:keys|values|entries))\s*\(\s*process\s*\.\s*env\b|\.\.\.\s*process\s*\.\s*env\b/,
    what: "copies the whole environment",
  },
  {
    pattern:
      /\bos\s*\.\s*environ\s*\[[^\]]+\]\s*=(?!=)|\bos\s*\.\s*environ\s*\.\s*(?:update|setdefault|pop|clear)\s*\(|\bos\s*\.\s*(?:putenv|unsetenv)\s*\(/,
    what: "writes os.environ",
  },
  {
    pattern: new RegExp(
      `\\b(?:os\\s*\\.\\s*environ(?:\\s*\\.\\s*get)?|os\\s*\\.\\s*getenv)\\s*[[(]\\s*["']${SECRET_WORD}`,
      "i",
    ),
    what: "reads a secret from os.environ",
  },
  {
    pattern:
      /\b(?:dict|json\s*\.\s*dumps|str|repr)\s*\(\s*os\s*\.\s*environ\b|\bos\s*\.\s*environ\s*\.\s*(?:items|copy)\s*\(/,
    what: "copies the whole environment",
  },
  // files and destruction
  {
    pattern:
      /["'`](?:\/etc\/|~\/\.ssh|\/root\/|\/proc\/self|~\/\.aws|~\/\.bashrc|~\/\.profile|~\/\.config\/|\/var\/run\/docker\.sock)/,
    what: "touches a system or home-directory file",
  },
  {
    pattern: /\.ssh\/(?:authorized_keys|id_\w+|config)\b|\bid_rsa\b|\.git\/(?:hooks|config)\b/,
    what: "touches SSH keys or git internals",
  },
  { pattern: /\brm\s+-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)\b|\brm\s+--recursive\b/, what: "runs rm -rf" },
  {
    pattern:
      /\b(?:shutil\s*\.\s*rmtree|fs\s*\.\s*(?:rmSync|rm|rmdirSync))\s*\(\s*(?:["'`](?:\/|~|\.\.)|os\s*\.\s*path\s*\.\s*expanduser|process\s*\.\s*cwd|os\s*\.\s*getcwd|__dirname)/,
    what: "deletes a directory tree outside the change",
  },
  {
    pattern: /\bchmod\s+(?:-R\s+)?[0-7]*7{2}\b|\bos\s*\.\s*chmod\s*\([^)]*0o?777/,
    what: "makes files world-writable",
  },
  // obfuscation
  {
    pattern: /(?:\\x[0-9a-fA-F]{2}){4,}|(?:\\u00[0-9a-fA-F]{2}){4,}|(?:\\[0-7]{3}){4,}/,
    what: "adds an escaped (obfuscated) string",
  },
  {
    pattern:
      /\bString\s*\.\s*fromCharCode\s*\(\s*\d+\s*(?:,\s*\d+\s*){3,}\)|\bchr\s*\(\s*\d+\s*\)\s*\+\s*chr\s*\(/,
    what: "builds a string from character codes (obfuscation)",
  },
  {
    pattern: /\[\s*["'`][^"'`\]]*["'`]\s*\+\s*["'`][^"'`\]]*["'`]\s*(?:\+[^\]]*)?\]/,
    what: "calls a member whose name is built by concatenation (obfuscation)",
  },
  {
    pattern:
      /["'`][A-Za-z0-9+/]{120,}={0,2}["'`]|\bcodecs\s*\.\s*decode\s*\([^)]*rot.?13|\bzlib\s*\.\s*decompress\s*\(\s*(?:base64|b64decode)/,
    what: "embeds an encoded blob (possible hidden payload)",
  },
];

const HIDDEN_BREAK_NAMES: Readonly<Record<string, string>> = {
  "\r": "a carriage return",
  "\u0085": "U+0085 NEXT LINE",
  "\u2028": "U+2028 LINE SEPARATOR",
  "\u2029": "U+2029 PARAGRAPH SEPARATOR",
  "\v": "a vertical tab",
  "\f": "a form feed",
};

/** Longer added lines are minified or obfuscated code, not a repair (and scanning them would be slow). */
export const MAX_ADDED_LINE_LENGTH = 2_000;

export function checkForbiddenPatterns(changes: readonly FileChange[]): GateFinding | null {
  for (const change of changes) {
    for (const added of change.added) {
      if (added.text.length > MAX_ADDED_LINE_LENGTH) {
        return {
          path: change.path,
          line: added.line,
          what: `adds a ${added.text.length}-character line (minified or obfuscated code; limit ${MAX_ADDED_LINE_LENGTH})`,
        };
      }
      const hidden = HIDDEN_LINE_BREAK.exec(added.text);
      if (hidden) {
        const name = HIDDEN_BREAK_NAMES[hidden[0]] ?? "a line break";
        return {
          path: change.path,
          line: added.line,
          what: `hides a line break (${name}) inside an added line: what follows it runs as a line of its own`,
        };
      }
      if (added.code.trim() === "") continue; // only a comment
      for (const rule of FORBIDDEN_RULES) {
        if (rule.kinds && !rule.kinds.includes(change.kind)) continue;
        const match = rule.pattern.exec(added.code);
        if (match) {
          return {
            path: change.path,
            line: added.line,
            what: `${rule.what}: \`${match[0].trim().slice(0, 60)}\``,
          };
        }
      }
    }
  }
  return null;
}
