import type { JSONSchema7 } from "../../tools/json-schema.js";
import { sanitizeToolName, uniqueToolNames } from "../function/tool-name.js";
import type { OpenApiDocument } from "./load-spec.js";

export type ParamLocation = "path" | "query" | "header";

/** One request parameter and the input property that carries it. */
export interface OperationParam {
  name: string;
  in: ParamLocation;
  /** Property name in the tool input (the parameter name, or `in_name` on a clash). */
  property: string;
}

/** An operation ready to become a tool. */
export interface Operation {
  toolName: string;
  operationId?: string;
  method: string;
  path: string;
  description: string;
  /** What the planner sees: path, query and header parameters, plus `body`. */
  inputSchema: JSONSchema7;
  params: OperationParam[];
  /** Content type of the JSON body, when the operation takes one. */
  bodyContentType?: string;
}

/** Parameters the source sets itself (identity, configured headers); hidden from the planner. */
export interface BoundParams {
  header: string[];
  query: string[];
  path: string[];
}

export interface SkippedOperation {
  method: string;
  path: string;
  reason: string;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
const DESCRIPTION_MAX = 1_000;

/**
 * Turns the document's operations into tool descriptions. `include` filters by operationId or
 * `METHOD /path` (exact, `*` wildcards). Operations needing a body we cannot send (non-JSON)
 * are skipped and reported.
 */
export function extractOperations(
  document: OpenApiDocument,
  options: { include?: string[]; bound: BoundParams },
): { operations: Omit<Operation, "toolName">[]; names: string[]; skipped: SkippedOperation[] } {
  const include = options.include?.map(globToRegExp);
  const operations: Omit<Operation, "toolName">[] = [];
  const rawNames: string[] = [];
  const skipped: SkippedOperation[] = [];

  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item || typeof item !== "object") continue;
    const shared = asParams(item.parameters);
    for (const method of METHODS) {
      const op = item[method] as Record<string, any> | undefined;
      if (!op || typeof op !== "object") continue;
      const label = `${method.toUpperCase()} ${path}`;
      const operationId = typeof op.operationId === "string" ? op.operationId : undefined;
      if (
        include &&
        !include.some((re) => re.test(label) || (operationId !== undefined && re.test(operationId)))
      ) {
        continue;
      }
      const built = buildOperation(path, method, op, shared, options.bound);
      if ("reason" in built) {
        skipped.push({ method: method.toUpperCase(), path, reason: built.reason });
        continue;
      }
      operations.push({ ...built, operationId });
      rawNames.push(operationId ?? `${method}_${path}`);
    }
  }
  const names = uniqueToolNames(rawNames.map((raw) => sanitizeToolName(raw)));
  return { operations, names, skipped };
}

function buildOperation(
  path: string,
  method: string,
  op: Record<string, any>,
  shared: RawParam[],
  bound: BoundParams,
): Omit<Operation, "toolName" | "operationId"> | { reason: string } {
  // Operation-level parameters override path-level ones with the same name and location.
  const merged = new Map<string, RawParam>();
  for (const param of [...shared, ...asParams(op.parameters)]) merged.set(`${param.in}:${param.name}`, param);

  const properties: Record<string, JSONSchema7> = {};
  const required: string[] = [];
  const params: OperationParam[] = [];
  for (const param of merged.values()) {
    if (param.in !== "path" && param.in !== "query" && param.in !== "header") continue; // cookies: not sent
    const location = param.in;
    if (isBound(bound, location, param.name)) continue;
    const property =
      param.name in properties || param.name === "body" ? `${location}_${param.name}` : param.name;
    const schema: JSONSchema7 = { ...(param.schema ?? contentSchema(param.content) ?? { type: "string" }) };
    if (param.description && !schema.description) schema.description = param.description;
    properties[property] = schema;
    if (param.required || location === "path") required.push(property);
    params.push({ name: param.name, in: location, property });
  }

  let bodyContentType: string | undefined;
  const requestBody = op.requestBody as {
    content?: Record<string, { schema?: JSONSchema7 }>;
    required?: boolean;
  };
  if (requestBody?.content) {
    bodyContentType = Object.keys(requestBody.content).find(isJsonType);
    if (bodyContentType) {
      const media = requestBody.content[bodyContentType];
      properties.body = { ...(media.schema ?? {}) };
      if (!properties.body.description) properties.body.description = "JSON request body";
      if (requestBody.required) required.push("body");
    } else if (requestBody.required) {
      return {
        reason: `request body is ${Object.keys(requestBody.content).join(", ")}; only JSON bodies are supported`,
      };
    }
  }

  const inputSchema: JSONSchema7 = { type: "object", properties, additionalProperties: false };
  if (required.length > 0) inputSchema.required = required;
  return {
    method: method.toUpperCase(),
    path,
    description: describeOperation(method, path, op),
    inputSchema,
    params,
    bodyContentType,
  };
}

interface RawParam {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JSONSchema7;
  content?: Record<string, { schema?: JSONSchema7 }>;
}

function asParams(value: unknown): RawParam[] {
  if (!Array.isArray(value)) return [];
  return value.filter((p): p is RawParam => p && typeof p.name === "string" && typeof p.in === "string");
}

function contentSchema(content: RawParam["content"]): JSONSchema7 | undefined {
  return content ? Object.values(content)[0]?.schema : undefined;
}

function isBound(bound: BoundParams, location: ParamLocation, name: string): boolean {
  // HTTP header names are case-insensitive; query and path names are not.
  if (location === "header") return bound.header.some((h) => h.toLowerCase() === name.toLowerCase());
  return bound[location].includes(name);
}

function isJsonType(contentType: string): boolean {
  const base = contentType.split(";")[0].trim().toLowerCase();
  return base === "application/json" || base.endsWith("+json");
}

function describeOperation(method: string, path: string, op: Record<string, any>): string {
  const parts = [op.summary, op.description].filter(
    (s): s is string => typeof s === "string" && s.trim() !== "",
  );
  const unique = parts.length === 2 && parts[1].startsWith(parts[0]) ? [parts[1]] : parts;
  const text = unique.join(". ").trim() || `${method.toUpperCase()} ${path}`;
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX)}…` : text;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}
