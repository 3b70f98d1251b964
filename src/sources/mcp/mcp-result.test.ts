import { describe, expect, it } from "vitest";
import { compactToolResult } from "./mcp-result.js";

describe("compactToolResult", () => {
  it("joins text, keeps structured content and summarises binary items", () => {
    const blob = Buffer.alloc(3000, 7).toString("base64");
    const out = compactToolResult({
      content: [
        { type: "text", text: "first" },
        { type: "image", data: blob, mimeType: "image/png" },
        { type: "text", text: "second" },
        { type: "resource", resource: { uri: "file:///a.txt", mimeType: "text/plain", text: "small" } },
        { type: "resource", resource: { uri: "file:///b.bin", blob } },
        { type: "resource_link", uri: "file:///c", name: "c" },
      ],
      structuredContent: { n: 1 },
    });
    expect(out).toEqual({
      text: "first\nsecond",
      structured: { n: 1 },
      attachments: [
        { type: "image", mimeType: "image/png", bytes: 3000 },
        { type: "resource", uri: "file:///a.txt", mimeType: "text/plain", text: "small" },
        { type: "resource", uri: "file:///b.bin", bytes: 3000 },
        { type: "resource_link", uri: "file:///c", name: "c" },
      ],
    });
    expect(JSON.stringify(out)).not.toContain(blob.slice(0, 20));
  });

  it("returns an empty object for empty content", () => {
    expect(compactToolResult({ content: [] })).toEqual({});
  });
});
