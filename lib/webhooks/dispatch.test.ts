import { describe, expect, it } from "vitest";
import { backoffSeconds } from "./dispatch.ts";
import { type ChangeEvent, matches } from "./events.ts";

describe("backoffSeconds", () => {
  it("doubles from the base after each failed attempt, up to the cap", () => {
    const env = { IMBI_WEBHOOKS_RETRY_BASE_SECONDS: 10, IMBI_WEBHOOKS_RETRY_MAX_SECONDS: 100 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffSeconds(env, n))).toEqual([10, 20, 40, 80, 100, 100]);
  });
});

describe("matches", () => {
  const event: ChangeEvent = {
    orgId: "o",
    organization: "acme",
    entityType: "project",
    entityId: "p1",
    action: "updated",
    projectId: "p1",
    team: "core",
    principal: "ada@example.com",
    occurredAt: "2024-05-01T00:00:00.000Z",
    data: {},
  };
  const all = { entity_types: [], actions: [], projects: [], teams: [] };

  it("takes everything with an empty filter, and each list narrows", () => {
    expect(matches(all, event)).toBe(true);
    expect(matches({ ...all, entity_types: ["score"] }, event)).toBe(false);
    expect(matches({ ...all, actions: ["created"] }, event)).toBe(false);
    expect(matches({ ...all, projects: ["p2"] }, event)).toBe(false);
    expect(matches({ ...all, teams: ["payments"] }, event)).toBe(false);
    expect(matches({ ...all, teams: ["core"], projects: ["p1"] }, event)).toBe(true);
    expect(matches({ ...all, teams: ["core"] }, { ...event, team: null })).toBe(false);
  });
});
