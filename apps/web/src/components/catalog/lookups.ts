// The organization's small reference lists (teams, project types, environments, link definitions,
// score levels), cached per org: the catalog's filters, the create dialog and the project page
// all show names for the slugs the project documents carry.
import { useQuery } from "@tanstack/react-query";
import { ApiError, api, unwrap } from "@/api/client";
import type { components } from "@/api/schema";

export type ScoreLevel = components["schemas"]["ScoreLevel"];

const LONG = 5 * 60_000;

export function useTeams(org: string) {
  return useQuery({
    queryKey: ["teams", org, "all"],
    queryFn: () =>
      unwrap(api.GET("/api/organizations/{org}/teams", { params: { path: { org }, query: { limit: 500 } } })),
    staleTime: LONG,
  });
}

export function useProjectTypes(org: string) {
  return useQuery({
    queryKey: ["project-types", org, "all"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/project-types", {
          params: { path: { org }, query: { limit: 500 } },
        }),
      ),
    staleTime: LONG,
  });
}

export function useEnvironments(org: string) {
  return useQuery({
    queryKey: ["environments", org, "all"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/environments", {
          params: { path: { org }, query: { limit: 500 } },
        }),
      ),
    staleTime: LONG,
  });
}

export function useLinkDefinitions(org: string) {
  return useQuery({
    queryKey: ["link-definitions", org, "all"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/link-definitions", {
          params: { path: { org }, query: { limit: 500 } },
        }),
      ),
    staleTime: LONG,
  });
}

export function useScoreLevels(org: string) {
  return useQuery({
    queryKey: ["score-levels", org],
    queryFn: () => unwrap(api.GET("/api/organizations/{org}/scores/levels", { params: { path: { org } } })),
    staleTime: LONG,
  });
}

/** slug → display name, for a list of `{ slug, name }` (the slug itself while loading). */
export function namesBySlug(list?: { data: { slug: string; name: string }[] }): (slug: string) => string {
  const m = new Map(list?.data.map((x) => [x.slug, x.name]));
  return (slug) => m.get(slug) ?? slug;
}

/**
 * A failed write's messages: field errors keyed by the field's path (the API names body fields
 * `json.tier` or `body.tier`; both become `tier`), and whether anything was left unplaced.
 */
export function formErrors(error: unknown, known: readonly string[] = []): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    const key = e.location.replace(/^(body|json)\.?/, "");
    if (!(key in out)) out[key] = e.message;
  }
  if (known.length === 0) return out;
  return Object.fromEntries(Object.entries(out).filter(([k]) => known.includes(k.split(".")[0] ?? k)));
}
