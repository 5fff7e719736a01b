// The graph queries, shared by the project and organization graphs (same keys, one cache).
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

export interface OrgGraphFilters {
  team?: string;
  project_type?: string;
}

export function useOrgGraph(org: string, filters: OrgGraphFilters = {}) {
  return useQuery({
    queryKey: ["graph", org, "org", filters],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/graph", {
          params: {
            path: { org },
            query: {
              ...(filters.team ? { team: filters.team } : {}),
              ...(filters.project_type ? { project_type: filters.project_type } : {}),
            },
          },
        }),
      ),
    staleTime: 30_000,
  });
}

export function useCycles(org: string) {
  return useQuery({
    queryKey: ["graph", org, "cycles"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/graph/cycles", {
          params: { path: { org }, query: { limit: 1000 } },
        }),
      ),
    staleTime: 30_000,
  });
}

export function useClosure(org: string, id: string, direction: "downstream" | "upstream", enabled: boolean) {
  return useQuery({
    queryKey: ["graph", org, "closure", id, direction],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{id}/dependencies/closure", {
          params: { path: { org, id }, query: { direction } },
        }),
      ),
    enabled,
    staleTime: 30_000,
  });
}

export function usePath(org: string, from: string | undefined, to: string | undefined) {
  return useQuery({
    queryKey: ["graph", org, "path", from, to],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/graph/path", {
          params: { path: { org }, query: { from: from as string, to: to as string } },
        }),
      ),
    enabled: Boolean(from && to && from !== to),
    retry: false,
    staleTime: 30_000,
  });
}
