import { describe, expect, it } from "vitest";
import { isPublicAddress, resolvedProblem, targetProblem } from "./address.ts";

describe("isPublicAddress", () => {
  it.each([
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "127.0.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
    "::",
  ])("refuses %s", (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"])(
    "accepts %s",
    (ip) => {
      expect(isPublicAddress(ip)).toBe(true);
    },
  );
});

describe("targetProblem", () => {
  it.each([
    ["https://10.0.0.1/", "non-public"],
    ["https://169.254.169.254/latest/meta-data/", "non-public"],
    ["https://[::1]:8443/", "non-public"],
    ["https://[::ffff:7f00:1]/", "non-public"],
    // The URL parser turns these IPv4 spellings into 127.0.0.1 before the check sees them.
    ["https://2130706433/", "non-public"],
    ["https://0x7f.1/", "non-public"],
    ["https://localhost/", "internal host"],
    ["https://metadata.google.internal/", "internal host"],
    ["https://printer.local/", "internal host"],
    ["https://intranet/", "internal host"],
    ["http://hooks.example.com/", "https"],
    ["ftp://hooks.example.com/", "https"],
    ["https://user:pw@hooks.example.com/", "credentials"],
    ["not a url", "absolute URL"],
  ])("refuses %s", (url, why) => {
    expect(targetProblem(url, false)).toContain(why);
  });

  it("accepts https to a public name or address", () => {
    expect(targetProblem("https://hooks.example.com/imbi", false)).toBeNull();
    expect(targetProblem("https://93.184.216.34:8443/x", false)).toBeNull();
  });

  it("with the development allowance: private targets, and http to loopback only", () => {
    expect(targetProblem("https://10.0.0.1/", true)).toBeNull();
    expect(targetProblem("http://127.0.0.1:9000/hook", true)).toBeNull();
    expect(targetProblem("http://localhost:9000/hook", true)).toBeNull();
    expect(targetProblem("http://10.0.0.1/hook", true)).toContain("https");
    expect(targetProblem("http://hooks.example.com/", true)).toContain("https");
  });
});

describe("resolvedProblem", () => {
  it("names the first non-public address a host resolves to", () => {
    expect(resolvedProblem("a.example", ["93.184.216.34", "127.0.0.1"])).toContain("127.0.0.1");
    expect(resolvedProblem("a.example", ["93.184.216.34"])).toBeNull();
  });
});
