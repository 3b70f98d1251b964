import { z } from "zod";
import { positiveInt, type SourceKind, sourceName, stringMap } from "../source-kind.js";

export const mcpSourceSchema = z
  .strictObject({
    kind: z.literal("mcp"),
    name: sourceName,
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    env: stringMap.optional(),
    cwd: z.string().optional(),
    url: z.string().url().optional(),
    headers: stringMap.optional(),
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
    prefix: z.union([z.string(), z.boolean()]).optional(),
    timeoutMs: positiveInt.optional(),
    /** A Streamable HTTP server on a non-local host receives tool arguments (possibly data): declare it. */
    trusted: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.command) === Boolean(c.url))
      ctx.addIssue({
        code: "custom",
        message: "needs exactly one of command (stdio) or url (Streamable HTTP)",
      });
  });

export type McpSourceEntry = z.output<typeof mcpSourceSchema>;

/** `kind: mcp`: the tools of an MCP server, over stdio (a child process) or Streamable HTTP. */
export const mcpSourceKind: SourceKind<McpSourceEntry> = {
  kind: "mcp",
  schema: mcpSourceSchema,
  async create(entry, context) {
    const { createMcpSource } = await import("./mcp-source.js");
    const transport = entry.command
      ? {
          kind: "stdio" as const,
          command: entry.command,
          args: entry.args,
          env: entry.env,
          cwd: entry.cwd ? context.resolvePath(entry.cwd) : undefined,
        }
      : { kind: "http" as const, url: entry.url!, headers: entry.headers };
    return createMcpSource({
      name: entry.name,
      transport,
      include: entry.include,
      exclude: entry.exclude,
      prefix: entry.prefix,
      timeoutMs: entry.timeoutMs,
    });
  },
  remote: (entry) => ({ urls: entry.url ? [entry.url] : [], trusted: entry.trusted === true }),
};
