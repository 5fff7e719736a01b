import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret_box.ts";

const env = { IMBI_AUTH_ENCRYPTION_KEY: "k".repeat(40), IMBI_AUTH_JWT_SECRET: "j".repeat(40) };

describe("secret box", () => {
  it("seals with a fresh IV each time and opens what it sealed", async () => {
    const a = await sealSecret(env, "webhook-subscription", "whsec_abc");
    const b = await sealSecret(env, "webhook-subscription", "whsec_abc");
    expect(a).not.toBe(b);
    expect(a).not.toContain("whsec_abc");
    expect(await openSecret(env, "webhook-subscription", a)).toBe("whsec_abc");
  });

  it("refuses a value sealed under another key, or tampered with", async () => {
    const sealed = await sealSecret(env, "webhook-subscription", "whsec_abc");
    await expect(
      openSecret({ ...env, IMBI_AUTH_ENCRYPTION_KEY: "x".repeat(40) }, "webhook-subscription", sealed),
    ).rejects.toThrow(/another/);
    const parts = sealed.split(":");
    const ct = parts[3] ?? "";
    const flipped = `${ct.slice(0, -2)}${ct.endsWith("AA") ? "BB" : "AA"}`;
    await expect(
      openSecret(env, "webhook-subscription", [...parts.slice(0, 3), flipped].join(":")),
    ).rejects.toThrow();
  });
});
