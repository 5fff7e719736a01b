import { describe, expect, it } from "vitest";
import {
  describeAttributeFilter,
  facetParams,
  hasFilters,
  listParams,
  parseAttributeFilter,
  readCatalogQuery,
  writeCatalogQuery,
} from "./filters";

const q = (s: string) => readCatalogQuery(new URLSearchParams(s));

describe("the catalog's URL state", () => {
  it("reads filters, repeated attribute filters and the sort, and writes them back unchanged", () => {
    const s =
      "team=checkout&environment=production&archived=all&has_link=runbook&filter=tier%3Alte%3A2&filter=language%3Aeq%3Ago&sort=score";
    const query = q(s);
    expect(query).toEqual({
      team: "checkout",
      environment: "production",
      archived: "all",
      has_link: "runbook",
      filter: ["tier:lte:2", "language:eq:go"],
      sort: "score",
    });
    expect(writeCatalogQuery(query).toString()).toBe(s);
  });

  it("drops defaults and unknown values, so links stay short and the API never sees a bad sort", () => {
    expect(q("sort=bogus&archived=false&archived=maybe&team=")).toEqual({ filter: [], sort: "name" });
    expect(writeCatalogQuery(q("sort=name&archived=false")).toString()).toBe("");
    expect(hasFilters(q("sort=-score"))).toBe(false);
    expect(hasFilters(q("filter=tier%3Aexists"))).toBe(true);
  });

  it("asks the list for every filter, and each facet for every filter but its own", () => {
    const query = q("team=checkout&project_type=http-api&filter=tier%3Agt%3A1&sort=score");
    expect(listParams(query)).toEqual({
      team: "checkout",
      project_type: "http-api",
      filter: ["tier:gt:1"],
      sort: "score",
    });
    expect(facetParams(query, "team")).toEqual({
      project_type: "http-api",
      filter: ["tier:gt:1"],
      field: "team",
    });
    expect(facetParams(query, "project_type")).toEqual({
      team: "checkout",
      filter: ["tier:gt:1"],
      field: "project_type",
    });
  });
});

describe("attribute filters", () => {
  it("parses field:op[:value], values keeping their colons", () => {
    expect(parseAttributeFilter("url:eq:https://x")).toEqual({ field: "url", op: "eq", value: "https://x" });
    expect(parseAttributeFilter("tier:exists")).toEqual({ field: "tier", op: "exists" });
    expect(parseAttributeFilter("tier:like:x")).toBeUndefined();
    expect(parseAttributeFilter("Tier:eq:1")).toBeUndefined();
  });
  it("reads as a person would say it", () => {
    expect(describeAttributeFilter("tier:lte:2")).toBe("tier ≤ 2");
    expect(describeAttributeFilter("oncall:not_exists")).toBe("oncall is not set");
  });
});
