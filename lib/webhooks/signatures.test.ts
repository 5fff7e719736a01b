// Signatures computed independently (node:crypto), and GitHub's own documented example.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signGeneric, verifyWebhookSignature, type WebhookProvider } from "./signatures.ts";

const NOW = 1_780_000_000;
const hmac = (secret: string, message: string) => createHmac("sha256", secret).update(message).digest("hex");
const check = (
  provider: WebhookProvider,
  secret: string,
  body: string,
  headers: Record<string, string>,
  now = NOW,
) => verifyWebhookSignature({ provider, secret, body, headers: new Headers(headers), now });

describe("GitHub X-Hub-Signature-256", () => {
  it("accepts GitHub's documented example and reports the delivery id", async () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    const result = await check("github", "It's a Secret to Everybody", "Hello, World!", {
      "X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    });
    expect(result).toEqual({ ok: true, deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
  });

  it("refuses a wrong secret, a changed body, the SHA-1 header alone, and malformed values", async () => {
    const body = '{"action":"created"}';
    const good = `sha256=${hmac("s3cret", body)}`;
    expect((await check("github", "s3cret", body, { "X-Hub-Signature-256": good })).ok).toBe(true);
    expect(await check("github", "other", body, { "X-Hub-Signature-256": good })).toEqual({
      ok: false,
      reason: "X-Hub-Signature-256 does not match",
    });
    expect((await check("github", "s3cret", `${body} `, { "X-Hub-Signature-256": good })).ok).toBe(false);
    expect(await check("github", "s3cret", body, { "X-Hub-Signature": `sha1=${"0".repeat(40)}` })).toEqual({
      ok: false,
      reason: "X-Hub-Signature-256 is missing",
    });
    for (const bad of ["sha256=xyz", good.toUpperCase(), good.slice(7), `${good}00`])
      expect((await check("github", "s3cret", body, { "X-Hub-Signature-256": bad })).ok, bad).toBe(false);
  });
});

describe("PagerDuty v3 X-PagerDuty-Signature", () => {
  const body = '{"event":{"event_type":"incident.triggered"}}';
  it("accepts when any v1 token matches (secret rotation sends two)", async () => {
    const header = `v1=${hmac("old", body)},v1=${hmac("new", body)}`;
    expect(
      await check("pagerduty", "new", body, { "X-PagerDuty-Signature": header, "X-Webhook-Id": "abc" }),
    ).toEqual({ ok: true, deliveryId: "abc" });
    expect((await check("pagerduty", "old", body, { "X-PagerDuty-Signature": header })).ok).toBe(true);
  });
  it("refuses when none matches, or no v1 token is present", async () => {
    expect(
      (await check("pagerduty", "mine", body, { "X-PagerDuty-Signature": `v1=${hmac("x", body)}` })).ok,
    ).toBe(false);
    expect(
      await check("pagerduty", "mine", body, { "X-PagerDuty-Signature": `v0=${hmac("mine", body)}` }),
    ).toEqual({
      ok: false,
      reason: "X-PagerDuty-Signature has no v1 signature",
    });
  });
});

describe("generic X-Imbi-Signature (t=…,v1=…)", () => {
  const body = '{"type":"deploy"}';
  it("accepts a fresh signature over `t.body` and refuses one outside the window (replay)", async () => {
    const header = `t=${NOW},v1=${hmac("k", `${NOW}.${body}`)}`;
    expect(
      await check("generic", "k", body, { "X-Imbi-Signature": header, "X-Imbi-Delivery": "d-1" }),
    ).toEqual({
      ok: true,
      deliveryId: "d-1",
    });
    expect((await check("generic", "k", body, { "X-Imbi-Signature": header }, NOW + 299)).ok).toBe(true);
    expect(await check("generic", "k", body, { "X-Imbi-Signature": header }, NOW + 301)).toEqual({
      ok: false,
      reason: "X-Imbi-Signature's timestamp is outside the 300 s window",
    });
    expect((await check("generic", "k", body, { "X-Imbi-Signature": header }, NOW - 301)).ok).toBe(false);
  });
  it("binds the timestamp: the same MAC with another t is refused", async () => {
    const mac = hmac("k", `${NOW}.${body}`);
    expect((await check("generic", "k", body, { "X-Imbi-Signature": `t=${NOW + 1},v1=${mac}` })).ok).toBe(
      false,
    );
  });
  it("signGeneric produces what the verifier accepts, and node:crypto agrees", async () => {
    const header = await signGeneric("k", body, NOW);
    expect(header).toBe(`t=${NOW},v1=${hmac("k", `${NOW}.${body}`)}`);
    expect((await check("generic", "k", body, { "X-Imbi-Signature": header })).ok).toBe(true);
  });
  it("fails closed on missing or malformed headers and on an empty secret", async () => {
    expect((await check("generic", "k", body, {})).ok).toBe(false);
    expect((await check("generic", "k", body, { "X-Imbi-Signature": "v1=abc" })).ok).toBe(false);
    expect(
      (await check("generic", "k", body, { "X-Imbi-Signature": `t=soon,v1=${"0".repeat(64)}` })).ok,
    ).toBe(false);
    const header = `t=${NOW},v1=${hmac("", `${NOW}.${body}`)}`;
    expect(await check("generic", "", body, { "X-Imbi-Signature": header })).toEqual({
      ok: false,
      reason: "the webhook has no secret",
    });
  });
});
