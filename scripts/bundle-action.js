// Builds the Action's single-file bundle (bundle/index.js) with esbuild; `--check` fails when the committed one is stale.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const check = process.argv.includes("--check");
const committed = "bundle/index.js";
const outDir = check ? await mkdtemp(join(tmpdir(), "rfsn-bundle-")) : "bundle";
const outfile = join(outDir, "index.js");

await build({
  entryPoints: ["src/action/bundle-entry.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  loader: { ".wasm": "binary" },
  alias: { "better-sqlite3": "./src/store/sqlite-wasm-driver.ts" },
  legalComments: "none",
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __rfsnCreateRequire } from 'node:module'; const require = __rfsnCreateRequire(import.meta.url);",
  },
});

if (check) {
  const [fresh, current] = await Promise.all([
    readFile(outfile, "utf8"),
    readFile(committed, "utf8").catch(() => ""),
  ]);
  await rm(outDir, { recursive: true, force: true });
  if (fresh !== current) {
    console.error(`${committed} is stale: run \`npm run bundle\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${committed} is up to date.`);
}
