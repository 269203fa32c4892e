// The JSON Schema of `.github/rfsn.yml`, generated from the zod schema (editors use it for completion and checks).
import { z } from "zod";
import { repositoryConfigSchema } from "./schema.js";

export const CONFIG_SCHEMA_ID = "https://github.com/rfsn/rfsn/raw/main/schema/rfsn.schema.json";

/** The input side of the schema (every key optional, defaults shown), as a draft-07 JSON Schema. */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, ...generated } = z.toJSONSchema(repositoryConfigSchema, {
    io: "input",
    target: "draft-07",
  });
  return {
    $schema,
    $id: CONFIG_SCHEMA_ID,
    title: "RFSN repository configuration (.github/rfsn.yml)",
    description:
      "Settings of RFSN, which repairs failing CI. Every key is optional; a missing key takes the default shown.",
    ...generated,
  };
}
