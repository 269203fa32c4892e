// Regenerates docs/example-report.md from a repair session on a copy of examples/quickstart (run `npm run build` first).
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateExampleReport } from "../dist/src/repair/example-report-session.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
writeFileSync(
  join(root, "docs/example-report.md"),
  await generateExampleReport(join(root, "examples/quickstart")),
);
process.stdout.write("wrote docs/example-report.md\n");
