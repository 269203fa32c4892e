// Finds changes that make tests pass without fixing anything: skips, focus, forced success exits, deleted or edited assertions.
import {
  type ChangedLine,
  type FileChange,
  type GateFinding,
  normalizeWhitespace,
  type SourceKind,
} from "./changed-lines.js";
import type { GlobSet } from "./glob.js";

interface TamperRule {
  pattern: RegExp;
  what: string;
  /** Only for these kinds of files (all when absent). */
  kinds?: readonly SourceKind[];
}

const CODE: readonly SourceKind[] = ["javascript", "python"];
const SCRIPTS: readonly SourceKind[] = ["shell", "other"];

/** Added lines matching these weaken or bypass tests wherever they appear (inline tests live in source files too). */
const ADDED_LINE_RULES: readonly TamperRule[] = [
  {
    pattern: /\b(?:it|test|describe|suite|context|specify|bench)\.(?:skip|only|todo|fails|skipIf|runIf)\b/,
    what: "adds a skipped, focused or expected-to-fail test",
  },
  {
    pattern: /(?<![\w$.])(?:xit|xdescribe|xtest|xcontext|xspecify|fit|fdescribe)\s*\(/,
    what: "adds a disabled or focused test (x/f prefix)",
  },
  {
    pattern: /\bthis\.skip\s*\(|\bt\.(?:skip|todo)\s*\(|\{\s*(?:skip|todo)\s*:\s*(?:true|["'`])/,
    what: "skips a test at run time",
  },
  {
    pattern: /@pytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.mark\.(?:skip|skipif|xfail)\b/,
    what: "adds @pytest.mark.skip/skipif/xfail",
  },
  {
    pattern: /\bpytest\.(?:skip|xfail|exit)\s*\(|\bpytest\.importorskip\s*\(/,
    what: "skips tests with pytest.skip/xfail",
  },
  {
    pattern:
      /\bunittest\.(?:skip\w*|expectedFailure)\b|@(?:skip|skipIf|skipUnless|expectedFailure)\b|\bself\.skipTest\s*\(|\bSkipTest\b/,
    what: "skips tests with unittest.skip",
  },
  {
    pattern: /\|\|\s*(?:true|:)\s*(?:$|[;&)#"'`])/,
    what: "adds `|| true`, which hides a failing exit code",
    kinds: SCRIPTS,
  },
  {
    pattern: /["'`][^"'`]*\|\|\s*(?:true|:)\b/,
    what: "adds `|| true` to a command, hiding its exit code",
    kinds: CODE,
  },
  {
    pattern: /\|\|\s*exit\s+0\b|;\s*exit\s+0\b|&&\s*exit\s+0\b|^\s*exit\s+0\s*$/,
    what: "forces exit status 0",
  },
  { pattern: /\bset\s+\+e\b/, what: "disables exit-on-error (set +e)" },
  {
    pattern: /\bprocess\.exit\s*\(\s*(?:0\s*)?\)|\bprocess\.exitCode\s*=\s*0\b|\bprocess\.reallyExit\b/,
    what: "exits the process with status 0",
  },
  {
    pattern:
      /\bprocess\.(?:on|once)\s*\(\s*["'](?:uncaughtException|unhandledRejection|uncaughtExceptionMonitor)["']/,
    what: "intercepts uncaught errors",
  },
  {
    pattern:
      /\bsys\.exit\s*\(\s*(?:0|None|False)?\s*\)|\bos\._exit\s*\(|(?<![\w$.])(?:exit|quit)\s*\(\s*0?\s*\)/,
    what: "exits the interpreter early",
  },
  {
    pattern:
      /\b(?:pytest|_pytest|unittest|doctest)\.[\w.]+\s*=(?!=)|\bTestCase\.\w+\s*=(?!=)|\bsys\.modules\s*\[\s*["'](?:pytest|unittest|_pytest)/,
    what: "monkeypatches the test runner",
  },
  {
    pattern:
      /\b(?:globalThis|global|window)\.(?:it|test|describe|expect|assert)\s*=(?!=)|^\s*(?:it|test|describe|expect)\s*=(?!=)/,
    what: "replaces a test framework global",
  },
  {
    pattern: /\b(?:vi|jest)\.(?:spyOn|fn|mock)\s*\(\s*(?:console|process|assert|expect)\b/,
    what: "mocks the assertion or process machinery",
  },
  {
    pattern:
      /\bexpect\s*\(\s*(?:true|1)\s*\)\s*\.\s*toBe\s*\(\s*(?:true|1)\s*\)|\bassert\s+True\s*$|\bassert\s*\(\s*true\s*\)/,
    what: "adds an assertion that is always true",
  },
];

/** Lines that assert something in a test framework (removing them only makes tests weaker). */
const FRAMEWORK_ASSERTION =
  /\bexpect\s*\(|\bassert\.\w+\s*\(|\bassert\s*\(|\bself\.assert\w*\s*\(|\bassert[A-Z]\w*\s*\(|\bt\.(?:is|not|deepEqual|true|false|equal|assert|throws)\s*\(|\.should\.|\bpytest\.raises\b|\bexpect\.assertions\b/;
/** A Python `assert` statement. */
const ASSERT_STATEMENT = /^\s*assert\b(?!\s*[.(=])/;

function isAssertion(text: string): boolean {
  return FRAMEWORK_ASSERTION.test(text) || ASSERT_STATEMENT.test(text);
}

function firstAddedRule(change: FileChange): GateFinding | null {
  for (const added of change.added) {
    if (added.code.trim() === "") continue; // only a comment
    for (const rule of ADDED_LINE_RULES) {
      if (rule.kinds && !rule.kinds.includes(change.kind)) continue;
      const match = rule.pattern.exec(added.code);
      if (match) return { path: change.path, line: added.line, what: `${rule.what}: \`${match[0].trim()}\`` };
    }
  }
  return null;
}

function assertionChanges(change: FileChange, inTestFile: boolean): GateFinding | null {
  const removedAssertions = change.removed.filter((line) => isAssertion(line.text));
  if (removedAssertions.length === 0) return null;
  const addedNormalized = new Set(change.added.map((line) => normalizeWhitespace(line.text)));
  const addedAssertions: ChangedLine[] = change.added.filter((line) => isAssertion(line.text));
  for (const removed of removedAssertions) {
    if (addedNormalized.has(normalizeWhitespace(removed.text))) continue; // moved or re-indented
    const snippet = normalizeWhitespace(removed.text).slice(0, 60);
    const frameworkCall = FRAMEWORK_ASSERTION.test(removed.text);
    if (addedAssertions.length > 0) {
      // An assertion was rewritten: in tests (or test-framework calls anywhere) that changes what is expected.
      if (inTestFile || frameworkCall) {
        return {
          path: change.path,
          line: removed.line,
          what: `changes the expectation of assertion \`${snippet}\``,
        };
      }
      continue; // a precondition `assert` in source code being corrected
    }
    return { path: change.path, line: removed.line, what: `deletes assertion \`${snippet}\`` };
  }
  return null;
}

/**
 * A change to a doctest in a Python file: an added or removed `>>>` line, or a removed line of the output the
 * example expects (the lines after a `>>>` or `...` line up to a blank line), which pytest --doctest-modules runs.
 */
function doctestChange(change: FileChange): GateFinding | null {
  if (change.kind !== "python") return null;
  for (const hunk of change.patch.hunks) {
    let inExample = false;
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const line of hunk.lines) {
      const mark = line[0];
      const text = line.slice(1).trim();
      const prompt = text.startsWith(">>>") || (inExample && text.startsWith("..."));
      if (mark !== " " && prompt) {
        return {
          path: change.path,
          line: mark === "+" ? newLine : oldLine,
          what: `changes a doctest example \`${text.slice(0, 60)}\``,
        };
      }
      if (mark === "-" && inExample && text !== "") {
        return {
          path: change.path,
          line: oldLine,
          what: `changes the output a doctest expects \`${text.slice(0, 60)}\``,
        };
      }
      if (prompt) inExample = true;
      else if (text === "" || text.startsWith('"""') || text.startsWith("'''")) inExample = false;
      if (mark !== "+") oldLine += 1;
      if (mark !== "-") newLine += 1;
    }
  }
  return null;
}

export function checkTestTampering(changes: readonly FileChange[], testFiles: GlobSet): GateFinding | null {
  for (const change of changes) {
    const doctest = doctestChange(change);
    if (doctest) return doctest;
    const found = firstAddedRule(change);
    if (found) return found;
    const inTestFile = testFiles.match(change.path) !== null;
    const assertion = assertionChanges(change, inTestFile);
    if (assertion) return assertion;
  }
  return null;
}
