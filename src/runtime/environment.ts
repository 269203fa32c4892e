// Builds the environment for untrusted child processes: an allowlist of harmless variables minus anything secret.

/** Variables passed through to untrusted commands (names compared exactly, except the `LC_` family). */
const ALLOWED_NAMES = new Set([
  "PATH",
  "HOME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "CI",
  "TERM",
  "NO_COLOR",
  "FORCE_COLOR",
  "USER",
  "LOGNAME",
  // Node.js (NODE_OPTIONS is left out on purpose: `--require`/`--import` in it would run code in every child).
  "NODE_PATH",
  "NODE_ENV",
  "npm_config_cache",
  // Python
  "PYTHONPATH",
  "PYTHONHASHSEED",
  "PYTHONDONTWRITEBYTECODE",
  "PYTHONIOENCODING",
  "PYTHONUTF8",
  "VIRTUAL_ENV",
  // JVM, Go, Rust
  "JAVA_HOME",
  "GOPATH",
  "GOROOT",
  "GOCACHE",
  "GOMODCACHE",
  "CARGO_HOME",
  "RUSTUP_HOME",
  // Windows essentials
  "SystemRoot",
  "SYSTEMROOT",
  "windir",
  "ComSpec",
  "PATHEXT",
]);

const SECRET_EXACT = new Set(["GITHUB_TOKEN", "GH_TOKEN", "WEBHOOK_SECRET", "TOKEN", "PASSWORD", "SECRET"]);
const SECRET_PREFIXES = ["ACTIONS_", "INPUT_", "PRIVATE_KEY"];
const SECRET_SUFFIXES = ["_TOKEN", "_KEY", "_SECRET", "_PASSWORD", "_PASSWD", "_PAT", "_CREDENTIALS"];
const SECRET_INFIXES = ["API_KEY", "APIKEY", "SECRET", "PASSWORD", "PRIVATE_KEY", "CREDENTIAL"];

/** True when a variable name looks like it carries a credential (tokens, keys, secrets, passwords, Action inputs). */
export function isSecretVariableName(name: string): boolean {
  const upper = name.toUpperCase();
  if (SECRET_EXACT.has(upper)) return true;
  if (SECRET_PREFIXES.some((prefix) => upper.startsWith(prefix))) return true;
  if (SECRET_SUFFIXES.some((suffix) => upper.endsWith(suffix))) return true;
  return SECRET_INFIXES.some((infix) => upper.includes(infix));
}

function isAllowedName(name: string): boolean {
  return ALLOWED_NAMES.has(name) || name.startsWith("LC_");
}

/** Values of secret-looking variables in `source`, so a copy under an innocent name can be refused too. */
function secretValues(source: NodeJS.ProcessEnv): Set<string> {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(source)) {
    if (value && value.length >= 8 && isSecretVariableName(name)) values.add(value);
  }
  return values;
}

/**
 * The environment an untrusted command gets: allowlisted variables from `source` (default `process.env`), then
 * `extra` on top (an `undefined` value removes a variable). Secret-looking names are dropped from both, and so is
 * any variable whose value equals the value of a secret variable in `source`.
 */
export function scrubbedEnvironment(
  source: NodeJS.ProcessEnv = process.env,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const secrets = secretValues(source);
  const result: Record<string, string> = {};
  const accept = (name: string, value: string) => !isSecretVariableName(name) && !secrets.has(value);
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && isAllowedName(name) && accept(name, value)) result[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete result[name];
    else if (accept(name, value)) result[name] = value;
  }
  return result;
}

/** The environment a trusted tool (git) gets: everything in `source`, then `extra` (`undefined` removes). */
export function trustedEnvironment(
  source: NodeJS.ProcessEnv = process.env,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value !== undefined) result[name] = value;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete result[name];
    else result[name] = value;
  }
  return result;
}
