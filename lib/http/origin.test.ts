import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env.ts";
import { publicBase } from "./origin.ts";

/** Runs publicBase inside a real Hono request with these settings. */
async function baseFor(
  url: string,
  raw: Record<string, unknown>,
  headers: Record<string, string> = {},
  peer?: string,
) {
  const app = new Hono();
  app.get("*", (c) => c.json(publicBase(c)));
  const env = { ...parseEnv(raw), ...(peer ? { IMBI_CLIENT_IP: peer } : {}) };
  const res = await app.request(url, { headers }, env);
  return (await res.json()) as ReturnType<typeof publicBase>;
}

describe("publicBase", () => {
  const configured = { IMBI_API_URL: "https://imbi.example.com/api" };

  it("uses IMBI_API_URL's origin for a request on that origin", async () => {
    expect(await baseFor("https://imbi.example.com/x", configured)).toEqual({
      origin: "https://imbi.example.com",
      apiBase: "https://imbi.example.com/api",
      mcpResource: "https://imbi.example.com/mcp",
      trusted: true,
    });
  });

  it("falls back to IMBI_API_URL for an untrusted Host", async () => {
    const b = await baseFor("https://evil.example.net/x", configured);
    expect(b.origin).toBe("https://imbi.example.com");
    expect(b.trusted).toBe(false);
  });

  it("answers on every origin of IMBI_API_CORS_ALLOWED_ORIGINS, with the configured prefix", async () => {
    const raw = {
      IMBI_API_URL: "https://imbi.example.com/v1",
      IMBI_API_CORS_ALLOWED_ORIGINS: "https://imbi.other.org",
    };
    const b = await baseFor("https://imbi.other.org/x", raw);
    expect(b).toMatchObject({
      origin: "https://imbi.other.org",
      apiBase: "https://imbi.other.org/v1",
      trusted: true,
    });
  });

  it("believes X-Forwarded-Host/Proto only from a trusted proxy", async () => {
    const raw = {
      ...configured,
      IMBI_API_CORS_ALLOWED_ORIGINS: "https://second.example.com",
      IMBI_API_FORWARDED_ALLOW_IPS: "10.0.0.0/8",
    };
    const headers = { "x-forwarded-host": "second.example.com", "x-forwarded-proto": "https" };
    expect((await baseFor("http://10.1.2.3:8000/x", raw, headers, "10.9.9.9")).origin).toBe(
      "https://second.example.com",
    );
    // The same headers from a client that is not a proxy are ignored.
    const direct = await baseFor("http://10.1.2.3:8000/x", raw, headers, "192.0.2.7");
    expect(direct).toMatchObject({ origin: "https://imbi.example.com", trusted: false });
  });

  it("a forwarded host that is not trusted still falls back", async () => {
    const raw = { ...configured, IMBI_API_FORWARDED_ALLOW_IPS: "*" };
    const b = await baseFor(
      "http://internal:8000/x",
      raw,
      { "x-forwarded-host": "evil.example.net", "x-forwarded-proto": "https" },
      "10.0.0.1",
    );
    expect(b.origin).toBe("https://imbi.example.com");
  });

  it("without an absolute IMBI_API_URL uses the request origin, untrusted", async () => {
    const b = await baseFor("http://localhost:8000/x", {});
    expect(b).toEqual({
      origin: "http://localhost:8000",
      apiBase: "http://localhost:8000/api",
      mcpResource: "http://localhost:8000/mcp",
      trusted: false,
    });
  });
});
