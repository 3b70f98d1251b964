import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, defaultLogFormat } from "./create-logger.js";

function memory() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("createLogger", () => {
  it("writes JSON lines, and errors with their stack", async () => {
    const out = memory();
    const logger = await createLogger({ format: "json", destination: out.stream });
    logger.info({ status: 200, route: "/healthz" }, "request");
    logger.error({ err: new RangeError("boom") }, "unexpected error");
    const [line, error] = out
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(line).toMatchObject({ level: 30, msg: "request", status: 200, route: "/healthz", service: "flm" });
    expect(error.err).toMatchObject({ type: "RangeError", message: "boom" });
    expect(error.err.stack).toContain("create-logger.test.ts");
  });

  it("renders the same fields for a person with pretty", async () => {
    const out = memory();
    const logger = await createLogger({ format: "pretty", destination: out.stream });
    logger.warn({ status: 401, route: "/v1/models" }, "request");
    const text = out.text();
    expect(text).toMatch(/WARN.*request/);
    expect(text).toContain('route: "/v1/models"');
    expect(() => JSON.parse(text)).toThrow();
  });

  it("defaults to pretty on a terminal and JSON otherwise", () => {
    expect(defaultLogFormat({ isTTY: true })).toBe("pretty");
    expect(defaultLogFormat({ isTTY: false })).toBe("json");
    expect(defaultLogFormat({})).toBe("json");
  });
});
