import { describe, expect, it } from "vitest";
import { apiPrefix, ConfigError, parseEnv } from "./env.ts";

describe("parseEnv", () => {
  it("applies the reference's defaults", () => {
    const env = parseEnv({});
    expect(env.IMBI_API_PORT).toBe(8000);
    expect(env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS).toBe(3600);
    expect(env.IMBI_AUTH_RATE_LIMIT_LOGIN).toBe("5/minute");
    expect(env.POSTGRES_GRAPH_NAME).toBe("imbi");
    expect(env.IMBI_API_CORS_ALLOWED_ORIGINS).toEqual([]);
  });

  it("coerces strings from the environment", () => {
    const env = parseEnv({
      IMBI_API_PORT: "tcp://10.0.0.1:9000",
      IMBI_AUTH_PASSWORD_REQUIRE_DIGIT: "FALSE",
      IMBI_API_CORS_ALLOWED_ORIGINS: '["https://a.example", "https://b.example"]',
    });
    expect(env.IMBI_API_PORT).toBe(9000);
    expect(env.IMBI_AUTH_PASSWORD_REQUIRE_DIGIT).toBe(false);
    expect(env.IMBI_API_CORS_ALLOWED_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
  });

  it("lists every bad setting in one error, including missing production secrets", () => {
    let err: unknown;
    try {
      parseEnv({
        ENVIRONMENT: "production",
        IMBI_API_PORT: "eighty",
        IMBI_AUTH_RATE_LIMIT_LOGIN: "lots",
        IMBI_AUTH_PASSWORD_REQUIRE_DIGIT: "maybe",
        POSTGRES_GRAPH_NAME: "x",
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const names = (err as ConfigError).problems.map((p) => p.split(":")[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        "IMBI_API_PORT",
        "IMBI_AUTH_RATE_LIMIT_LOGIN",
        "IMBI_AUTH_PASSWORD_REQUIRE_DIGIT",
        "POSTGRES_GRAPH_NAME",
        "IMBI_AUTH_JWT_SECRET",
        "IMBI_AUTH_ENCRYPTION_KEY",
      ]),
    );
    expect((err as Error).message).toContain("e.g. 5/minute");
  });

  it("derives the mount prefix from IMBI_API_URL", () => {
    expect(apiPrefix({ IMBI_API_URL: "" })).toBe("/api");
    expect(apiPrefix({ IMBI_API_URL: "https://imbi.example.com/imbi/api/" })).toBe("/imbi/api");
  });
});
