// The published JSON Schema of `.github/rfsn.yml` and the sample file: generated, current, and in agreement with the parser.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_SCHEMA_ID, configJsonSchema } from "../../src/core/config/json-schema.js";
import { parseRepositoryConfig } from "../../src/core/config/parse.js";
import { SAMPLE_CONFIG_YAML } from "../../src/core/config/sample.js";
import { DEFAULT_CONFIG, SECTION_KEYS } from "../../src/core/config/schema.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(configJsonSchema());
}

type JsonSchemaNode = {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
};

function undescribed(node: JsonSchemaNode, path: string): string[] {
  const missing: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path ? `${path}.${key}` : key;
    if (!child.description) missing.push(childPath);
    missing.push(...undescribed(child, childPath));
    if (child.items && !child.items.description) missing.push(`${childPath}[]`);
  }
  return missing;
}

describe("configJsonSchema", () => {
  it("matches the committed schema/rfsn.schema.json (run `npm run build` to regenerate it)", () => {
    const committed = readFileSync("schema/rfsn.schema.json", "utf8");
    expect(committed).toBe(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });

  it("has an id, a title and a description on every field", () => {
    const schema = configJsonSchema() as JsonSchemaNode & { $id?: string; title?: string };
    expect(schema.$id).toBe(CONFIG_SCHEMA_ID);
    expect(schema.title).toContain("rfsn.yml");
    expect(undescribed(schema, "")).toEqual([]);
    expect(Object.keys(schema.properties ?? {})).toEqual(SECTION_KEYS[""]);
  });

  it("accepts a complete configuration and an empty one", () => {
    const validate = validator();
    expect(validate(parse(readFileSync("test/fixtures/config/full.yml", "utf8")))).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate(parse(SAMPLE_CONFIG_YAML))).toBe(true);
  });

  it("rejects what the parser rejects: unknown keys, API keys, bad values", () => {
    const validate = validator();
    expect(validate({ limits: { max_iterations: -3 } })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe("/limits/max_iterations");
    expect(validate({ llm: { api_key: "x" } })).toBe(false);
    expect(validate({ enable: true })).toBe(false);
    expect(validate({ llm: { provider: "gpt" } })).toBe(false);
    expect(validate({ llm: { base_url: "not a url" } })).toBe(false);
    expect(validate({ protected_paths: [""] })).toBe(false);
    expect(validate(parse(readFileSync("test/fixtures/config/many-problems.yml", "utf8")))).toBe(false);
  });
});

describe("SAMPLE_CONFIG_YAML", () => {
  it("parses to the defaults", () => {
    expect(parseRepositoryConfig(SAMPLE_CONFIG_YAML)).toEqual(DEFAULT_CONFIG);
  });

  it("shows every key of every section", () => {
    const sample = parse(SAMPLE_CONFIG_YAML) as Record<string, Record<string, unknown>>;
    expect(Object.keys(sample)).toEqual(SECTION_KEYS[""]);
    for (const section of ["watch", "limits", "llm", "sandbox"]) {
      expect(Object.keys(sample[section] ?? {})).toEqual(SECTION_KEYS[section]);
    }
  });

  it("points editors at the published schema and explains every section in a comment", () => {
    expect(SAMPLE_CONFIG_YAML.split("\n")[0]).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_ID}`);
    for (const key of SECTION_KEYS[""] ?? []) {
      expect(SAMPLE_CONFIG_YAML).toMatch(new RegExp(`#[^\\n]*\\n(#[^\\n]*\\n)*${key}:`));
    }
  });
});
