import { describe, expect, it } from "vitest";
import { DependencyMissingError, loadOptional, loadPg } from "./load-optional.js";

describe("optional dependencies", () => {
  it("turns a missing package into DEPENDENCY_MISSING with the install command", async () => {
    const name = "flm-package-that-is-not-installed";
    const error = await loadOptional(name, "The frobnicator", () => import(name)).catch((e) => e);
    expect(DependencyMissingError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: "DEPENDENCY_MISSING",
      packageName: name,
      message: expect.stringContaining(`npm install ${name}`),
    });
  });

  it("passes other failures through unchanged", async () => {
    const boom = new Error("syntax error in the module");
    await expect(loadOptional("pg", "PostgreSQL", () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it("loads an installed optional dependency", async () => {
    const pg = await loadPg();
    expect(typeof pg.default.Pool).toBe("function");
  });
});
