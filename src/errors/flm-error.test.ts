import { describe, expect, it } from "vitest";
import { DocumentError } from "../sources/documents/document-errors.js";
import { DocumentIngestError } from "../sources/documents/ingest-folder.js";
import { FlmError, isFlmError } from "./flm-error.js";

const report = { added: 0, updated: 0, unchanged: 0, removed: 0, failed: [], chunks: 0, ms: 0 } as never;

describe("FlmError.isInstance", () => {
  it("is per class: a subclass's isInstance is false for a plain FlmError or a sibling", () => {
    const plain = new FlmError("X_FAILED", "x");
    const doc = new DocumentError("DOC_EMPTY", "empty");
    expect(FlmError.isInstance(plain)).toBe(true);
    expect(FlmError.isInstance(doc)).toBe(true);
    expect(DocumentError.isInstance(plain)).toBe(false);
    expect(DocumentError.isInstance(doc)).toBe(true);
    expect(DocumentIngestError.isInstance(doc)).toBe(false);
    const ingest = new DocumentIngestError("DOC_INGEST_ABORTED", "stopped", report, {});
    expect(DocumentIngestError.isInstance(ingest)).toBe(true);
    expect(DocumentError.isInstance(ingest)).toBe(true);
    expect(isFlmError(ingest, "DOC_INGEST_ABORTED")).toBe(true);
  });

  it("works across package copies (markers, not instanceof) and refuses look-alikes", () => {
    const copy = Object.assign(Object.create(null), {
      [Symbol.for("federated-lm.error")]: true,
      [Symbol.for("federated-lm.error.marks")]: ["federated-lm.DocumentError", "federated-lm.FlmError"],
      code: "DOC_EMPTY",
    });
    expect(DocumentError.isInstance(copy)).toBe(true);
    expect(FlmError.isInstance({ code: "DOC_EMPTY", name: "DocumentError" })).toBe(false);
    expect(FlmError.isInstance(new Error("x"))).toBe(false);
    expect(FlmError.isInstance(null)).toBe(false);
  });

  it("requires a subclass to declare its own marker", () => {
    class Unmarked extends FlmError {}
    expect(() => Unmarked.isInstance(new Unmarked("U", "u"))).toThrow(/must declare its own static marker/);
  });
});
