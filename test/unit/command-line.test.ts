// Splits command lines like a shell would quote them, and refuses the shell syntax RFSN cannot run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CommandLineError,
  parseCommandLine,
  ShellSyntaxError,
  splitCommandLine,
} from "../../src/core/command-line.js";

describe("splitCommandLine", () => {
  it("splits on runs of spaces and tabs", () => {
    expect(splitCommandLine("  npm   test\t--  -x ")).toEqual(["npm", "test", "--", "-x"]);
  });

  it("keeps single-quoted text literally, backslashes and dollars included", () => {
    expect(splitCommandLine("pytest -k 'a or $b \\n'")).toEqual(["pytest", "-k", "a or $b \\n"]);
  });

  it("honours backslash escapes inside double quotes and keeps other backslashes", () => {
    expect(splitCommandLine('echo "say \\"hi\\" \\\\ \\$HOME \\d"')).toEqual([
      "echo",
      'say "hi" \\ $HOME \\d',
    ]);
  });

  it("joins adjacent quoted and unquoted parts into one word", () => {
    expect(splitCommandLine(`a"b c"d 'e'"f"g`)).toEqual(["ab cd", "efg"]);
  });

  it("treats a backslash outside quotes as escaping the next character", () => {
    expect(splitCommandLine("ls my\\ file a\\|b")).toEqual(["ls", "my file", "a|b"]);
  });

  it("keeps empty quoted words", () => {
    expect(splitCommandLine(`node -e "" ''`)).toEqual(["node", "-e", "", ""]);
  });

  it("returns leading assignments as ordinary words", () => {
    expect(splitCommandLine("CI=1 npm test")).toEqual(["CI=1", "npm", "test"]);
  });

  it("allows shell operators inside quotes", () => {
    expect(splitCommandLine(`grep "a|b && c > d; e" 'f$(g)'`)).toEqual(["grep", "a|b && c > d; e", "f$(g)"]);
  });

  it("returns no words for a blank line", () => {
    expect(splitCommandLine("   ")).toEqual([]);
  });

  it.each([
    ["npm test | tee log", "a pipe `|`"],
    ["npm test || true", "`||`"],
    ["npm ci && npm test", "`&&`"],
    ["npm test; echo done", "`;`"],
    ["npm test > out.txt", "redirection `>`"],
    ["npm test >> out.txt", "redirection `>>`"],
    ["npm test < in.txt", "redirection `<`"],
    ["npm test 2>&1", "redirection `>`"],
    ["npm test &", "`&`"],
    ["echo $(whoami)", "command substitution `$(…)`"],
    ['echo "$(whoami)"', "command substitution `$(…)`"],
    ["echo `whoami`", "command substitution with backticks"],
    ["echo $HOME", "variable expansion `$…`"],
    ["(cd x)", "a subshell `( … )`"],
    ["npm ci\nnpm test", "a line break between commands"],
  ])("refuses %j as shell syntax (%s)", (text, syntax) => {
    const error = (() => {
      try {
        splitCommandLine(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ShellSyntaxError);
    expect((error as ShellSyntaxError).syntax).toBe(syntax);
    expect((error as Error).message).toContain("without a shell");
    expect((error as Error).message).toContain("bash scripts/test.sh");
  });

  it.each(["echo 'open", 'echo "open', "echo trailing\\"])("refuses the unterminated %j", (text) => {
    expect(() => splitCommandLine(text)).toThrow(CommandLineError);
    expect(() => splitCommandLine(text)).not.toThrow(ShellSyntaxError);
  });

  it("either splits or throws one of its two errors, whatever the input", () => {
    const alphabet = fc.constantFrom(..." \t'\"\\|&;<>()$`{}=aZ_9-\n*~#".split(""));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join("")),
        (text) => {
          try {
            const words = splitCommandLine(text);
            expect(Array.isArray(words)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(CommandLineError);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("gives back any list of plain words that were single-quoted and joined by spaces", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string().filter((word) => !word.includes("'")),
          { minLength: 1, maxLength: 6 },
        ),
        (words) => {
          expect(splitCommandLine(words.map((word) => `'${word}'`).join(" "))).toEqual(words);
        },
      ),
    );
  });
});

describe("parseCommandLine", () => {
  it("separates leading NAME=value assignments from the command", () => {
    expect(parseCommandLine(`CI=1 NODE_OPTIONS="--max-old-space-size=4096" npx jest A=B`)).toEqual({
      env: { CI: "1", NODE_OPTIONS: "--max-old-space-size=4096" },
      argv: ["npx", "jest", "A=B"],
    });
  });

  it("allows empty values and quoted values after the equals sign", () => {
    expect(parseCommandLine("EMPTY= QUOTED='a b' pytest")).toEqual({
      env: { EMPTY: "", QUOTED: "a b" },
      argv: ["pytest"],
    });
  });

  it("does not treat a quoted or escaped name as an assignment", () => {
    expect(parseCommandLine(`"A"=1 run`).argv).toEqual(["A=1", "run"]);
    expect(parseCommandLine("A\\=1 run").argv).toEqual(["A=1", "run"]);
    expect(parseCommandLine("1A=1 run").argv).toEqual(["1A=1", "run"]);
    expect(parseCommandLine("=x run").argv).toEqual(["=x", "run"]);
  });

  it("refuses a line with assignments but no program", () => {
    expect(() => parseCommandLine("CI=1")).toThrow(CommandLineError);
    expect(() => parseCommandLine("")).toThrow(/no program to run/);
  });
});
