// A project's releases and deployments: the current release per environment, the drift between two
// environments (?from=&to= in the URL), the deployment history (keyset "Load more") and the
// releases with their blockers. Blocking, resolving, publishing and recording a deployment appear
// only with project:deployment:write; the server's refusals (a blocked release, one already
// published) are shown as it words them.
import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api, keysetPaging, unwrap } from "@/api/client";
import type { components } from "@/api/schema";
import { formErrors, useEnvironments } from "@/components/catalog/lookups";
import { driftSummary, STATUS_LABEL, STATUSES, shipped } from "@/components/deployments/model";
import { DeploymentStatusBadge } from "@/components/deployments/StatusBadge";
import { EmptyState, Loading, MoreButton, ProblemAlert } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Badge, Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { Field, Input, Label, Select, Textarea } from "@/components/ui/input";

type Release = components["schemas"]["Release"];
type Deployment = components["schemas"]["Deployment"];
type DeploymentStatus = Deployment["status"];

const PAGE = 20;
const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
const th = "px-3 py-2 text-left text-xs font-medium text-muted-foreground";
const td = "px-3 py-2 align-top";

function RunLink({ url, label = "CI run" }: { url: string | null; label?: string }) {
  if (!url) return <span className="text-muted-foreground">—</span>;
  return (
    <a
      href={url}
      target="_blank"
      rel="noreferrer"
      className="inline-flex items-center gap-1 text-primary hover:underline"
    >
      {label}
      <ExternalLink className="size-3" aria-hidden />
      <span className="sr-only">(opens in a new tab)</span>
    </a>
  );
}

function useOrderedEnvironments(org: string) {
  const envs = useEnvironments(org);
  return { ...envs, list: [...(envs.data?.data ?? [])].sort((a, b) => a.sort_order - b.sort_order) };
}

export function DeploymentsTab({
  org,
  projectId,
  canDeploy,
}: {
  org: string;
  projectId: string;
  canDeploy: boolean;
}) {
  return (
    <div className="grid gap-4">
      <CurrentReleases org={org} projectId={projectId} />
      <Drift org={org} projectId={projectId} />
      <History org={org} projectId={projectId} canDeploy={canDeploy} />
      <Releases org={org} projectId={projectId} canDeploy={canDeploy} />
    </div>
  );
}

