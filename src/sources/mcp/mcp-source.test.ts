import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFlmError } from "../../errors/flm-error.js";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import { everythingServer, filesystemServer } from "../../../test/helpers/mcp-reference-servers.js";
import type { Tool } from "../../tools/tool.js";
import { createMcpSource, type McpToolSource } from "./mcp-source.js";

const ctx = () => ({ signal: new AbortController().signal, stepId: "s1" });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function call(tools: Tool[], name: string, args: Record<string, unknown>): Promise<any> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${tools.map((t) => t.name).join(", ")}`);
  const { value, issues } = tool.validate(args);
  expect(issues).toEqual([]);
  return tool.run(value, ctx());
}

const dir = mkdtempSync(join(tmpdir(), "flm-mcp-fs-"));
writeFileSync(join(dir, "notes.txt"), "alpha\nbeta\n");
writeFileSync(join(dir, "todo.md"), "# todo\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

toolSourceContract("mcp stdio: server-filesystem", async () => ({
  source: createMcpSource({ name: "files", transport: { kind: "stdio", ...filesystemServer(dir) } }),
  call: { tool: "read_text_file", args: { path: join(dir, "notes.txt") } },
}));

toolSourceContract("mcp stdio: server-everything", async () => ({
  source: createMcpSource({ name: "everything", transport: { kind: "stdio", ...everythingServer() } }),
  call: { tool: "get-sum", args: { a: 2, b: 3 } },
  invalidArgs: { a: "two", b: 3 },
}));

describe("MCP source over stdio: server-filesystem", () => {
  let source: McpToolSource;
  beforeAll(() => {
    source = createMcpSource({
      name: "files",
      transport: { kind: "stdio", ...filesystemServer(dir) },
      prefix: true,
      include: ["read_*", "list_directory"],
      exclude: ["read_media_file"],
    });
  });
  afterAll(() => source.close());

  it("lists only the included tools, prefixed, with the server's JSON Schemas", async () => {
    const tools = await source.tools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual([
      "files_list_directory",
      "files_read_file",
      "files_read_multiple_files",
      "files_read_text_file",
    ]);
    const read = tools.find((t) => t.name === "files_read_text_file")!;
    expect(read.inputSchema).toMatchObject({ type: "object", required: ["path"] });
    expect(read.inputSchema).not.toHaveProperty("$schema");
    expect(read.source).toBe("mcp:files");
  });

  it("marks tools that do not declare readOnlyHint as having side effects", async () => {
    const all = createMcpSource({ name: "all", transport: { kind: "stdio", ...filesystemServer(dir) } });
    try {
      const tools = new Map((await all.tools()).map((t) => [t.name, t]));
      expect(tools.get("read_text_file")?.sideEffects).toBe(false);
      expect(tools.get("list_directory")?.sideEffects).toBe(false);
      expect(tools.get("write_file")?.sideEffects).toBe(true); // readOnlyHint: false
      expect(tools.get("move_file")?.sideEffects).toBe(true);
    } finally {
      await all.close();
    }
  });

  it("lists and reads the files created in the allowed folder", async () => {
    const tools = await source.tools();
    const listing = await call(tools, "files_list_directory", { path: dir });
    expect(listing.text).toContain("notes.txt");
    expect(listing.text).toContain("todo.md");
    const read = await call(tools, "files_read_text_file", { path: join(dir, "notes.txt") });
    expect(read).toEqual({ text: "alpha\nbeta\n", structured: { content: "alpha\nbeta\n" } });
  });

  it("turns a read outside the allowed folder (isError) into a typed step failure", async () => {
    const tools = await source.tools();
    const error: any = await call(tools, "files_read_text_file", { path: "/etc/hostname" }).catch(
      (e: any) => e,
    );
    expect(isFlmError(error, "MCP_TOOL_ERROR")).toBe(true);
    expect(error.message).toMatch(/outside allowed directories/i);
    expect(error.tool).toBe("read_text_file");
  });

  it("reports server name, version and tool count in check()", async () => {
    const result = await source.check!();
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/secure-filesystem-server \S+, 4 tool\(s\)/);
  });
});

describe("MCP source over stdio: server-everything", () => {
  let source: McpToolSource;
  beforeAll(() => {
    source = createMcpSource({ name: "everything", transport: { kind: "stdio", ...everythingServer() } });
  });
  afterAll(() => source.close());

  it("calls echo and get-sum", async () => {
    const tools = await source.tools();
    expect(await call(tools, "echo", { message: "hi" })).toEqual({ text: "Echo: hi" });
    expect((await call(tools, "get-sum", { a: 2, b: 40 })).text).toContain("42");
  });

  it("keeps structuredContent and summarises images instead of dumping base64", async () => {
    const tools = await source.tools();
    const weather = await call(tools, "get-structured-content", { location: "New York" });
    expect(weather.structured).toHaveProperty("temperature");
    const image = await call(tools, "get-tiny-image", {});
    expect(image.attachments).toEqual([expect.objectContaining({ type: "image", mimeType: "image/png" })]);
    expect(image.attachments[0].bytes).toBeGreaterThan(100);
    expect(JSON.stringify(image).length).toBeLessThan(500);
  });

  it("turns a server-side validation error into MCP_TOOL_ERROR", async () => {
    const tools = await source.tools();
    const tool = tools.find((t) => t.name === "get-sum")!;
    // Bypass our validation to see the server refuse it.
    const error: any = await tool.run({ a: "x" }, ctx()).catch((e: any) => e);
    expect(isFlmError(error, "MCP_TOOL_ERROR")).toBe(true);
    expect(error.message).toMatch(/expected number/);
  });

  it("reconnects once when the child dies between calls", async () => {
    const tools = await source.tools();
    await call(tools, "echo", { message: "one" });
    const pid = source.pid!;
    expect(alive(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
    await waitFor(() => !alive(pid));
    expect(await call(tools, "echo", { message: "two" })).toEqual({ text: "Echo: two" });
    expect(source.pid).toBeDefined();
    expect(source.pid).not.toBe(pid);
  });

  it("aborts an in-flight call with the step's signal", async () => {
    const tools = await source.tools();
    const tool = tools.find((t) => t.name === "trigger-long-running-operation")!;
    const controller = new AbortController();
    const pending = tool.run({ duration: 10, steps: 2 }, { signal: controller.signal, stepId: "s1" });
    setTimeout(() => controller.abort(new Error("cancelled by test")), 100);
    await expect(pending).rejects.toThrow(/cancelled by test/);
  });

  it("kills the stdio child on close and refuses further use", async () => {
    await source.tools();
    const pid = source.pid!;
    expect(alive(pid)).toBe(true);
    await source.close();
    await waitFor(() => !alive(pid));
    expect(alive(pid)).toBe(false);
    await expect(source.tools()).rejects.toMatchObject({ code: "MCP_SOURCE_CLOSED" });
  });
});

describe("MCP source lifecycle", () => {
  it("fails clearly when the command does not start an MCP server", async () => {
    const source = createMcpSource({
      name: "broken",
      transport: {
        kind: "stdio",
        command: process.execPath,
        args: ["-e", "console.error('boom'); process.exit(3)"],
      },
      timeoutMs: 5000,
    });
    const error: any = await source.tools().catch((e: any) => e);
    expect(isFlmError(error, "MCP_CONNECTION_FAILED")).toBe(true);
    expect(error.message).toMatch(/broken/);
    expect(await source.check!()).toMatchObject({ ok: false });
    await source.close();
  });

  it("refuses bad configuration with MCP_CONFIG_INVALID", () => {
    expect(() => createMcpSource({ name: "x", transport: { kind: "http", url: "ftp://nope" } })).toThrow(
      expect.objectContaining({ code: "MCP_CONFIG_INVALID" }),
    );
    expect(() => createMcpSource({ name: "x", transport: { kind: "stdio", command: "" } })).toThrow(
      /no command/,
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
