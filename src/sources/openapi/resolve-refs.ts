/**
 * Inlines the local `$ref`s (`#/components/...`) of an OpenAPI document, so every operation's
 * schema is self-contained for the planner and the validator. A reference that leads back into
 * itself is cut at the second visit and replaced by an open schema that names it, which keeps
 * recursive types (trees, linked records) finite.
 */
export class RefError extends Error {}

export function resolveLocalRefs<T>(root: T): T;
/** Resolves only `node` (a part of `root`), with refs looked up in `root`. */
export function resolveLocalRefs<N>(root: unknown, node: N): N;
export function resolveLocalRefs(root: unknown, node: unknown = root): unknown {
  const resolving: string[] = [];

  function lookup(ref: string): unknown {
    if (!ref.startsWith("#")) {
      throw new RefError(`external $ref "${ref}" is not supported; bundle the document into one file first`);
    }
    const pointer = ref.slice(1);
    if (pointer === "") return root;
    if (!pointer.startsWith("/")) throw new RefError(`$ref "${ref}" is not a JSON pointer`);
    let node: unknown = root;
    for (const raw of pointer.slice(1).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (node === null || typeof node !== "object" || !(key in (node as object))) {
        throw new RefError(`$ref "${ref}" points at nothing`);
      }
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }

  function walk(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === "string") {
      const ref = record.$ref;
      const { $ref: _ref, ...siblings } = record;
      if (resolving.includes(ref)) {
        const name = ref.split("/").pop();
        return { description: `(recursive reference to ${name})`, ...walkObject(siblings) };
      }
      resolving.push(ref);
      try {
        const target = walk(lookup(ref));
        // OpenAPI 3.1 allows siblings next to $ref (description, summary); they win.
        return target && typeof target === "object" && !Array.isArray(target)
          ? { ...(target as object), ...walkObject(siblings) }
          : target;
      } finally {
        resolving.pop();
      }
    }
    return walkObject(record);
  }

  function walkObject(record: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) out[key] = walk(value);
    return out;
  }

  return walk(node);
}
