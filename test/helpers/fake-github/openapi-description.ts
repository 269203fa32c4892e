// Loads GitHub's OpenAPI description once per process and turns operations into route matchers and ajv validators.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/**
 * We load `api.github.com.json` (13 MB, ~0.2 s) rather than the dereferenced variant (73 MB, ~1 s and ~200 MB heap):
 * each operation's schema is assembled lazily with only the components it references, converted from
 * OpenAPI 3.0 (`nullable`, non-exclusive `oneOf`) to JSON Schema, and compiled by ajv on first use.
 */
type JsonObject = { [key: string]: unknown };

interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonObject;
  "x-multi-segment"?: boolean;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: Array<OpenApiParameter | { $ref: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonObject }> };
  responses: Record<string, JsonObject>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonObject>;
    parameters: Record<string, OpenApiParameter>;
    responses: Record<string, JsonObject>;
  };
}

export interface ValidationOutcome {
  ok: boolean;
  message: string;
}

export interface Operation {
  operationId: string;
  method: string;
  pathTemplate: string;
  documentedStatuses: string[];
  pathParameters: OpenApiParameter[];
  queryParameters: OpenApiParameter[];
  hasRequestBody: boolean;
  requestBodyRequired: boolean;
}

export interface MatchedOperation {
  operation: Operation;
  pathParams: Record<string, string>;
}

interface CompiledRoute {
  operation: Operation;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

const require = createRequire(import.meta.url);
const SCHEMA_PREFIX = "#/components/schemas/";

let cachedDocument: OpenApiDocument | null = null;
let cachedRoutes: CompiledRoute[] | null = null;
const validatorCache = new Map<string, ValidateFunction | null>();
const operationsById = new Map<string, { operation: Operation; raw: OpenApiOperation }>();

function documentPath(): string {
  return require.resolve("@octokit/openapi/generated/api.github.com.json");
}

export function openApiDocument(): OpenApiDocument {
  if (!cachedDocument) {
    cachedDocument = JSON.parse(readFileSync(documentPath(), "utf8")) as OpenApiDocument;
    if (!cachedDocument.openapi.startsWith("3.0")) {
      throw new Error(`fake-github expects an OpenAPI 3.0 description, found ${cachedDocument.openapi}`);
    }
  }
  return cachedDocument;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const bodyAjv = addFormats(new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false }));
const parameterAjv = addFormats(
  new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false, coerceTypes: true }),
);

function resolveParameter(parameter: OpenApiParameter | { $ref: string }): OpenApiParameter {
  if ("$ref" in parameter) {
    const name = parameter.$ref.slice("#/components/parameters/".length);
    const found = openApiDocument().components.parameters[name];
    if (!found) throw new Error(`unresolvable parameter ${parameter.$ref}`);
    return found;
  }
  return parameter;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileRoutes(): CompiledRoute[] {
  if (cachedRoutes) return cachedRoutes;
  const routes: CompiledRoute[] = [];
  for (const [pathTemplate, item] of Object.entries(openApiDocument().paths)) {
    const shared = ((item.parameters as OpenApiParameter[] | undefined) ?? []).map(resolveParameter);
    for (const [method, value] of Object.entries(item)) {
      if (method === "parameters" || typeof value !== "object" || value === null) continue;
      const raw = value as OpenApiOperation;
      const parameters = [...shared, ...(raw.parameters ?? []).map(resolveParameter)];
      const pathParameters = parameters.filter((p) => p.in === "path");
      const multiSegment = new Set(pathParameters.filter((p) => p["x-multi-segment"]).map((p) => p.name));
      const names: string[] = [];
      let literalSegments = 0;
      const pattern = pathTemplate
        .split("/")
        .map((segment) => {
          const variable = /^\{([^}]+)\}$/.exec(segment);
          if (!variable?.[1]) {
            literalSegments += 1;
            return escapeRegex(segment);
          }
          names.push(variable[1]);
          return multiSegment.has(variable[1]) ? "(.+)" : "([^/]+)";
        })
        .join("/");
      const operation: Operation = {
        operationId: raw.operationId,
        method: method.toUpperCase(),
        pathTemplate,
        documentedStatuses: Object.keys(raw.responses),
        pathParameters,
        queryParameters: parameters.filter((p) => p.in === "query"),
        hasRequestBody: Boolean(raw.requestBody?.content?.["application/json"]),
        requestBodyRequired: Boolean(raw.requestBody?.required),
      };
      operationsById.set(operation.operationId, { operation, raw });
      routes.push({ operation, regex: new RegExp(`^${pattern}$`), names, literalSegments });
    }
  }
  routes.sort((a, b) => b.literalSegments - a.literalSegments || a.names.length - b.names.length);
  cachedRoutes = routes;
  return routes;
}

