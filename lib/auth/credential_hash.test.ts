import { describe, expect, it } from "vitest";
import { hashCredentialSecret, newCredentialSecret, verifyCredentialSecret } from "./credential_hash.ts";

const env = { IMBI_AUTH_JWT_SECRET: "j".repeat(32), IMBI_AUTH_ENCRYPTION_KEY: undefined };
const other = { IMBI_AUTH_JWT_SECRET: "j".repeat(32), IMBI_AUTH_ENCRYPTION_KEY: "e".repeat(32) };

describe("credential secret hashing", () => {
  it("verifies the secret it hashed, and nothing else", async () => {
    const secret = newCredentialSecret();
    const stored = await hashCredentialSecret(env, secret);
    expect(stored).toMatch(/^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(await verifyCredentialSecret(env, secret, stored)).toBe(true);
    expect(await verifyCredentialSecret(env, `${secret}x`, stored)).toBe(false);
    expect(
      await verifyCredentialSecret(
        env,
        secret,
        stored.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
      ),
    ).toBe(false);
  });

  it("is keyed: another server key neither produces nor accepts the hash", async () => {
    const secret = newCredentialSecret();
    const stored = await hashCredentialSecret(env, secret);
    expect(await hashCredentialSecret(other, secret)).not.toBe(stored);
    expect(await verifyCredentialSecret(other, secret, stored)).toBe(false);
  });

  it("refuses malformed stored hashes instead of throwing", async () => {
    for (const bad of ["", "sha256:abc", "hmac-sha256::", "hmac-sha256:00000000:zz"])
      expect(await verifyCredentialSecret(env, "s", bad)).toBe(false);
  });

  it("makes 256-bit secrets that differ", () => {
    const a = newCredentialSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newCredentialSecret()).not.toBe(a);
  });
});
