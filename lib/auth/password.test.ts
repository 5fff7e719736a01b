import { afterEach, describe, expect, it } from "vitest";
import {
  forcePureJsArgon2,
  hashPassword,
  needsRehash,
  passwordPolicyProblems,
  verifyPassword,
} from "./password.ts";

afterEach(() => forcePureJsArgon2(false));

const policy = {
  IMBI_AUTH_PASSWORD_MIN_LENGTH: 12,
  IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE: true,
  IMBI_AUTH_PASSWORD_REQUIRE_LOWERCASE: true,
  IMBI_AUTH_PASSWORD_REQUIRE_DIGIT: true,
  IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL: true,
};

describe("argon2id", () => {
  it("hashes with the wasm build and verifies with the pure-JS one (the Workers path), and back", async () => {
    const wasm = await hashPassword("Correct-Horse-9");
    expect(wasm).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    forcePureJsArgon2(true);
    expect(await verifyPassword("Correct-Horse-9", wasm)).toBe(true);
    expect(await verifyPassword("Correct-Horse-8", wasm)).toBe(false);
    const js = await hashPassword("Ünïcode-Pässwört-1");
    forcePureJsArgon2(false);
    expect(await verifyPassword("Ünïcode-Pässwört-1", js)).toBe(true);
    expect(await verifyPassword("Unicode-Passwort-1", js)).toBe(false);
  });

  it("rejects malformed hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
    forcePureJsArgon2(true);
    expect(await verifyPassword("x", "$argon2id$v=19$m=8,t=1,p=1$AAAA$")).toBe(false);
  });

  it("flags hashes made with other parameters for rehash", async () => {
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA")).toBe(true);
    expect(needsRehash(await hashPassword("Correct-Horse-9"))).toBe(false);
  });
});

describe("password policy", () => {
  it("lists every unmet rule", () => {
    expect(passwordPolicyProblems("short", policy)).toEqual([
      "must be at least 12 characters",
      "must contain an uppercase letter",
      "must contain a digit",
      "must contain a special character",
    ]);
    expect(passwordPolicyProblems("Long-enough-passw0rd", policy)).toEqual([]);
  });
  it("honours relaxed settings", () => {
    const relaxed = {
      ...policy,
      IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL: false,
      IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE: false,
    };
    expect(passwordPolicyProblems("lowercase123456", relaxed)).toEqual([]);
  });
});
