import { describe, expect, it } from "vitest";
import { urlDetector } from "./url.js";

const urls = (text: string) => urlDetector.detect(text).map((s) => s.value);

describe("urlDetector", () => {
  it("finds URLs with a scheme or www, and bare domains with a known TLD", () => {
    expect(urls("see https://git.example.org/team/app?x=1, then www.shop-now.co.uk.")).toEqual(
      expect.arrayContaining(["https://git.example.org/team/app?x=1", "www.shop-now.co.uk"]),
    );
    expect(urls("order from mintleaf.shop and portal.acme.de/login")).toEqual(
      expect.arrayContaining(["mintleaf.shop", "portal.acme.de/login"]),
    );
  });
  it("leaves file names and abbreviations alone", () => {
    expect(urls("edit main.py and README.md, e.g. package.json")).toEqual([]);
  });
  it("stops at text of scripts without spaces", () => {
    expect(urls("登录www.example.co.uk总是失败")).toContain("www.example.co.uk");
    expect(urls("リポジトリはhttps://github.com/a/bです")).toEqual(["https://github.com/a/b"]);
  });
});
