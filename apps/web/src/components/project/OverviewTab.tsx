// The overview: description, blueprint attributes (read view; Edit opens the form), environments
// with their URLs, links and identifiers.
import { useQuery } from "@tanstack/react-query";
import { ExternalLink, Pencil } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api, unwrap } from "@/api/client";
import { namesBySlug, useEnvironments, useLinkDefinitions } from "@/components/catalog/lookups";
import { Loading, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EditProjectDialog } from "./EditProjectDialog";
import { EnvironmentUrl } from "./EnvironmentUrl";
import { displayValue, fieldsOf } from "./schema_fields";
import type { ProjectWithEtag } from "./use_project";

function ExtLink({ href, children }: { href: string; children: React.ReactNode }) {
  const safe = /^https?:\/\//i.test(href);
  if (!safe) return <span className="break-all">{children}</span>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      className="inline-flex items-center gap-1 break-all text-primary underline-offset-4 hover:underline"
    >
      {children}
      <ExternalLink className="size-3 shrink-0" aria-hidden />
    </a>
  );
}

export function OverviewTab({
  org,
  routeId,
  data,
  canWrite,
}: {
  org: string;
  routeId: string;
  data: ProjectWithEtag;
  canWrite: boolean;
}) {
  const { project } = data;
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const schema = useQuery({
    queryKey: ["projects", org, "schema", project.id, project.project_types],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{id}/schema", {
          params: { path: { org, id: project.id } },
        }),
      ),
  });
  const envs = useEnvironments(org);
  const links = useLinkDefinitions(org);
  const envName = namesBySlug(envs.data);
  const linkName = namesBySlug(links.data);
  const fields = fieldsOf(schema.data);
  const envEntries = Object.entries(project.environments ?? {});
  const linkEntries = Object.entries(project.links ?? {});
  const idEntries = Object.entries(project.identifiers ?? {});
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <div className="grid content-start gap-4">
        <Card>
          <CardHeader className="flex-row items-center justify-between">
            <CardTitle>About</CardTitle>
            {canWrite ? (
              <Button
                size="sm"
                variant="outline"
                onClick={() => setEditing(true)}
                disabled={!schema.isSuccess}
              >
                <Pencil aria-hidden /> Edit
              </Button>
            ) : null}
          </CardHeader>
          <CardContent className="grid gap-4">
            <p className="whitespace-pre-wrap text-sm">
              {project.description || <span className="text-muted-foreground">No description yet.</span>}
            </p>
            <section aria-labelledby="attrs-heading" className="grid gap-2">
              <h3 id="attrs-heading" className="text-sm font-semibold">
                Attributes
              </h3>
              {schema.isPending ? (
                <Loading label="Loading the blueprint…" />
              ) : schema.isError ? (
                <ProblemAlert error={schema.error} onRetry={() => schema.refetch()} />
              ) : fields.length === 0 ? (
                <p className="text-sm text-muted-foreground">
                  No blueprint applies to this project's types. An administrator can add one under Admin →
                  Blueprints.
                </p>
              ) : (
                <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-2 text-sm">
                  {fields.map((f) => (
                    <div key={f.name} className="contents">
                      <dt className="text-muted-foreground" title={f.description}>
                        {f.label}
                      </dt>
                      <dd data-testid={`attr-${f.name}`}>{displayValue(f, project[f.name])}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </section>
          </CardContent>
        </Card>
      </div>
      <div className="grid content-start gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Environments</CardTitle>
          </CardHeader>
          <CardContent>
            {envEntries.length === 0 ? (
              <p className="text-sm text-muted-foreground">Not deployed anywhere yet.</p>
            ) : (
              <ul className="grid gap-2 text-sm">
                {envEntries.map(([slug, props]) => {
                  const url = typeof props.url === "string" && props.url ? props.url : undefined;
                  return (
                    <li key={slug}>
                      <EnvironmentUrl
                        org={org}
                        routeId={routeId}
                        data={data}
                        env={slug}
                        envName={envName(slug)}
                        url={url}
                        canWrite={canWrite}
                      >
                        {url ? (
                          <ExtLink href={url}>{url}</ExtLink>
                        ) : (
                          <span className="text-muted-foreground">No URL</span>
                        )}
                      </EnvironmentUrl>
                    </li>
                  );
                })}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Links</CardTitle>
          </CardHeader>
          <CardContent>
            {linkEntries.length === 0 ? (
              <p className="text-sm text-muted-foreground">No links yet.</p>
            ) : (
              <ul className="grid gap-2 text-sm">
                {linkEntries.map(([slug, url]) => (
                  <li key={slug} className="grid">
                    <span className="font-medium">{linkName(slug)}</span>
                    <ExtLink href={url}>{url}</ExtLink>
                  </li>
                ))}
              </ul>
            )}
            {links.isError ? <ProblemAlert error={links.error} /> : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Identifiers</CardTitle>
          </CardHeader>
          <CardContent>
            {idEntries.length === 0 ? (
              <p className="text-sm text-muted-foreground">No identifiers yet.</p>
            ) : (
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                {idEntries.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-muted-foreground">{k}</dt>
                    <dd className="break-all font-mono text-xs leading-5">{v}</dd>
                  </div>
                ))}
              </dl>
            )}
          </CardContent>
        </Card>
      </div>
      {editing && canWrite ? (
        <EditProjectDialog
          org={org}
          routeId={routeId}
          base={data}
          fields={fields}
          open={editing}
          onOpenChange={setEditing}
          onSaved={(p) => {
            if (p.slug !== routeId && routeId !== p.id)
              navigate(`/o/${org}/projects/${p.slug}?tab=overview`, { replace: true });
          }}
        />
      ) : null}
    </div>
  );
}
