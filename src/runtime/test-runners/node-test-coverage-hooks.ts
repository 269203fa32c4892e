// Per-test V8 coverage from one `node --test` run: a preload cuts the coverage into segments at every test's start and end.

import { projectRelativePath } from "./stack-frames.js";
import type { LineRunCounts, TestCoverage } from "./types.js";
import { linesThatRan } from "./v8-coverage.js";

/** Coverage is cut for at most this many tests per process; later tests get none (each cut costs a few ms). */
export const MAX_SEGMENTED_TESTS = 150;

export const SEGMENT_LOG = "rfsn-segments.jsonl";

/**
 * Written to `<report dir>/rfsn-node-coverage.mjs` and loaded with `--import` into every test process. Root-level
 * hooks run for every test, nested ones included: at each start and end it writes the coverage counted since the last
 * cut (`v8.takeCoverage` resets the counters), renames the file to `segment-<pid>-<n>.json` and logs which tests were
 * running then (a parent test and its subtests, or tests running concurrently, share a segment). Does nothing
 * without NODE_V8_COVERAGE, in node's runner process, or after anything went wrong.
 */
export const NODE_TEST_COVERAGE_HOOKS_SOURCE = `// Written by RFSN at run time; cuts V8 coverage into per-test segments.
import { appendFileSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach } from "node:test";
import { takeCoverage } from "node:v8";

const dir = process.env.NODE_V8_COVERAGE;
const runnerProcess = process.execArgv.includes("--test") && !process.env.NODE_TEST_CONTEXT;
if (dir && !runnerProcess) {
  const log = join(dir, ${JSON.stringify(SEGMENT_LOG)});
  const prefix = "coverage-" + process.pid + "-";
  const running = [];
  let started = 0;
  let segments = 0;
  let broken = false;
  const cut = () => {
    takeCoverage();
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix)) continue;
      const segment = "segment-" + process.pid + "-" + segments++ + ".json";
      renameSync(join(dir, name), join(dir, segment));
      const owners = running.map((test) => test.index);
      appendFileSync(log, JSON.stringify({ pid: process.pid, file: process.argv[1], segment, running: owners }) + "\\n");
    }
  };
  const guarded = (step) => (context) => {
    if (broken) return;
    try {
      step(context);
    } catch {
      broken = true;
    }
  };
  // The time a cut takes counts in the test's duration; it is logged so that the duration can leave it out again.
  const timedCut = (index) => {
    const before = performance.now();
    cut();
    appendFileSync(log, JSON.stringify({ pid: process.pid, test: index, cutMs: performance.now() - before }) + "\\n");
  };
  beforeEach(guarded((context) => {
    if (started >= ${MAX_SEGMENTED_TESTS}) return;
    const index = started++;
    timedCut(index);
    running.push({ index, name: context.name });
    appendFileSync(log, JSON.stringify({ pid: process.pid, file: process.argv[1], start: index, name: context.name }) + "\\n");
  }));
  // Tests that run concurrently share the segments cut while both ran; each leaves when its own afterEach runs.
  afterEach(guarded((context) => {
    const position = running.findLastIndex((test) => test.name === context.name);
    if (position < 0) return;
    timedCut(running[position].index);
    running.splice(position, 1);
  }));
}
`;

interface StartRecord {
  pid: number;
  file: string;
  start: number;
  name: string;
}

interface SegmentRecord {
  pid: number;
  file: string;
  segment: string;
  running: number[];
}

interface CutRecord {
  pid: number;
  test: number;
  cutMs: number;
}

type HookRecord = StartRecord | SegmentRecord | CutRecord;

/** What the reporter said about one file: its tests (not suites) that ran, in the order they started. */
export interface RanTests {
  file: string;
  tests: { id: string; name: string }[];
}

/**
 * Pairs each test a process started (the hooks' start records) with the reporter's test of the same position in its
 * file and checks their names agree; a file whose sequences disagree (concurrent tests, a test run twice) is left out.
 * Returns `pid:start` → test id.
 */
export function matchStartedTests(
  starts: readonly StartRecord[],
  ran: readonly RanTests[],
  root: string,
): Map<string, string> {
  const matched = new Map<string, string>();
  const byFile = new Map(ran.map((entry) => [entry.file, entry.tests]));
  const startsByProcess = new Map<number, StartRecord[]>();
  for (const start of starts)
    startsByProcess.set(start.pid, [...(startsByProcess.get(start.pid) ?? []), start]);
  for (const [pid, list] of startsByProcess) {
    const file = projectRelativePath(list[0]?.file ?? "", root);
    const tests = byFile.get(file);
    if (!tests) continue;
    const agree = list.every(
      (start, position) => start.start === position && tests[position]?.name === start.name,
    );
    if (!agree) continue;
    for (const start of list) matched.set(`${pid}:${start.start}`, tests[start.start]?.id ?? "");
  }
  return matched;
}

/**
 * Executed lines per test id from the hooks' log and the line counts of every coverage file the run left (tests the
 * hooks did not reach, or could not pair with the reporter's, are absent), and the time the cuts took per test.
 */
export function segmentedCoverage(
  log: string,
  countsByCoverageFile: ReadonlyMap<string, LineRunCounts>,
  ran: readonly RanTests[],
  root: string,
): { coverage: TestCoverage; cutMsByTest: Map<string, number> } {
  const records = parseRecords(log);
  const starts = records.filter((record): record is StartRecord => "start" in record);
  const ids = matchStartedTests(starts, ran, root);
  const cutMsByTest = new Map<string, number>();
  for (const record of records) {
    if (!("cutMs" in record)) continue;
    const id = ids.get(`${record.pid}:${record.test}`);
    if (id !== undefined) cutMsByTest.set(id, (cutMsByTest.get(id) ?? 0) + record.cutMs);
  }
  const coverage = new Map<string, Map<string, Set<number>>>();
  for (const segment of records) {
    if (!("segment" in segment)) continue;
    const owners = segment.running.map((index) => ids.get(`${segment.pid}:${index}`));
    const counts = countsByCoverageFile.get(segment.segment);
    if (!counts || owners.some((owner) => owner === undefined)) continue;
    for (const owner of owners as string[]) {
      const files = coverage.get(owner) ?? new Map<string, Set<number>>();
      coverage.set(owner, files);
      for (const [file, lineCounts] of counts) {
        const lines = files.get(file) ?? new Set<number>();
        for (const line of linesThatRan(lineCounts)) lines.add(line);
        files.set(file, lines);
      }
    }
  }
  return { coverage, cutMsByTest };
}

function parseRecords(text: string): HookRecord[] {
  const records: HookRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as HookRecord;
      if (record && typeof record === "object" && typeof record.pid === "number") records.push(record);
    } catch {
      // a line cut short by a killed process
    }
  }
  return records;
}
