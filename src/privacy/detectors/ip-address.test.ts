import { describe, expect, it } from "vitest";
import { ipAddressDetector } from "./ip-address.js";

describe("ipAddressDetector", () => {
  it("finds v4 and v6 addresses", () => {
    const text =
      "from 195.206.132.199 and 6e40:4041:c617:e898:c11:40d2:c669:2eb4 and ::1 and fe80::1ff:fe23:4567:890a";
    expect(ipAddressDetector.detect(text).map((s) => s.value)).toEqual([
      "195.206.132.199",
      "6e40:4041:c617:e898:c11:40d2:c669:2eb4",
      "fe80::1ff:fe23:4567:890a",
    ]);
  });
  it("validates octets and ignores times and versions", () => {
    expect(ipAddressDetector.detect("256.1.1.1, 1.2.3, 1.2.3.4.5, at 12:30:45, v1.2.3.999")).toEqual([]);
  });
});