function CurrentReleases({ org, projectId }: { org: string; projectId: string }) {
  const q = useQuery({
    queryKey: ["deployments", org, projectId, "current"],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{project_id}/releases/current", {
          params: { path: { org, project_id: projectId } },
        }),
      ),
  });
  const rows = q.data?.data ?? [];
  // The current-release answer names the deployment; who ran it and where live on the deployment.
  const details = useQueries({
    queries: rows.map((r) => ({
      queryKey: ["deployments", org, projectId, "one", r.deployment_id],
      queryFn: () =>
        unwrap(
          api.GET("/api/organizations/{org}/projects/{project_id}/deployments/{deployment_id}", {
            params: { path: { org, project_id: projectId, deployment_id: r.deployment_id } },
          }),
        ),
    })),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Current release per environment</CardTitle>
      </CardHeader>
      <CardContent>
        {q.isError ? <ProblemAlert error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.isPending ? (
          <Loading label="Loading the current releases…" />
        ) : rows.length === 0 && !q.isError ? (
          <EmptyState title="Nothing deployed yet">
            A successful deployment sets an environment's current release. CI records them through the API or
            a GitHub webhook (docs/automations.md); with the permission you can also record one below.
          </EmptyState>
        ) : (
          <table className="w-full text-sm" aria-label="Current release per environment">
            <thead>
              <tr className="border-b">
                <th className={th}>Environment</th>
                <th className={th}>Release</th>
                <th className={th}>Status</th>
                <th className={th}>Deployed</th>
                <th className={th}>By</th>
                <th className={th}>Run</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const d = details[i]?.data;
                return (
                  <tr key={r.environment} className="border-b last:border-0">
                    <td className={td}>{r.environment}</td>
                    <td className={td}>
                      <span className="font-mono">{r.release?.version ?? r.ref ?? "—"}</span>{" "}
                      {r.release?.title ? (
                        <span className="ml-2 text-muted-foreground">{r.release.title}</span>
                      ) : null}
                      {r.release ? null : (
                        <Badge tone="muted" className="ml-2">
                          Unattached ref
                        </Badge>
                      )}
                    </td>
                    <td className={td}>
                      <DeploymentStatusBadge status={d?.status ?? "success"} />
                    </td>
                    <td className={td}>
                      <time dateTime={r.deployed_at}>{when(r.deployed_at)}</time>
                    </td>
                    <td className={td}>{d?.performed_by ?? "…"}</td>
                    <td className={td}>
                      <RunLink url={d?.external_run_url ?? null} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </CardContent>
    </Card>
  );
}

function Drift({ org, projectId }: { org: string; projectId: string }) {
  const envs = useOrderedEnvironments(org);
  const [sp, setSp] = useSearchParams();
  const slugs = envs.list.map((e) => e.slug);
  // By default the last two environments in display order: usually staging → production.
  const from = sp.get("from") ?? slugs[slugs.length - 2] ?? "";
  const to = sp.get("to") ?? slugs[slugs.length - 1] ?? "";
  const set = (key: "from" | "to", value: string) => {
    const next = new URLSearchParams(sp);
    next.set(key, value);
    setSp(next);
  };
  const q = useQuery({
    queryKey: ["deployments", org, projectId, "drift", from, to],
    enabled: from !== "" && to !== "" && from !== to,
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{project_id}/releases/drift", {
          params: { path: { org, project_id: projectId }, query: { from, to } },
        }),
      ),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Release drift</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        {envs.isError ? <ProblemAlert error={envs.error} onRetry={() => envs.refetch()} /> : null}
        <div className="flex flex-wrap items-end gap-3">
          <div className="grid gap-1.5">
            <Label htmlFor="drift-from">From environment</Label>
            <Select id="drift-from" value={from} onChange={(e) => set("from", e.target.value)}>
              {envs.list.map((e) => (
                <option key={e.slug} value={e.slug}>
                  {e.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="drift-to">To environment</Label>
            <Select id="drift-to" value={to} onChange={(e) => set("to", e.target.value)}>
              {envs.list.map((e) => (
                <option key={e.slug} value={e.slug}>
                  {e.name}
                </option>
              ))}
            </Select>
          </div>
        </div>
        {from !== "" && from === to ? (
          <p className="text-sm text-muted-foreground">Pick two different environments to compare.</p>
        ) : null}
        {q.isError ? <ProblemAlert error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.data ? (
          <div className="grid gap-2">
            <p role="status" className="font-medium" data-testid="drift-summary">
              {driftSummary(q.data)}
            </p>
            {q.data.ahead.length > 0 ? (
              <p className="text-sm">
                Promoting would ship:{" "}
                {q.data.ahead.map((r, i) => (
                  <span key={r.id}>
                    {i > 0 ? ", " : ""}
                    <span className="font-mono">{r.version}</span>
                  </span>
                ))}
              </p>
            ) : null}
            {q.data.behind.length > 0 ? (
              <p className="text-sm">
                Only in {q.data.to}:{" "}
                {q.data.behind.map((r, i) => (
                  <span key={r.id}>
                    {i > 0 ? ", " : ""}
                    <span className="font-mono">{r.version}</span>
                  </span>
                ))}
              </p>
            ) : null}
          </div>
        ) : q.isFetching ? (
          <Loading label="Comparing…" />
        ) : null}
      </CardContent>
    </Card>
  );
}

function History({ org, projectId, canDeploy }: { org: string; projectId: string; canDeploy: boolean }) {
  const [recording, setRecording] = useState(false);
  const [announce, setAnnounce] = useState("");
  const q = useInfiniteQuery({
    queryKey: ["deployments", org, projectId, "history"],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{project_id}/deployments", {
          params: {
            path: { org, project_id: projectId },
            query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    ...keysetPaging,
  });
  const rows = q.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>Deployment history</CardTitle>
        {canDeploy ? (
          <Button size="sm" onClick={() => setRecording(true)}>
            Record deployment
          </Button>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-2">
        <p role="status" className="sr-only">
          {announce}
        </p>
        {q.isError ? <ProblemAlert error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.isPending ? (
          <Loading label="Loading the deployments…" />
        ) : rows.length === 0 && !q.isError ? (
          <EmptyState title="No deployments recorded">
            CI reports them through the API or a GitHub webhook (see docs/automations.md).
          </EmptyState>
        ) : (
          <table className="w-full text-sm" aria-label="Deployment history">
            <thead>
              <tr className="border-b">
                <th className={th}>Started</th>
                <th className={th}>Environment</th>
                <th className={th}>Deployed</th>
                <th className={th}>Status</th>
                <th className={th}>By</th>
                <th className={th}>Run</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} className="border-b last:border-0">
                  <td className={td}>
                    <time dateTime={d.created_at}>{when(d.created_at)}</time>
                  </td>
                  <td className={td}>
                    {d.environment ?? <span className="text-muted-foreground">(deleted)</span>}
                  </td>
                  <td className={td}>
                    <span className="font-mono">{shipped(d)}</span>{" "}
                    {d.release_id === null ? (
                      <Badge tone="muted" className="ml-2">
                        Unattached ref
                      </Badge>
                    ) : null}
                  </td>
                  <td className={td}>
                    <DeploymentStatusBadge status={d.status} />
                  </td>
                  <td className={td}>{d.performed_by}</td>
                  <td className={td}>
                    <RunLink url={d.external_run_url} label={d.external_run_id ?? "CI run"} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <MoreButton q={q} />
      </CardContent>
      {canDeploy ? (
        <RecordDeploymentDialog
          org={org}
          projectId={projectId}
          open={recording}
          onOpenChange={setRecording}
          onRecorded={(d) =>
            setAnnounce(`Recorded ${shipped(d)} to ${d.environment ?? "?"}: ${STATUS_LABEL[d.status]}`)
          }
        />
      ) : null}
    </Card>
  );
}

const RECORD_FIELDS = ["environment", "version", "status", "external_run_url", "note"] as const;

function RecordDeploymentDialog({
  org,
  projectId,
  open,
  onOpenChange,
  onRecorded,
}: {
  org: string;
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onRecorded: (d: Deployment) => void;
}) {
  const qc = useQueryClient();
  const envs = useOrderedEnvironments(org);
  const [environment, setEnvironment] = useState("");
  const [version, setVersion] = useState("");
  const [status, setStatus] = useState<DeploymentStatus>("success");
  const [runUrl, setRunUrl] = useState("");
  const [note, setNote] = useState("");
  const env = environment || envs.list[0]?.slug || "";
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/projects/{project_id}/deployments", {
          params: { path: { org, project_id: projectId } },
          body: {
            environment: env,
            status,
            version,
            ...(runUrl ? { external_run_url: runUrl } : {}),
            ...(note ? { note } : {}),
          },
        }),
      ),
    onSuccess: async (d) => {
      await qc.invalidateQueries({ queryKey: ["deployments", org] });
      onRecorded(d as Deployment);
      setVersion("");
      setRunUrl("");
      setNote("");
      onOpenChange(false);
    },
  });
  const errors = formErrors(record.error);
  const placed = RECORD_FIELDS.some((f) => errors[f]);
  const err = (f: (typeof RECORD_FIELDS)[number]) => errors[f];
  const described = (f: (typeof RECORD_FIELDS)[number]) => (errors[f] ? `rd-${f}-error` : undefined);
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) record.reset();
        onOpenChange(o);
      }}
      title="Record a deployment"
      description="What CI would report: a release's version (or a tag/sha) deployed to an environment, and how it went."
    >
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          record.mutate();
        }}
      >
        <Field id="rd-environment" label="Environment" error={err("environment")}>
          <Select
            id="rd-environment"
            value={env}
            onChange={(e) => setEnvironment(e.target.value)}
            aria-invalid={Boolean(err("environment"))}
            aria-describedby={described("environment")}
          >
            {envs.list.map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id="rd-version"
          label="Version"
          hint="A release's version; a version no release has is kept as an unattached ref"
          error={err("version")}
        >
          <Input
            id="rd-version"
            required
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            aria-invalid={Boolean(err("version"))}
            aria-describedby={described("version") ?? "rd-version-hint"}
          />
        </Field>
        <Field id="rd-status" label="Status" error={err("status")}>
          <Select
            id="rd-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as DeploymentStatus)}
            aria-invalid={Boolean(err("status"))}
            aria-describedby={described("status")}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="rd-external_run_url" label="Run URL (optional)" error={err("external_run_url")}>
          <Input
            id="rd-external_run_url"
            value={runUrl}
            onChange={(e) => setRunUrl(e.target.value)}
            aria-invalid={Boolean(err("external_run_url"))}
            aria-describedby={described("external_run_url")}
          />
        </Field>
        <Field id="rd-note" label="Note (optional)" error={err("note")}>
          <Textarea
            id="rd-note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={Boolean(err("note"))}
            aria-describedby={described("note")}
          />
        </Field>
        {record.isError && !placed ? <ProblemAlert error={record.error} /> : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={record.isPending}>
            {record.isPending ? "Recording…" : "Record"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function Releases({ org, projectId, canDeploy }: { org: string; projectId: string; canDeploy: boolean }) {
  const [blocking, setBlocking] = useState<Release | null>(null);
  const [publishing, setPublishing] = useState<Release | null>(null);
  const [viewing, setViewing] = useState<Release | null>(null);
  const q = useInfiniteQuery({
    queryKey: ["deployments", org, projectId, "releases"],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{project_id}/releases", {
          params: {
            path: { org, project_id: projectId },
            query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    ...keysetPaging,
  });
  const rows = q.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Releases</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2">
        {q.isError ? <ProblemAlert error={q.error} onRetry={() => q.refetch()} /> : null}
        {q.isPending ? (
          <Loading label="Loading the releases…" />
        ) : rows.length === 0 && !q.isError ? (
          <EmptyState title="No releases yet">
            A release is cut from a commit (POST …/releases, or a GitHub webhook rule: docs/automations.md).
          </EmptyState>
        ) : (
          <table className="w-full text-sm" aria-label="Releases">
            <thead>
              <tr className="border-b">
                <th className={th}>Version</th>
                <th className={th}>Title</th>
                <th className={th}>Created</th>
                <th className={th}>State</th>
                <th className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-b last:border-0">
                  <td className={`${td} font-mono`}>{r.version}</td>
                  <td className={td}>{r.title || <span className="text-muted-foreground">—</span>}</td>
                  <td className={td}>
                    <time dateTime={r.created_at}>{when(r.created_at)}</time>
                    <span className="block text-xs text-muted-foreground">by {r.created_by}</span>
                  </td>
                  <td className={td}>
                    <span className="flex flex-wrap gap-1">
                      {r.published_at ? (
                        <Badge
                          tone="good"
                          title={`Published ${when(r.published_at)} by ${r.published_by ?? "?"}`}
                        >
                          {r.prerelease ? "Published (pre-release)" : "Published"}
                        </Badge>
                      ) : (
                        <Badge tone="muted">Not published</Badge>
                      )}
                      {r.open_blockers > 0 ? (
                        <Badge tone="bad">
                          {r.open_blockers} open blocker{r.open_blockers === 1 ? "" : "s"}
                        </Badge>
                      ) : null}
                    </span>
                  </td>
                  <td className={`${td} text-right`}>
                    <span className="flex flex-wrap justify-end gap-1">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setViewing(r)}
                        aria-label={`Blockers of ${r.version}`}
                      >
                        Blockers
                      </Button>
                      {canDeploy ? (
                        <>
                          <Button
                            size="sm"
                            variant="outline"
                            onClick={() => setBlocking(r)}
                            aria-label={`Block ${r.version}`}
                          >
                            Block
                          </Button>
                          {r.published_at ? null : (
                            <Button
                              size="sm"
                              variant="outline"
                              onClick={() => setPublishing(r)}
                              aria-label={`Publish ${r.version}`}
                            >
                              Publish
                            </Button>
                          )}
                        </>
                      ) : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <MoreButton q={q} />
      </CardContent>
      {blocking ? (
        <BlockDialog org={org} projectId={projectId} release={blocking} onClose={() => setBlocking(null)} />
      ) : null}
      {publishing ? (
        <PublishDialog
          org={org}
          projectId={projectId}
          release={publishing}
          onClose={() => setPublishing(null)}
        />
      ) : null}
      {viewing ? (
        <BlockersDialog
          org={org}
          projectId={projectId}
          release={viewing}
          canDeploy={canDeploy}
          onClose={() => setViewing(null)}
        />
      ) : null}
    </Card>
  );
}

function BlockDialog({
  org,
  projectId,
  release,
  onClose,
}: {
  org: string;
  projectId: string;
  release: Release;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const [reason, setReason] = useState("");
  const block = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/projects/{project_id}/releases/{release_id}/blockers", {
          params: { path: { org, project_id: projectId, release_id: release.id } },
          body: { reason },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["deployments", org] });
      onClose();
    },
  });
  const errors = formErrors(block.error);
  return (
    <Dialog
      open
      onOpenChange={(o) => (o ? null : onClose())}
      title={`Block ${release.version}`}
      description="While a blocker is open, the release cannot be deployed or published."
    >
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          block.mutate();
        }}
      >
        <Field id="block-reason" label="Reason" error={errors.reason}>
          <Textarea
            id="block-reason"
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={Boolean(errors.reason)}
            aria-describedby={errors.reason ? "block-reason-error" : undefined}
          />
        </Field>
        {block.isError && !errors.reason ? <ProblemAlert error={block.error} /> : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="destructive" disabled={block.isPending}>
            Block release
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function PublishDialog({
  org,
  projectId,
  release,
  onClose,
}: {
  org: string;
  projectId: string;
  release: Release;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const [prerelease, setPrerelease] = useState(false);
  const publish = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/organizations/{org}/projects/{project_id}/releases/{release_id}/publish", {
          params: { path: { org, project_id: projectId, release_id: release.id } },
          body: { prerelease },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["deployments", org] });
      onClose();
    },
  });
  return (
    <ConfirmDialog
      open
      onOpenChange={(o) => (o ? null : onClose())}
      title={`Publish ${release.version}`}
      description="Publishing ratifies the release; it is done once and refused while a blocker is open."
      confirmLabel="Publish"
      destructive={false}
      pending={publish.isPending}
      onConfirm={() => publish.mutate()}
    >
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={prerelease} onChange={(e) => setPrerelease(e.target.checked)} />
        Publish as a pre-release
      </label>
      {publish.isError ? <ProblemAlert error={publish.error} /> : null}
    </ConfirmDialog>
  );
}