/** Finds the documented operation for a method and a path (without query string); null when GitHub has none. */
export function matchOperation(method: string, pathname: string): MatchedOperation | null {
  for (const route of compileRoutes()) {
    if (route.operation.method !== method.toUpperCase()) continue;
    const match = route.regex.exec(pathname);
    if (!match) continue;
    const pathParams: Record<string, string> = {};
    route.names.forEach((name, index) => {
      pathParams[name] = decodeURIComponent(match[index + 1] ?? "");
    });
    return { operation: route.operation, pathParams };
  }
  return null;
}

export function findOperation(operationId: string): Operation | null {
  compileRoutes();
  return operationsById.get(operationId)?.operation ?? null;
}

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes a null type, `oneOf` becomes `anyOf` (GitHub's branches overlap), refs are local. */
function convertSchema(node: unknown, referenced: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => convertSchema(item, referenced));
  if (typeof node !== "object" || node === null) return node;
  const source = node as JsonObject;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "example" || key === "examples" || key === "nullable" || key === "discriminator") continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith(SCHEMA_PREFIX)) {
      const name = value.slice(SCHEMA_PREFIX.length);
      referenced.add(name);
      result.$ref = `#/definitions/${name}`;
      continue;
    }
    if (key === "properties" && typeof value === "object" && value !== null) {
      const properties: JsonObject = {};
      for (const [name, schema] of Object.entries(value))
        properties[name] = convertSchema(schema, referenced);
      result.properties = properties;
      continue;
    }
    result[key === "oneOf" ? "anyOf" : key] = convertSchema(value, referenced);
  }
  if (source.nullable !== true) return result;
  if (typeof result.type === "string") {
    result.type = [result.type, "null"];
    if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...result.enum, null];
    return result;
  }
  return { anyOf: [{ type: "null" }, result] };
}

function standaloneSchema(schema: JsonObject, closeTopLevel: boolean): JsonObject {
  const referenced = new Set<string>();
  const root = convertSchema(schema, referenced) as JsonObject;
  const definitions: JsonObject = {};
  const pending = [...referenced];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in definitions) continue;
    const component = openApiDocument().components.schemas[name];
    if (!component) throw new Error(`unresolvable schema ${name}`);
    const before = new Set(referenced);
    definitions[name] = convertSchema(component, referenced);
    for (const added of referenced) if (!before.has(added)) pending.push(added);
  }
  const closed = closeTopLevel ? closeObject(root, definitions) : root;
  return { ...closed, definitions };
}

/** Rejects unknown top-level fields of a request body (and of each alternative), as a typo there is a bug in our code. */
function closeObject(schema: JsonObject, definitions: JsonObject): JsonObject {
  if (typeof schema.$ref === "string") {
    const target = definitions[schema.$ref.slice("#/definitions/".length)];
    if (target && typeof target === "object") return closeObject({ ...(target as JsonObject) }, definitions);
  }
  if (Array.isArray(schema.anyOf)) {
    return { ...schema, anyOf: schema.anyOf.map((branch) => closeObject(branch as JsonObject, definitions)) };
  }
  if (schema.properties && schema.additionalProperties === undefined)
    return { ...schema, additionalProperties: false };
  return schema;
}

function rawOperation(operationId: string): OpenApiOperation {
  compileRoutes();
  const entry = operationsById.get(operationId);
  if (!entry) throw new Error(`unknown operation ${operationId}`);
  return entry.raw;
}

function formatErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 8)
    .map(
      (error) =>
        `${error.instancePath || "(root)"} ${error.message ?? "is invalid"}${paramsText(error.params)}`,
    )
    .join("; ");
}

function paramsText(params: unknown): string {
  if (!params || typeof params !== "object") return "";
  const record = params as Record<string, unknown>;
  if (typeof record.additionalProperty === "string") return ` (${record.additionalProperty})`;
  if (typeof record.missingProperty === "string") return ` (${record.missingProperty})`;
  return "";
}

function cachedValidator(key: string, build: () => JsonObject | null, ajv: Ajv): ValidateFunction | null {
  if (!validatorCache.has(key)) {
    const schema = build();
    validatorCache.set(key, schema ? ajv.compile(schema) : null);
  }
  return validatorCache.get(key) ?? null;
}

