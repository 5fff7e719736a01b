import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { checkFilter, evaluateFilter, type FilterInput, MAX_FILTER_LENGTH } from "./filters.ts";

// A GitHub deployment_status delivery, trimmed to what the filters read.
const delivery: FilterInput = {
  type: "deployment_status",
  headers: { "x-github-event": "deployment_status", "user-agent": "GitHub-Hookshot/abc" },
  payload: {
    deployment_status: { state: "success", target_url: "https://ci.example.com/runs/42" },
    deployment: { id: 123, environment: "production", ref: "v1.4.0", sha: "a1b2c3" },
    repository: { full_name: "acme/shop" },
    sender: { login: "octocat" },
  },
  integration: { slug: "github-acme", provider: "github" },
};

describe("rule filters (CEL)", () => {
  it("match on the event, headers, payload fields and the integration", () => {
    for (const [expr, expected] of [
      ['event == "deployment_status"', true],
      ['delivery.type == "deployment_status"', true],
      ['headers["x-github-event"] == "deployment_status"', true],
      ['payload.deployment_status.state in ["success", "failure", "error"]', true],
      ['payload.deployment.environment == "staging"', false],
      ["payload.deployment.id > 100", true],
      ['payload.repository.full_name.startsWith("acme/") && integration.provider == "github"', true],
      ["has(payload.release)", false],
      ['has(payload.release) && payload.release.tag_name.startsWith("v")', false],
    ] as const)
      expect(evaluateFilter(expr, delivery), expr).toEqual({ matched: expected });
  });

  it("an expression that fails on this delivery does not match, and says why", () => {
    const out = evaluateFilter('payload.release.tag_name == "v1"', delivery);
    expect(out.matched).toBe(false);
    expect("error" in out && out.error).toMatch(/release/);
  });

  it("refuses at save time what cannot run: syntax errors, non-boolean results, oversized text", () => {
    const refused = (expr: string) => {
      try {
        checkFilter(expr);
        return undefined;
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return (e as DomainError).message;
      }
    };
    expect(refused('event == "push"')).toBeUndefined();
    expect(refused("payload.deployment.id > 100")).toBeUndefined();
    expect(refused('event == "push" &&')).toMatch(/^filter: not a valid CEL expression/);
    expect(refused('"a" + 1 == "a1"')).toMatch(/^filter: not a valid CEL expression/);
    expect(refused('event + "x"')).toMatch(/must evaluate to a boolean.*string/);
    expect(refused("type == 'push'")).toMatch(/^filter: /);
    expect(refused(`event == "${"x".repeat(MAX_FILTER_LENGTH)}"`)).toMatch(/at most 4096 characters/);
  });

  it("bounds what one expression may build (no runaway work per delivery)", () => {
    const deep = `${"(".repeat(80)}true${")".repeat(80)}`;
    expect(() => checkFilter(deep)).toThrow(DomainError);
  });
});
