import { describe, expect, it } from "vitest";
import { handleDetector } from "./handle.js";

const handles = (text: string) => handleDetector.detect(text).map((s) => s.value);

describe("handleDetector", () => {
  it("finds @names and name#1234 tags, not email addresses", () => {
    expect(handles("ping @dev_ops_sam or sam#4821, not sam@example.com")).toEqual([
      "@dev_ops_sam",
      "sam#4821",
    ]);
  });
  it("takes a login after a username cue only when it looks like one", () => {
    expect(handles("postgres user app_rw failed, my username is zork")).toEqual(["app_rw", "zork"]);
    expect(handles("the user clicks, User: Jane Doe")).toEqual([]);
  });
});
