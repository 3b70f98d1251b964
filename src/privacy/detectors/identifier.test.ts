import { describe, expect, it } from "vitest";
import { identifierDetector } from "./identifier.js";

const ids = (text: string) => identifierDetector.detect(text).map((s) => s.value);

describe("identifierDetector", () => {
  it("finds codes that mix letters and digits, and long digit runs", () => {
    expect(ids("case QP-88213 and licence T7K4-99QX, ref 8817264401")).toEqual(
      expect.arrayContaining(["QP-88213", "T7K4-99QX", "8817264401"]),
    );
  });
  it("finds short or all-letter codes after a cue", () => {
    expect(ids("order 4471 and booking ref: KZTQWA, заказ 77120")).toEqual(
      expect.arrayContaining(["4471", "KZTQWA", "77120"]),
    );
  });
  it("leaves units, versions, ordinals, times, quarters and technical names alone", () => {
    expect(ids("850mg twice, v4.2.1 on the 12th at 10:30, Q3 sha256 utf8 x86_64 1080p Blink-182")).toEqual(
      [],
    );
  });
});

describe("identifierDetector in text of other scripts", () => {
  it("ends the code where the other script starts", () => {
    expect(ids("你的订单P4TLR2已经发货了")).toEqual(["P4TLR2"]);
  });
});
