import { describe, expect, it } from "vitest";
import { urlCredentialsDetector } from "./url-credentials.js";

describe("urlCredentialsDetector", () => {
  it("finds URLs with userinfo", () => {
    const text = "db at postgres://flm:s3cret@db.internal:5432/app and https://ghp_x@github.com/o/r.git";
    expect(urlCredentialsDetector.detect(text).map((s) => s.value)).toEqual([
      "postgres://flm:s3cret@db.internal:5432/app",
      "https://ghp_x@github.com/o/r.git",
    ]);
  });
  it("ignores URLs without credentials", () => {
    expect(urlCredentialsDetector.detect("see https://example.com/a@b? no: https://example.com/x")).toEqual(
      [],
    );
  });
});
