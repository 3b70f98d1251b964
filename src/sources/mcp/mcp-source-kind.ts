import { z } from "zod";
import { positiveInt, type SourceKind, sourceName, stringMap } from "../source-kind.js";

export const mcpSourceSchema = z
  .strictObject({
    kind: z.literal("mcp"),
    name: sourceName,
    command: z
      .string()
      .optional()
      .describe("stdio: the program that runs the server (exactly one of `command`, `url`)."),
    args: z.array(z.string()).optional().describe("stdio: its arguments."),
    env: stringMap.optional().describe("stdio: extra environment variables for the child."),
    cwd: z.string().optional().describe("stdio: its working directory (relative to the config file)."),
    url: z.string().url().optional().describe("Streamable HTTP: the server's URL."),
    headers: stringMap
      .optional()
      .describe("Streamable HTTP: headers on every request, e.g. `Authorization`."),
    include: z.array(z.string()).optional().describe("Server tool names to offer (`*` wildcards)."),
    exclude: z.array(z.string()).optional().describe("Server tool names to leave out (`*` wildcards)."),
    prefix: z
      .union([z.string(), z.boolean()])
      .optional()
      .describe("Prefix for tool names (`true`: the source name), against clashes across servers."),
    timeoutMs: positiveInt.optional().meta({ description: "Per call.", default: 30_000 }),
    trusted: z
      .boolean()
      .optional()
      .describe(
        "Required for a `url` on a non-local host: it receives tool arguments, which may carry data.",
      ),
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
