// The catalog's rows: name (to the project page), team, types, score with its level, environments.
import { Link } from "react-router";
import type { components } from "@/api/schema";
import { Badge } from "@/components/ui/card";
import type { ScoreLevel } from "./lookups";
import { ScoreBadge } from "./score";

export type ProjectRow = components["schemas"]["ProjectFields"];

export function ProjectTable({
  org,
  rows,
  levels,
  teamName,
  typeName,
  envName,
}: {
  org: string;
  rows: ProjectRow[];
  levels?: ScoreLevel[];
  teamName: (slug: string) => string;
  typeName: (slug: string) => string;
  envName: (slug: string) => string;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-sm">
        <caption className="sr-only">Projects</caption>
        <thead className="border-b bg-muted/50 text-left text-xs uppercase tracking-wide text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Team
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Type
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Score
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Environments
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id} className="border-b last:border-0 hover:bg-muted/30">
              <td className="px-3 py-2">
                <Link
                  to={`/o/${org}/projects/${p.slug ?? p.id}`}
                  className="font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                >
                  {p.name ?? p.slug}
                </Link>
                <div className="text-xs text-muted-foreground">
                  {p.slug}
                  {p.archived ? (
                    <Badge tone="muted" className="ml-2">
                      Archived
                    </Badge>
                  ) : null}
                </div>
              </td>
              <td className="px-3 py-2">{p.team ? teamName(p.team) : "—"}</td>
              <td className="px-3 py-2">
                <div className="flex flex-wrap gap-1">
                  {(p.project_types ?? []).map((t) => (
                    <Badge key={t} tone="muted" className="whitespace-nowrap">
                      {typeName(t)}
                    </Badge>
                  ))}
                </div>
              </td>
              <td className="px-3 py-2">
                <ScoreBadge score={p.score} levels={levels} />
              </td>
              <td className="px-3 py-2 text-muted-foreground">
                {Object.keys(p.environments ?? {})
                  .map(envName)
                  .join(", ") || "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProjectTableSkeleton() {
  return (
    <div className="grid gap-2 rounded-lg border p-3" role="status" aria-label="Loading projects">
      {Array.from({ length: 8 }, (_, i) => i).map((i) => (
        <div key={i} className="h-9 animate-pulse rounded-md bg-muted" />
      ))}
    </div>
  );
}
