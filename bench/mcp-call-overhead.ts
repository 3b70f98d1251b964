/**
 * Per-call overhead of an MCP tool through createMcpSource over the raw SDK client, on the
 * reference "everything" server over stdio; plus connect+list time.
 *   npx tsx bench/mcp-call-overhead.ts [calls]
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createMcpSource } from "../src/sources/mcp/index.js";
import { everythingServer } from "../test/helpers/mcp-reference-servers.js";

const calls = Number(process.argv[2] ?? 500);
const ctx = { signal: new AbortController().signal, stepId: "bench" };

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(3);
  const mean = (samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(3);
  return `mean ${mean} ms  p50 ${pick(0.5)} ms  p95 ${pick(0.95)} ms`;
}

// Raw SDK client.
const raw = new Client({ name: "bench", version: "0" });
let t0 = performance.now();
await raw.connect(new StdioClientTransport({ ...everythingServer(), stderr: "ignore" }));
await raw.listTools();
const rawConnect = performance.now() - t0;
const rawSamples: number[] = [];
for (let i = 0; i < calls; i++) {
  const start = performance.now();
  await raw.callTool({ name: "echo", arguments: { message: `m${i}` } });
  rawSamples.push(performance.now() - start);
}
await raw.close();

// Through the source.
const source = createMcpSource({ name: "everything", transport: { kind: "stdio", ...everythingServer() } });
t0 = performance.now();
const tools = await source.tools();
const sourceConnect = performance.now() - t0;
const echo = tools.find((t) => t.name === "echo")!;
const sourceSamples: number[] = [];
for (let i = 0; i < calls; i++) {
  const start = performance.now();
  const { value } = echo.validate({ message: `m${i}` });
  await echo.run(value, ctx);
  sourceSamples.push(performance.now() - start);
}
await source.close();

console.log(`MCP stdio, server-everything "echo", ${calls} calls, Node ${process.version}`);
console.log(
  `connect + list tools: raw SDK ${rawConnect.toFixed(0)} ms, createMcpSource ${sourceConnect.toFixed(0)} ms`,
);
console.log(`raw SDK callTool:     ${stats(rawSamples)}`);
console.log(`source validate+run:  ${stats(sourceSamples)}`);
const overhead =
  sourceSamples.reduce((a, b) => a + b, 0) / calls - rawSamples.reduce((a, b) => a + b, 0) / calls;
console.log(`overhead per call:    ${overhead.toFixed(3)} ms`);
