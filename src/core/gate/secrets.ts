// Finds credentials in added lines: private keys, cloud and service tokens, and long random literals under secret-like names.
import type { FileChange, GateFinding } from "./changed-lines.js";

interface SecretRule {
  pattern: RegExp;
  what: string;
}

const SECRET_RULES: readonly SecretRule[] = [
  { pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, what: "a private key block" },
  { pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/, what: "an AWS access key id" },
  {
    pattern: /\baws_?secret_?access_?key\b["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b/i,
    what: "an AWS secret access key",
  },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, what: "a GitHub token" },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/, what: "a GitHub fine-grained token" },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, what: "a Slack token" },
  {
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/,
    what: "a Slack webhook URL",
  },
  { pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/, what: "an Anthropic API key" },
  { pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/, what: "an OpenAI-style secret key (sk-…)" },
  { pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/, what: "a Stripe secret key" },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, what: "a Google API key" },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/, what: "an npm token" },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/, what: "a GitLab token" },
  { pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, what: "a JSON Web Token" },
  {
    pattern: /\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s:/@"'`]+:[^\s@/"'`$]{6,}@[^\s"'`]+/i,
    what: "a URL with an embedded password",
  },
];

const SECRET_NAME =
  /(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth[_-]?key|signing[_-]?key|bearer)/i;
/** `name = "literal"`, `name: "literal"`, `"name": "literal"`, `--name=literal`. */
const ASSIGNMENT = /([A-Za-z_$][\w$.-]{0,80})["']?\s*(?::|=|:=|=>)\s*[bru]?["'`]([^"'`\s]{10,})["'`]/g;
const PLACEHOLDER =
  /^(?:x+|\*+|\.+|<[^>]*>|\$\{.*\}|\{\{.*\}\}|%\(.*\)s|your[-_].*|changeme|example.*|placeholder.*|dummy.*|test.*|fake.*|redacted|none|null|undefined)$/i;

/** Regular-expression syntax that credentials do not contain: classes, escapes like `\w`, groups, anchors with quantifiers. */
const REGEX_SYNTAX = /\\[wdsbWDSB]|\[[^\]]*-[^\]]*\]|\(\?[:=!<]|^\^.*[*+?]|[*+?]\$$/;

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** A literal that looks like a credential rather than a word, a name or a format string. */
function looksSecret(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  if (REGEX_SYNTAX.test(value)) return false; // a pattern such as TOKEN_PATTERN = r"[A-Za-z_]\w*"
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return false; // an environment variable's name
  if (/^[a-z]+(?:[._-][a-z]+)*$/.test(value)) return false; // words and dotted identifiers
  if (/^(?:https?:\/\/|\/|\.\/)/.test(value) && !/[?&](?:token|key|secret)=/i.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(value)).length;
  return (
    (classes >= 2 && value.length >= 12 && shannonEntropy(value) >= 3) || (classes >= 3 && value.length >= 10)
  );
}

export function checkSecrets(changes: readonly FileChange[]): GateFinding | null {
  for (const change of changes) {
    for (const added of change.added) {
      for (const rule of SECRET_RULES) {
        if (rule.pattern.test(added.text)) {
          return { path: change.path, line: added.line, what: `adds ${rule.what}` };
        }
      }
      if (!SECRET_NAME.test(added.text)) continue;
      for (const match of added.text.matchAll(ASSIGNMENT)) {
        const name = match[1] ?? "";
        const value = match[2] ?? "";
        if (SECRET_NAME.test(name) && looksSecret(value)) {
          return {
            path: change.path,
            line: added.line,
            what: `adds a hard-coded credential in \`${name}\` (${value.length}-character literal)`,
          };
        }
      }
    }
  }
  return null;
}
