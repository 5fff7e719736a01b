// The project the page shows, with the ETag its writes send as If-Match.
import { useQuery } from "@tanstack/react-query";
import { api, etagOf, toApiError } from "@/api/client";
import type { components } from "@/api/schema";

export type Project = components["schemas"]["Project"] & Record<string, unknown>;
export interface ProjectWithEtag {
  project: Project;
  etag?: string;
}

export const projectKey = (org: string, id: string) => ["projects", org, "detail", id] as const;

export async function fetchProject(org: string, id: string): Promise<ProjectWithEtag> {
  const { data, error, response } = await api.GET("/api/organizations/{org}/projects/{id}", {
    params: { path: { org, id } },
  });
  if (!response.ok || !data) throw await toApiError(response, error);
  return { project: data as Project, etag: etagOf(response) };
}

export function useProject(org: string, id: string) {
  return useQuery({ queryKey: projectKey(org, id), queryFn: () => fetchProject(org, id) });
}
