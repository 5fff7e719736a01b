import { describe, expect, it } from "vitest";
import {
  forwardedChain,
  NO_TRUSTED_PROXIES,
  normalizeIp,
  parseTrustedProxies,
  resolveClientIp,
} from "./client_ip.ts";
import { ConfigError, parseEnv } from "./env.ts";

const headers = (h: Record<string, string>) => new Headers(h);

describe("parseTrustedProxies", () => {
  it("reads addresses and CIDR ranges of both families, and IPv4-mapped entries as IPv4", () => {
    const t = parseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32, ::ffff:172.16.0.0/108, ::1");
    expect(t.none).toBe(false);
    expect(
      ["10.255.1.2", "192.0.2.7", "2001:db8:ffff::1", "172.31.255.255", "::1"].map((ip) => t.trusts(ip)),
    ).toEqual([true, true, true, true, true]);
    expect(
      ["11.0.0.1", "192.0.2.8", "2001:db9::1", "172.32.0.1", "::2", ""].map((ip) => t.trusts(ip)),
    ).toEqual([false, false, false, false, false, false]);
  });

  it("takes a TOML array as well as a comma list, and '' as trusting nobody", () => {
    expect(parseTrustedProxies(["10.0.0.1", "10.0.0.2"]).trusts("10.0.0.2")).toBe(true);
    expect(parseTrustedProxies("").none).toBe(true);
    expect(parseTrustedProxies(" , ").none).toBe(true);
  });

  it("'*' trusts every address and cannot be mixed with entries", () => {
    const all = parseTrustedProxies("*");
    expect(all.trusts("203.0.113.1") && all.trusts("2001:db8::1")).toBe(true);
    expect(() => parseTrustedProxies("*, 10.0.0.1")).toThrow(/cannot be combined/);
  });

  it.each([
    "10.0.0.0/33",
    "::/129",
    "10.0.0.1/",
    "10.0.0.0/8/8",
    "10.1",
    "0x7f000001",
    "proxy.internal",
    "fe80::1%eth0",
    "::ffff:10.0.0.0/95",
  ])("rejects %j naming it", (entry) => {
    expect(() => parseTrustedProxies(`10.0.0.1, ${entry}`)).toThrow(JSON.stringify(entry));
  });

  it("fails configuration validation with the setting's name and every bad entry", () => {
    let err: unknown;
    try {
      parseEnv({ IMBI_API_FORWARDED_ALLOW_IPS: "10.0.0.0/8, 300.1.1.1, nginx" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problem = (err as ConfigError).problems.join("\n");
    expect(problem).toContain("IMBI_API_FORWARDED_ALLOW_IPS");
    expect(problem).toContain('"300.1.1.1"');
    expect(problem).toContain('"nginx"');
  });

  it("is parsed once by parseEnv, and an already parsed value passes through", () => {
    const env = parseEnv({ IMBI_API_FORWARDED_ALLOW_IPS: "10.0.0.0/8" });
    expect(env.IMBI_API_FORWARDED_ALLOW_IPS.trusts("10.1.1.1")).toBe(true);
    expect(parseEnv({ ...env }).IMBI_API_FORWARDED_ALLOW_IPS).toBe(env.IMBI_API_FORWARDED_ALLOW_IPS);
    expect(parseEnv({}).IMBI_API_FORWARDED_ALLOW_IPS.none).toBe(true);
  });
});

describe("normalizeIp", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    [" 192.0.2.1:4711 ", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["[2001:DB8:0:0::1]:443", "2001:db8::1"],
    ['"[2001:db8::17]:4711"', "2001:db8::17"],
    ["2001:0db8::0001", "2001:db8::1"],
    ["unknown", ""],
    ["_hidden", ""],
    ["10.1", ""],
    ["fe80::1%eth0", ""],
    ["", ""],
    ["1.2.3.4.5", ""],
  ])("%j → %j", (raw, want) => {
    expect(normalizeIp(raw)).toBe(want);
  });
});

describe("forwardedChain", () => {
  it("reads RFC 7239 for= parameters, quoted IPv6 with ports, and keeps unusable hops as ''", () => {
    expect(
      forwardedChain(
        headers({
          forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711", for=unknown',
        }),
      ),
    ).toEqual(["192.0.2.60", "2001:db8:cafe::17", ""]);
  });

  it("prefers X-Forwarded-For when both are present", () => {
    expect(
      forwardedChain(headers({ forwarded: "for=192.0.2.1", "x-forwarded-for": "198.51.100.1" })),
    ).toEqual(["198.51.100.1"]);
  });
});

describe("resolveClientIp", () => {
  const trusted = parseTrustedProxies("10.0.0.0/8, 2001:db8:a::/48");

  it("ignores forwarding headers when nothing is trusted (the default)", () => {
    expect(
      resolveClientIp("10.0.0.1", headers({ "x-forwarded-for": "203.0.113.9" }), NO_TRUSTED_PROXIES),
    ).toBe("10.0.0.1");
  });

  it("ignores forwarding headers from an untrusted peer (spoofing)", () => {
    expect(
      resolveClientIp("198.51.100.7", headers({ "x-forwarded-for": "10.0.0.5, 203.0.113.9" }), trusted),
    ).toBe("198.51.100.7");
  });

  it("takes the right-most address that is not a trusted proxy, behind a chain of proxies", () => {
    // The client wrote "6.6.6.6"; our edge proxy appended the real client, our inner proxy the edge.
    expect(
      resolveClientIp("10.0.0.2", headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.1" }), trusted),
    ).toBe("203.0.113.9");
  });

  it("handles IPv4-mapped socket peers and IPv6 clients and proxies", () => {
    expect(resolveClientIp("::ffff:10.1.2.3", headers({ "x-forwarded-for": "2001:db8:c::9" }), trusted)).toBe(
      "2001:db8:c::9",
    );
    expect(
      resolveClientIp("2001:db8:a::1", headers({ forwarded: 'for="[2001:db8:b::5]:4711"' }), trusted),
    ).toBe("2001:db8:b::5");
  });

  it("stops at an unparsable hop, keeping the last good address", () => {
    expect(
      resolveClientIp("10.0.0.2", headers({ "x-forwarded-for": "203.0.113.9, garbage, 10.0.0.1" }), trusted),
    ).toBe("10.0.0.1");
    expect(resolveClientIp("10.0.0.2", headers({ "x-forwarded-for": "" }), trusted)).toBe("10.0.0.2");
    expect(resolveClientIp("10.0.0.2", headers({}), trusted)).toBe("10.0.0.2");
  });

  it("with '*' takes the left-most address (every hop is trusted)", () => {
    expect(
      resolveClientIp(
        "192.0.2.1",
        headers({ "x-forwarded-for": "203.0.113.1, 198.51.100.2" }),
        parseTrustedProxies("*"),
      ),
    ).toBe("203.0.113.1");
  });

  it("never returns something that is not an address", () => {
    expect(resolveClientIp("not-an-ip", headers({}), trusted)).toBe("");
    expect(resolveClientIp("", headers({ "x-forwarded-for": "203.0.113.9" }), trusted)).toBe("");
  });
});
