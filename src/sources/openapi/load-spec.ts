import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { OpenApiSourceError } from "./openapi-errors.js";
import { RefError, resolveLocalRefs } from "./resolve-refs.js";

/** The parts of an OpenAPI 3.x document this source reads. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  servers?: { url: string; variables?: Record<string, { default?: string }> }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
}

export type OpenApiSpecInput = string | URL | Record<string, unknown>;

export interface LoadedSpec {
  document: OpenApiDocument;
  /** Where it was loaded from, to resolve relative `servers` URLs. */
  location?: URL;
}

/** Loads a document from a file path, an http(s) URL or an object, and inlines local `$ref`s. */
export async function loadOpenApiSpec(
  spec: OpenApiSpecInput,
  context: { source: string; timeoutMs: number },
): Promise<LoadedSpec> {
  const { source } = context;
  let raw: unknown;
  let location: URL | undefined;
  if (spec instanceof URL || (typeof spec === "string" && /^https?:\/\//i.test(spec))) {
    location = new URL(spec.toString());
    raw = parseText(await fetchText(location, context), location.pathname, source);
  } else if (typeof spec === "string") {
    let text: string;
    try {
      text = await readFile(spec, "utf8");
    } catch (error) {
      throw new OpenApiSourceError(
        "OPENAPI_SPEC_UNREADABLE",
        `Cannot read the OpenAPI document "${spec}" for source "${source}".`,
        { source },
        { cause: error, hint: "Check the path (relative paths start from the working directory)." },
      );
    }
    raw = parseText(text, spec, source);
  } else {
    raw = spec;
  }
  const document = checkDocument(raw, source);
  try {
    // Only the paths are inlined: operations are all we turn into tools, and components may be large.
    return { document: { ...document, paths: resolveLocalRefs(document, document.paths) }, location };
  } catch (error) {
    if (error instanceof RefError) {
      throw new OpenApiSourceError(
        "OPENAPI_SPEC_INVALID",
        `OpenAPI document of "${source}": ${error.message}.`,
        {
          source,
        },
      );
    }
    throw error;
  }
}

async function fetchText(url: URL, context: { source: string; timeoutMs: number }): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(context.timeoutMs) });
  } catch (error) {
    throw new OpenApiSourceError(
      "OPENAPI_SPEC_UNREADABLE",
      `Cannot fetch the OpenAPI document ${url.href} for source "${context.source}": ${(error as Error).message}.`,
      { source: context.source },
      { cause: error, hint: "Check the service is running and the URL is right." },
    );
  }
  if (!response.ok) {
    throw new OpenApiSourceError(
      "OPENAPI_SPEC_UNREADABLE",
      `Fetching the OpenAPI document ${url.href} for source "${context.source}" gave HTTP ${response.status}.`,
      { source: context.source, status: response.status },
    );
  }
  return response.text();
}

function parseText(text: string, where: string, source: string): unknown {
  try {
    // YAML is a superset of JSON, but JSON.parse is much faster on large documents.
    return /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new OpenApiSourceError(
      "OPENAPI_SPEC_INVALID",
      `The OpenAPI document "${where}" for source "${source}" is neither valid JSON nor YAML: ${(error as Error).message}`,
      { source },
      { cause: error },
    );
  }
}

function checkDocument(raw: unknown, source: string): OpenApiDocument {
  const doc = raw as Partial<OpenApiDocument> | null;
  if (!doc || typeof doc !== "object" || typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    const swagger = doc && typeof doc === "object" && "swagger" in doc;
    throw new OpenApiSourceError(
      "OPENAPI_SPEC_INVALID",
      `The document for source "${source}" is not an OpenAPI 3.x document.`,
      { source },
      {
        hint: swagger
          ? "Swagger 2.0 is not supported; convert it to OpenAPI 3 (e.g. with swagger2openapi)."
          : 'Expected a top-level "openapi: 3.x" field.',
      },
    );
  }
  if (doc.paths !== undefined && (typeof doc.paths !== "object" || doc.paths === null)) {
    throw new OpenApiSourceError(
      "OPENAPI_SPEC_INVALID",
      `"paths" in the document for "${source}" is not an object.`,
      {
        source,
      },
    );
  }
  return doc as OpenApiDocument;
}
