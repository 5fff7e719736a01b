import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/client";
import { createBody, PROVIDER_DEFAULTS, parseRules, ruleErrors, settingsPatch } from "./webhook_form";

const form = {
  provider: "github" as const,
  slug: " github ",
  name: "GitHub",
  description: "",
  service_account: "github-gateway",
  ...PROVIDER_DEFAULTS.github,
};

describe("createBody", () => {
  it("leaves the provider's default selectors out, so the API applies its own", () => {
    expect(createBody(form)).toEqual({
      slug: "github",
      name: "GitHub",
      service_account: "github-gateway",
      provider: "github",
    });
  });
  it("sends a selector that differs from the default, and leaves an emptied one to the API", () => {
    const body = createBody({ ...form, identifier_selector: "/repo/id", sender_selector: "" });
    expect(body.identifier_selector).toBe("/repo/id");
    expect(body).not.toHaveProperty("sender_selector");
    expect(body).not.toHaveProperty("event_type_selector");
  });
  it("leaves an empty identifier source of a generic webhook out (the API's default, not an invalid empty value)", () => {
    const body = createBody({ ...form, provider: "generic", ...PROVIDER_DEFAULTS.generic });
    expect(body).not.toHaveProperty("identifier_source");
  });
});

describe("parseRules", () => {
  it("accepts an array and refuses anything else, saying why", () => {
    expect(parseRules("[]").rules).toEqual([]);
    expect(parseRules('{"name": "x"}').problem).toMatch(/JSON array/);
    expect(parseRules("[").problem).toMatch(/^Not valid JSON/);
  });
});

describe("ruleErrors", () => {
  it("lists every error about the rules, by field, and nothing else", () => {
    const error = new ApiError({
      status: 400,
      detail: "Validation failed",
      errors: [
        { location: "json.rules.0.filter", message: "not a valid CEL expression" },
        { location: "json.rules.1.config.version", message: "required" },
        { location: "json.name", message: "too long" },
      ],
    });
    expect(ruleErrors(error)).toEqual([
      "rules.0.filter: not a valid CEL expression",
      "rules.1.config.version: required",
    ]);
    expect(ruleErrors(new Error("x"))).toEqual([]);
  });
});

describe("settingsPatch", () => {
  it("replaces only the fields that changed", () => {
    expect(settingsPatch({ name: "a", slug: "b" }, { name: "a", slug: "c" })).toEqual([
      { op: "replace", path: "/slug", value: "c" },
    ]);
  });
});