function BlockersDialog({
  org,
  projectId,
  release,
  canDeploy,
  onClose,
}: {
  org: string;
  projectId: string;
  release: Release;
  canDeploy: boolean;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ["deployments", org, projectId, "blockers", release.id],
    queryFn: () =>
      unwrap(
        api.GET("/api/organizations/{org}/projects/{project_id}/releases/{release_id}/blockers", {
          params: { path: { org, project_id: projectId, release_id: release.id }, query: { limit: 100 } },
        }),
      ),
  });
  const resolve = useMutation({
    mutationFn: (blockerId: string) =>
      unwrap(
        api.POST(
          "/api/organizations/{org}/projects/{project_id}/releases/{release_id}/blockers/{blocker_id}/resolve",
          {
            params: { path: { org, project_id: projectId, release_id: release.id, blocker_id: blockerId } },
            body: {},
          },
        ),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["deployments", org] }),
  });
  const rows = q.data?.data ?? [];
  return (
    <Dialog open onOpenChange={(o) => (o ? null : onClose())} title={`Blockers of ${release.version}`}>
      <div className="grid gap-2">
        {q.isError ? <ProblemAlert error={q.error} onRetry={() => q.refetch()} /> : null}
        {resolve.isError ? <ProblemAlert error={resolve.error} /> : null}
        {q.isPending ? (
          <Loading label="Loading the blockers…" />
        ) : rows.length === 0 && !q.isError ? (
          <p className="text-sm text-muted-foreground">This release has never been blocked.</p>
        ) : (
          <ul className="grid gap-2" aria-label="Blockers">
            {rows.map((b) => (
              <li key={b.id} className="grid gap-1 rounded border px-3 py-2 text-sm">
                <div className="flex items-center gap-2">
                  <Badge tone={b.status === "open" ? "bad" : "muted"}>
                    {b.status === "open" ? "Open" : "Resolved"}
                  </Badge>
                  <span className="text-xs text-muted-foreground">
                    by {b.created_by}, {when(b.created_at)}
                  </span>
                  {canDeploy && b.status === "open" ? (
                    <Button
                      size="sm"
                      variant="outline"
                      className="ml-auto"
                      disabled={resolve.isPending}
                      onClick={() => resolve.mutate(b.id)}
                    >
                      Resolve
                    </Button>
                  ) : null}
                </div>
                <p>{b.reason}</p>
                {b.status === "resolved" ? (
                  <p className="text-xs text-muted-foreground">
                    Resolved by {b.resolved_by ?? "?"}
                    {b.resolved_at ? `, ${when(b.resolved_at)}` : ""}
                    {b.resolution_note ? `: ${b.resolution_note}` : ""}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <div className="flex justify-end">
          <Button variant="outline" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
