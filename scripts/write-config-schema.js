// Writes schema/rfsn.schema.json from the compiled zod schema (run by `npm run build` after tsc).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { configJsonSchema } from "../dist/src/core/config/json-schema.js";

const target = join(dirname(fileURLToPath(import.meta.url)), "..", "schema", "rfsn.schema.json");
await mkdir(dirname(target), { recursive: true });
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
