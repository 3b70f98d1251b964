import { describe, expect, it } from "vitest";
import { credentialDetector } from "./credential.js";

const secrets = (text: string) => credentialDetector.detect(text).map((s) => s.value);

describe("credentialDetector", () => {
  it("takes the value after a password cue, in several languages", () => {
    expect(secrets("my wifi password is sunflower")).toEqual(["sunflower"]);
    expect(secrets("DB_PASSWORD=hunter2x and mot de passe : Blé2024")).toEqual(
      expect.arrayContaining(["hunter2x", "Blé2024"]),
    );
    expect(secrets("我的密码是qwerty99，登录失败")).toContain("qwerty99");
  });
  it("finds password- and key-shaped tokens anywhere", () => {
    expect(secrets("try oak@9912 or Tulip77!")).toEqual(expect.arrayContaining(["oak@9912", "Tulip77!"]));
    expect(secrets("token aB3dE5fG7hJ9kL1mN2pQ")).toContain("aB3dE5fG7hJ9kL1mN2pQ");
  });
  it("does not take ordinary words after the cue, or prices and emails", () => {
    expect(secrets("I need a password manager, the password is too short")).toEqual([]);
    expect(secrets("it costs $40 or 15%, write to ann@example.com")).toEqual([]);
  });
});
