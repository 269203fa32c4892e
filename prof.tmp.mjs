import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { initTracing } from "/work/main/dist/src/observability/tracing.js";
import { runRepairSession } from "/work/main/dist/src/repair/session.js";
import { cp, mkdtemp, symlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os"; import { join } from "node:path"; import { readFileSync } from "node:fs";
const exp = new InMemorySpanExporter();
const h = initTracing({ exporter: exp });
for (const id of process.argv.slice(2)) {
  const bug = JSON.parse(readFileSync(`/work/main/bench/corpus/${id}/bug.json`, "utf8"));
  const dir = await mkdtemp(join(tmpdir(), "prof-"));
  await cp(`/work/main/bench/corpus/${id}/project`, dir, { recursive: true });
  if (bug.language !== "python") await symlink("/work/main/node_modules", join(dir, "node_modules"));
  exp.reset();
  const t0 = Date.now();
  const r = await runRepairSession({ projectDir: dir, testCommand: bug.testCommand, timeBudgetMs: 120000, maxIterations: 1000 });
  console.log(id, r.outcome, "dur", r.durationMs, "suite", r.baseline?.suiteRunMs, "tried", r.candidates.tried, "runs", r.testRuns);
  const spans = exp.getFinishedSpans();
  const start = Math.min(...spans.map(s => s.startTime[0]*1e3 + s.startTime[1]/1e6));
  for (const s of spans.sort((a,b)=>(a.startTime[0]-b.startTime[0])*1e9+(a.startTime[1]-b.startTime[1]))) {
    const st = s.startTime[0]*1e3 + s.startTime[1]/1e6 - start; const d = s.duration[0]*1e3 + s.duration[1]/1e6;
    console.log(`  ${st.toFixed(0).padStart(6)} +${d.toFixed(0).padStart(5)} ${s.name} ${JSON.stringify(s.attributes).slice(0,150)}`);
  }
  await rm(dir, { recursive: true, force: true });
}
await h.shutdown();