export function validateRequestBody(operation: Operation, body: unknown): ValidationOutcome {
  if (!operation.hasRequestBody) {
    return body === undefined
      ? { ok: true, message: "" }
      : { ok: false, message: "this operation takes no request body" };
  }
  if (body === undefined) {
    return operation.requestBodyRequired
      ? { ok: false, message: "a JSON request body is required" }
      : { ok: true, message: "" };
  }
  const validate = cachedValidator(
    `request ${operation.operationId}`,
    () => {
      const schema = rawOperation(operation.operationId).requestBody?.content?.["application/json"]?.schema;
      return schema ? standaloneSchema(schema, true) : null;
    },
    bodyAjv,
  );
  if (!validate || validate(body)) return { ok: true, message: "" };
  return { ok: false, message: `request body: ${formatErrors(validate)}` };
}

function parameterSchema(parameters: OpenApiParameter[], closed: boolean): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.name] = parameter.schema ? standaloneSchema(parameter.schema, false) : {};
    if (parameter.required) required.push(parameter.name);
  }
  return { type: "object", properties, required, additionalProperties: !closed };
}

export function validateParameters(
  operation: Operation,
  pathParams: Record<string, string>,
  query: Record<string, string>,
): ValidationOutcome {
  const validatePath = cachedValidator(
    `path ${operation.operationId}`,
    () => parameterSchema(operation.pathParameters, false),
    parameterAjv,
  );
  if (validatePath && !validatePath({ ...pathParams })) {
    return { ok: false, message: `path parameters: ${formatErrors(validatePath)}` };
  }
  const validateQuery = cachedValidator(
    `query ${operation.operationId}`,
    () => parameterSchema(operation.queryParameters, true),
    parameterAjv,
  );
  if (validateQuery && !validateQuery({ ...query })) {
    return { ok: false, message: `query parameters: ${formatErrors(validateQuery)}` };
  }
  return { ok: true, message: "" };
}

function resolveResponse(response: JsonObject | undefined): JsonObject | undefined {
  const ref = response?.$ref;
  if (typeof ref === "string")
    return openApiDocument().components.responses[ref.slice("#/components/responses/".length)];
  return response;
}

/**
 * Checks a response the fake is about to send. A status GitHub does not document for the operation is accepted only
 * for errors (GitHub answers 404/403 almost everywhere), and then the body must still look like GitHub's `basic-error`.
 */
export function validateResponse(operation: Operation, status: number, body: unknown): ValidationOutcome {
  const documented = resolveResponse(rawOperation(operation.operationId).responses[String(status)]);
  if (!documented) {
    if (status < 400) {
      return { ok: false, message: `status ${status} is not documented for ${operation.operationId}` };
    }
    const validate = cachedValidator(
      "basic-error",
      () => standaloneSchema({ $ref: `${SCHEMA_PREFIX}basic-error` }, false),
      bodyAjv,
    );
    if (validate && !validate(body)) return { ok: false, message: `error body: ${formatErrors(validate)}` };
    return { ok: true, message: "" };
  }
  const content = documented.content as Record<string, { schema?: JsonObject }> | undefined;
  const schema = content?.["application/json"]?.schema;
  if (!schema) {
    return body === undefined || body === ""
      ? { ok: true, message: "" }
      : { ok: false, message: `status ${status} of ${operation.operationId} is documented without a body` };
  }
  const validate = cachedValidator(
    `response ${operation.operationId} ${status}`,
    () => standaloneSchema(schema, false),
    bodyAjv,
  );
  if (validate && !validate(body)) {
    return {
      ok: false,
      message: `response ${status} of ${operation.operationId}: ${formatErrors(validate)}`,
    };
  }
  return { ok: true, message: "" };
}

/** The documented example for a response, used by the fake as the template of its payloads. */
export function documentedExample(operationId: string, status: number, exampleName?: string): unknown {
  const document = openApiDocument() as unknown as {
    components: { examples: Record<string, { value: unknown }> };
  };
  const response = resolveResponse(rawOperation(operationId).responses[String(status)]);
  const content = response?.content as Record<
    string,
    { examples?: Record<string, { $ref?: string; value?: unknown }> }
  >;
  const examples = content?.["application/json"]?.examples ?? {};
  const chosen = exampleName ? examples[exampleName] : Object.values(examples)[0];
  if (!chosen) throw new Error(`no documented example for ${operationId} ${status}`);
  const value =
    chosen.$ref !== undefined
      ? document.components.examples[chosen.$ref.split("/").pop() ?? ""]?.value
      : chosen.value;
  return structuredClone(value);
}
