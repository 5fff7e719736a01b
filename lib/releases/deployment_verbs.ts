import { nanoid } from "nanoid";
import type { OperationRow } from "../analytics/operations.ts";
import type { Ctx } from "../core/ctx.ts";
import { orgOf } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { nextRowVersion, toEntry, toRow } from "../oplog/entries.ts";
import { publishEntry } from "../oplog/entry_verbs.ts";
import { decodeCursor, encodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as deploys from "./deployments.ts";
import * as store from "./releases.ts";
import {
  type Environments,
  environmentsOf,
  projectKey,
  recordChanges,
  refuseIfBlocked,
  type ScopedProject,
  timeKey,
} from "./scope.ts";

// Deployments of releases to environments, whichever door calls them (HTTP routes, the webhook
// gateway's `record_deployment` action, CLI). The verb owns the rules: one deployment per CI run
// (external_run_id), a blocked release is refused, a run that reaches a terminal status writes an
// operations-log entry; every change is a change event and re-queues the project's score.

/** A deployment as the domain returns it. */
export interface Deployment {
  id: string;
  project_id: string;
  /** The environment's slug; null when the environment has been deleted since. */
  environment: string | null;
  /** Null while unattached: only `ref` is known until a release naming it is created. */
  release_id: string | null;
  version: string | null;
  ref: string | null;
  status: store.DeploymentStatus;
  external_run_id: string | null;
  external_run_url: string | null;
  note: string | null;
  performed_by: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** What a door reports about a deployment (a new run, or a status change of a known one). */
export interface DeploymentReport {
  project: string;
  environment: string;
  status: store.DeploymentStatus;
  /** The release by id, by version, or a deployed tag/sha (attached when it names a release). */
  release_id?: string;
  version?: string;
  ref?: string;
  external_run_id?: string;
  external_run_url?: string;
  note?: string;
  /** Who deployed, when the door knows better than its own actor (a CI sender). */
  performed_by?: string;
}

/** A deployment row in the API shape (environment ids become slugs). */
export const toDeployment = (r: store.DeploymentRow, envs: Environments): Deployment => ({
  id: r.id,
  project_id: r.projectId,
  environment: envs.slugOf(r.environmentId),
  release_id: r.releaseId,
  version: r.version,
  ref: r.ref,
  status: r.status,
  external_run_id: r.externalRunId,
  external_run_url: r.externalRunUrl,
  note: r.note,
  performed_by: r.performedBy,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
  completed_at: r.completedAt ? r.completedAt.toISOString() : null,
});

/** The release a report names, or null (unattached); 404 for an unknown release id. */
async function releaseFor(ctx: Ctx, k: store.ProjectKey, r: DeploymentReport): Promise<store.Release | null> {
  const { db } = ctx.services;
  if (r.release_id) {
    const release = await store.findRelease(db, k, r.release_id);
    if (!release) throw new DomainError("NOT_FOUND", `No release '${r.release_id}' in this project.`);
    return release;
  }
  if (r.version) return (await store.findReleaseByVersion(db, k, r.version)) ?? null;
  if (r.ref) return (await store.findReleaseByRef(db, k, r.ref)) ?? null;
  return null;
}

/**
 * The operations-log entry of a run that reached a terminal status. Its id is derived from the
 * deployment and the status, so a redelivered report writes the same row, not a second one.
 */
function terminalEntry(ctx: Ctx, orgSlug: string, d: Deployment, now: Date): OperationRow {
  const what = d.version ?? d.ref ?? "an unknown version";
  const verdict = { success: "succeeded", failed: "failed", rolled_back: "was rolled back" } as const;
  const status = d.status as keyof typeof verdict;
  return toRow(
    {
      id: `ops_dep_${d.id}_${d.status}`,
      organization: orgSlug,
      project_id: d.project_id,
      recorded_by: ctx.actor.id,
      recorded_at: now.toISOString(),
    },
    {
      environment_slug: d.environment ?? "unknown",
      entry_type: d.status === "rolled_back" ? "Rolled Back" : "Deployed",
      description: `Deployment of ${what} to ${d.environment ?? "a deleted environment"} ${verdict[status]}`,
      occurred_at: d.created_at,
      completed_at: now.toISOString(),
      performed_by: d.performed_by,
      link: d.external_run_url,
      notes: d.note,
      version: d.version ?? d.ref,
    },
    nextRowVersion(),
  );
}

/** Everything a change of a deployment triggers: events, the terminal entry, the rescore. */
async function afterChange(
  ctx: Ctx,
  k: ScopedProject,
  before: Deployment | null,
  after: Deployment,
): Promise<void> {
  const fields = before
    ? (["status", "release_id", "external_run_url", "note"] as const)
        .filter((f) => before[f] !== after[f])
        .map((f) => ({ field: f, old: before[f], new: after[f] }))
    : [{ field: "*", old: null, new: after }];
  if (fields.length === 0) return;
  await recordChanges(ctx, k, [
    {
      entity_type: "deployment",
      entity_id: after.id,
      action: before ? "updated" : "created",
      fields,
      entity: after,
    },
  ]);
  const becameTerminal = store.TERMINAL.has(after.status) && before?.status !== after.status;
  if (becameTerminal) {
    const row = terminalEntry(ctx, k.orgSlug, after, ctx.now());
    ctx.background(
      ctx.services.analytics.insert("operations_log", [row]).then((r) => {
        if (r.err)
          ctx.log.warn("deployment operations-log write failed", {
            deployment: after.id,
            error: r.err.message,
          });
      }),
    );
    // Subscribers see the entry like any other (an `operations_log.created` event, in the
    // project's order after the deployment's own event).
    await publishEntry(ctx, "created", toEntry(row), {
      orgId: k.orgId,
      orgSlug: k.orgSlug,
      team: k.team,
    });
  }
  if (before?.status !== after.status) ctx.rescore([after.project_id], "deployment_status_change");
}

/**
 * Records a deployment, or a status change of one. With `external_run_id`, a run already recorded
 * is updated in place (a CI system reports every state of one run; redeliveries are harmless): a
 * non-terminal report after a terminal one is stale and ignored. A new deployment of a release
 * with open blockers is a 409 listing them. Without a known release the deployment is recorded
 * unattached, with its tag/sha in `ref`, and attached when that release is created.
 */
export const recordDeployment = defineVerb({
  name: "recordDeployment",
  access: { scope: "organization", permission: "project:deployment:write" },
  async run(ctx, input: DeploymentReport): Promise<{ deployment: Deployment; created: boolean }> {
    if (!input.release_id && !input.version && !input.ref)
      throw new DomainError(
        "VALIDATION_FAILED",
        "Name what was deployed: release_id, version, or ref (a tag or commit sha).",
        [{ location: "json", message: "one of release_id, version, ref is required" }],
      );
    const k = await projectKey(ctx, input.project);
    const envs = await environmentsOf(ctx, k.orgId);
    const environmentId = envs.idOf(input.environment, "json.environment");
    const { db } = ctx.services;
    const release = await releaseFor(ctx, k, input);
    const now = ctx.now();
    const terminal = store.TERMINAL.has(input.status);

    // Two reports of one run may race: the loser of the insert updates; an update that finds the
    // status moved meanwhile re-reads and decides again. A few rounds always settle it.
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = input.external_run_id
        ? await deploys.findByRun(db, k, input.external_run_id)
        : undefined;
      if (existing) {
        const before = toDeployment(existing, envs);
        if (existing.environmentId !== environmentId)
          throw new DomainError(
            "CONFLICT",
            `Run '${input.external_run_id}' is already recorded as a deployment to '${before.environment}'; a run deploys to one environment.`,
          );
        // A non-terminal report after a terminal one arrived late (webhooks are not ordered).
        const stale = store.TERMINAL.has(existing.status) && !terminal;
        if (stale || (existing.status === input.status && (existing.releaseId || !release)))
          return { deployment: before, created: false };
        const written = await deploys.updateDeployment(db, existing.id, existing.status, {
          status: input.status,
          releaseId: existing.releaseId ?? release?.id ?? null,
          externalRunUrl: input.external_run_url ?? existing.externalRunUrl,
          note: input.note ?? existing.note,
          updatedAt: now,
          completedAt: terminal ? now : existing.completedAt,
        });
        if (!written) continue;
        const after = await deploys.findDeployment(db, k, existing.id);
        if (!after) throw new Error("a deployment vanished while it was updated");
        const deployment = toDeployment(after, envs);
        await afterChange(ctx, k, before, deployment);
        return { deployment, created: false };
      }
      if (release) await refuseIfBlocked(ctx, release, "deploying");
      const id = nanoid();
      const inserted = await deploys.insertDeployment(db, {
        id,
        orgId: k.orgId,
        projectId: k.projectId,
        environmentId,
        releaseId: release?.id ?? null,
        ref: input.ref ?? (release ? null : (input.version ?? null)),
        status: input.status,
        externalRunId: input.external_run_id ?? null,
        externalRunUrl: input.external_run_url ?? null,
        note: input.note ?? null,
        performedBy: input.performed_by ?? ctx.actor.id,
        createdAt: now,
        updatedAt: now,
        completedAt: terminal ? now : null,
      });
      if (!inserted) continue;
      const row = await deploys.findDeployment(db, k, id);
      if (!row) throw new Error("a deployment vanished right after its insert");
      const deployment = toDeployment(row, envs);
      await afterChange(ctx, k, null, deployment);
      return { deployment, created: true };
    }
    throw new DomainError(
      "CONFLICT",
      `Run '${input.external_run_id}' is being updated concurrently; retry the report.`,
    );
  },
});

/** One deployment of a project. */
export const getDeployment = defineVerb({
  name: "getDeployment",
  access: { scope: "organization", permission: "project:deployment:read" },
  async run(ctx, input: { project: string; deployment: string }): Promise<Deployment> {
    const k = await projectKey(ctx, input.project);
    const row = await deploys.findDeployment(ctx.services.db, k, input.deployment);
    if (!row) throw new DomainError("NOT_FOUND", `No deployment '${input.deployment}' in this project.`);
    return toDeployment(row, await environmentsOf(ctx, k.orgId));
  },
});

/** A project's deployment history, newest first; filters: environment, status, release. */
export const listDeployments = defineVerb({
  name: "listDeployments",
  access: { scope: "organization", permission: "project:deployment:read" },
  async run(
    ctx,
    input: {
      project: string;
      limit: number;
      cursor?: string;
      environment?: string;
      status?: store.DeploymentStatus;
      release_id?: string;
    },
  ): Promise<Page<Deployment>> {
    const k = await projectKey(ctx, input.project);
    const envs = await environmentsOf(ctx, k.orgId);
    const rows = await deploys.listDeployments(ctx.services.db, k, {
      after: timeKey(decodeCursor(input.cursor)),
      limit: input.limit,
      environmentId: input.environment ? envs.idOf(input.environment, "query.environment") : undefined,
      status: input.status,
      releaseId: input.release_id,
    });
    return pageFrom(
      rows.map((r) => toDeployment(r, envs)),
      input.limit,
      (d) => ({ t: d.created_at, i: d.id }),
    );
  },
});

/** A project's current release in one environment: the release of its latest successful deploy. */
export interface CurrentRelease {
  environment: string;
  release: store.Release | null;
  /** The deployed tag/sha when the deployment is unattached. */
  ref: string | null;
  deployment_id: string;
  deployed_at: string;
}

/** The current release per environment of a project (environments without a success are left out). */
export const listCurrentReleases = defineVerb({
  name: "listCurrentReleases",
  access: { scope: "organization", permission: "project:deployment:read" },
  async run(ctx, input: { project: string }): Promise<{ data: CurrentRelease[] }> {
    const k = await projectKey(ctx, input.project);
    const envs = await environmentsOf(ctx, k.orgId);
    const latest = await deploys.latestPerEnvironment(ctx.services.db, k.orgId, [k.projectId], {
      successOnly: true,
    });
    const rels = await store.releasesById(
      ctx.services.db,
      k,
      latest.flatMap((d) => (d.releaseId ? [d.releaseId] : [])),
    );
    const byEnv = new Map(latest.map((d) => [d.environmentId, d]));
    return {
      data: envs.ordered.flatMap(({ id, slug }) => {
        const d = byEnv.get(id);
        if (!d) return [];
        return [
          {
            environment: slug,
            release: d.releaseId ? (rels.get(d.releaseId) ?? null) : null,
            ref: d.ref,
            deployment_id: d.id,
            deployed_at: d.createdAt.toISOString(),
          },
        ];
      }),
    };
  },
});

/** How two environments of a project differ in the releases they have had deployed. */
export interface ReleaseDrift {
  from: string;
  to: string;
  from_current: store.Release | null;
  to_current: store.Release | null;
  /** Whether both environments run the same release now. */
  in_sync: boolean;
  /** Releases deployed successfully to `from` and never to `to`, newest first (what a promotion ships). */
  ahead: store.Release[];
  /** Releases deployed successfully to `to` and never to `from`, newest first. */
  behind: store.Release[];
}

/** Release drift between two environments of a project (e.g. staging ahead of production). */
export const getReleaseDrift = defineVerb({
  name: "getReleaseDrift",
  access: { scope: "organization", permission: "project:deployment:read" },
  async run(ctx, input: { project: string; from: string; to: string }): Promise<ReleaseDrift> {
    const k = await projectKey(ctx, input.project);
    const envs = await environmentsOf(ctx, k.orgId);
    const fromId = envs.idOf(input.from, "query.from");
    const toId = envs.idOf(input.to, "query.to");
    const { db } = ctx.services;
    const [inFrom, inTo] = [
      await deploys.successfulReleaseIds(db, k, fromId),
      await deploys.successfulReleaseIds(db, k, toId),
    ];
    const latest = await deploys.latestPerEnvironment(db, k.orgId, [k.projectId], { successOnly: true });
    const current = (envId: string) => latest.find((d) => d.environmentId === envId)?.releaseId ?? null;
    const ids = [...new Set([...inFrom, ...inTo])];
    const rels = await store.releasesById(db, k, ids);
    const newestFirst = (set: Set<string>, minus: Set<string>) =>
      [...set]
        .filter((id) => !minus.has(id))
        .flatMap((id) => rels.get(id) ?? [])
        .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    const fromCurrent = current(fromId);
    const toCurrent = current(toId);
    return {
      from: input.from,
      to: input.to,
      from_current: fromCurrent ? (rels.get(fromCurrent) ?? null) : null,
      to_current: toCurrent ? (rels.get(toCurrent) ?? null) : null,
      in_sync: fromCurrent !== null && fromCurrent === toCurrent,
      ahead: newestFirst(inFrom, inTo),
      behind: newestFirst(inTo, inFrom),
    };
  },
});

/** One project's row of the "what's deployed where" matrix. */
export interface MatrixRow {
  project_id: string;
  project_slug: string;
  project_name: string;
  /** Environment slug → its latest deployment (any status). */
  environments: Record<
    string,
    {
      version: string | null;
      ref: string | null;
      status: store.DeploymentStatus;
      deployment_id: string;
      deployed_at: string;
    }
  >;
}

/** The organization's "what's deployed where": per project with deployments, per environment. */
export const getDeploymentMatrix = defineVerb({
  name: "getDeploymentMatrix",
  access: { scope: "organization", permission: "project:deployment:read" },
  async run(
    ctx,
    input: { limit: number; cursor?: string },
  ): Promise<Page<MatrixRow> & { environments: string[] }> {
    const org = orgOf(ctx);
    const { db, graph } = ctx.services;
    const cursor = decodeCursor(input.cursor);
    if (cursor && typeof cursor.p !== "string")
      throw new DomainError(
        "BAD_REQUEST",
        "The cursor is invalid; use next_cursor from a previous page unchanged.",
      );
    const ids = await deploys.deployedProjectIds(db, org.id, {
      after: cursor ? String(cursor.p) : null,
      limit: input.limit,
    });
    const pageIds = ids.slice(0, input.limit);
    const envs = await environmentsOf(ctx, org.id);
    const latest = await deploys.latestPerEnvironment(db, org.id, pageIds);
    // Projects deleted since their deployments were recorded are left out of the matrix.
    const projects = await graph.query<{ id: string; slug: string; name: string }>(
      "MATCH (p:Project) WHERE p.org_id = $org AND p.id IN $ids RETURN p.id, p.slug, p.name",
      { org: org.id, ids: pageIds },
      ["id", "slug", "name"],
    );
    const known = new Map(projects.map((p) => [String(p.id), p]));
    const rows: MatrixRow[] = pageIds.flatMap((id) => {
      const p = known.get(id);
      if (!p) return [];
      const environments: MatrixRow["environments"] = {};
      for (const d of latest) {
        const slug = d.projectId === id ? envs.slugOf(d.environmentId) : null;
        if (slug)
          environments[slug] = {
            version: d.version,
            ref: d.ref,
            status: d.status,
            deployment_id: d.id,
            deployed_at: d.createdAt.toISOString(),
          };
      }
      return [{ project_id: id, project_slug: String(p.slug), project_name: String(p.name), environments }];
    });
    const last = pageIds[pageIds.length - 1];
    return {
      data: rows,
      next_cursor: ids.length > input.limit && last ? encodeCursor({ p: last }) : null,
      environments: envs.ordered.map((e) => e.slug),
    };
  },
});
