// Splits a configured command line into argv words with shell-like quoting, and refuses shell syntax it cannot honour without a shell.

export class CommandLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandLineError";
  }
}

/** The command uses a shell feature (pipe, redirection, `&&`, substitution, …) that RFSN cannot run without a shell. */
export class ShellSyntaxError extends CommandLineError {
  constructor(
    readonly commandLine: string,
    readonly syntax: string,
  ) {
    super(
      `The command \`${commandLine}\` uses shell syntax (${syntax}), but RFSN runs commands without a shell. ` +
        "Put the pipeline in a script, e.g. scripts/test.sh, and use `bash scripts/test.sh` as the command.",
    );
    this.name = "ShellSyntaxError";
  }
}

export interface ParsedCommandLine {
  /** Leading `NAME=value` assignments. */
  env: Record<string, string>;
  argv: string[];
}

interface Word {
  text: string;
  /** Length of the unquoted `NAME` before an unquoted `=`, when the word starts like an assignment. */
  assignmentNameLength: number | null;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const DOUBLE_QUOTE_ESCAPABLE = new Set(["\\", '"', "$", "`"]);

function describeOperator(text: string, index: number): string {
  const char = text[index];
  const next = text[index + 1];
  if (char === "|") return next === "|" ? "`||`" : "a pipe `|`";
  if (char === "&") return next === "&" ? "`&&`" : "`&`";
  if (char === ";") return "`;`";
  if (char === ">") return next === ">" ? "redirection `>>`" : "redirection `>`";
  if (char === "<") return "redirection `<`";
  if (char === "(" || char === ")") return "a subshell `( … )`";
  if (char === "`") return "command substitution with backticks";
  if (char === "\n" || char === "\r") return "a line break between commands";
  return `\`${char ?? ""}\``;
}

/** Shell expansion starting at `index` (`$(`, `${`, `$NAME`), described, or null. */
function expansionAt(text: string, index: number): string | null {
  if (text[index] !== "$") return null;
  const next = text[index + 1] ?? "";
  if (next === "(") return "command substitution `$(…)`";
  if (next === "{" || NAME_START.test(next)) return "variable expansion `$…`";
  return null;
}

function splitWords(text: string): Word[] {
  const words: Word[] = [];
  let current: Word | null = null;
  // While true, everything in the current word so far is an unquoted NAME (an assignment may follow).
  let nameSoFar = true;
  const append = (chars: string, quoted: boolean) => {
    if (!current) {
      current = { text: "", assignmentNameLength: null };
      nameSoFar = true;
    }
    for (const char of chars) {
      if (nameSoFar && current.assignmentNameLength === null) {
        const isNameChar = current.text.length === 0 ? NAME_START.test(char) : NAME_CHAR.test(char);
        if (!quoted && char === "=" && current.text.length > 0)
          current.assignmentNameLength = current.text.length;
        else if (quoted || !isNameChar) nameSoFar = false;
      }
      current.text += char;
    }
  };
  const startWord = () => {
    if (!current) {
      current = { text: "", assignmentNameLength: null };
      nameSoFar = true;
    }
  };
  const endWord = () => {
    if (current) words.push(current);
    current = null;
  };

  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? "";
    if (char === " " || char === "\t") {
      endWord();
      index += 1;
    } else if (char === "\\") {
      const next = text[index + 1];
      if (next === undefined)
        throw new CommandLineError(`The command \`${text}\` ends with a lone backslash.`);
      if (next !== "\n") append(next, true);
      index += 2;
    } else if (char === "'") {
      const close = text.indexOf("'", index + 1);
      if (close < 0) throw new CommandLineError(`The command \`${text}\` has an unterminated single quote.`);
      startWord();
      append(text.slice(index + 1, close), true);
      index = close + 1;
    } else if (char === '"') {
      startWord();
      index += 1;
      let closed = false;
      while (index < text.length) {
        const inner = text[index] ?? "";
        if (inner === '"') {
          closed = true;
          index += 1;
          break;
        }
        if (inner === "\\") {
          const next = text[index + 1];
          if (next !== undefined && DOUBLE_QUOTE_ESCAPABLE.has(next)) {
            append(next, true);
            index += 2;
            continue;
          }
          if (next === "\n") {
            index += 2;
            continue;
          }
        }
        if (inner === "`") throw new ShellSyntaxError(text, describeOperator(text, index));
        const expansion = expansionAt(text, index);
        if (expansion) throw new ShellSyntaxError(text, expansion);
        append(inner, true);
        index += 1;
      }
      if (!closed) throw new CommandLineError(`The command \`${text}\` has an unterminated double quote.`);
    } else if ("|&;<>()`\n\r".includes(char)) {
      throw new ShellSyntaxError(text, describeOperator(text, index));
    } else {
      const expansion = expansionAt(text, index);
      if (expansion) throw new ShellSyntaxError(text, expansion);
      append(char, false);
      index += 1;
    }
  }
  endWord();
  return words;
}

/**
 * Splits a command line into argv words: single quotes, double quotes (with `\` escapes for `\ " $ \``), backslash
 * escapes outside quotes, and adjacent parts joining into one word (`a"b c"d` → `ab cd`). Leading `NAME=value`
 * words are returned as plain words too ("ignoring nothing"); use parseCommandLine to separate them.
 * Throws ShellSyntaxError for pipes, redirections, `&&`/`||`/`;`/`&`, subshells and substitutions outside single
 * quotes, and CommandLineError for an unterminated quote. Globs and `~` are passed through literally.
 */
export function splitCommandLine(text: string): string[] {
  return splitWords(text.trim()).map((word) => word.text);
}

/** Like splitCommandLine, but leading `NAME=value` assignments become `env`. Throws CommandLineError if no command remains. */
export function parseCommandLine(text: string): ParsedCommandLine {
  const words = splitWords(text.trim());
  const env: Record<string, string> = {};
  let first = 0;
  for (const word of words) {
    if (word.assignmentNameLength === null) break;
    env[word.text.slice(0, word.assignmentNameLength)] = word.text.slice(word.assignmentNameLength + 1);
    first += 1;
  }
  const argv = words.slice(first).map((word) => word.text);
  if (argv.length === 0) throw new CommandLineError(`The command \`${text.trim()}\` has no program to run.`);
  return { env, argv };
}
