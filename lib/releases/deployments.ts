// Storage of deployments (schema/sql/0008_releases.sql). A deployment's identity for a CI system is
// its external run id: the partial unique index (org, project, external_run_id) makes a second
// report of the same run an update, also when two reports race (the insert loses, then updates).

import { and, desc, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import { deployments, releases } from "../../schema/tables.ts";
import type { Db } from "../services.ts";
import type { DeploymentRow, DeploymentStatus, ProjectKey } from "./releases.ts";

const withVersion = { d: deployments, version: releases.version } as const;
const flat = (r: { d: typeof deployments.$inferSelect; version: string | null }): DeploymentRow => ({
  ...r.d,
  version: r.version,
});
const ofProject = (k: ProjectKey) =>
  and(eq(deployments.orgId, k.orgId), eq(deployments.projectId, k.projectId));

/** The deployment the project recorded for this CI run, or undefined. */
export async function findByRun(db: Db, k: ProjectKey, runId: string): Promise<DeploymentRow | undefined> {
  const [r] = await db
    .select(withVersion)
    .from(deployments)
    .leftJoin(releases, eq(releases.id, deployments.releaseId))
    .where(and(ofProject(k), eq(deployments.externalRunId, runId)));
  return r ? flat(r) : undefined;
}

/** One deployment of the project, or undefined. */
export async function findDeployment(db: Db, k: ProjectKey, id: string): Promise<DeploymentRow | undefined> {
  const [r] = await db
    .select(withVersion)
    .from(deployments)
    .leftJoin(releases, eq(releases.id, deployments.releaseId))
    .where(and(ofProject(k), eq(deployments.id, id)));
  return r ? flat(r) : undefined;
}

/** Inserts a deployment; false when its run id is already recorded (the caller updates instead). */
export async function insertDeployment(db: Db, row: typeof deployments.$inferInsert): Promise<boolean> {
  const inserted = await db
    .insert(deployments)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: deployments.id });
  return inserted.length > 0;
}

/**
 * Writes a deployment's new state, only if its status is still `expected` (another report of the
 * same run may have moved it meanwhile: the caller re-reads and decides again). True when written.
 */
export async function updateDeployment(
  db: Db,
  id: string,
  expected: DeploymentStatus,
  set: Partial<typeof deployments.$inferInsert>,
): Promise<boolean> {
  const updated = await db
    .update(deployments)
    .set(set)
    .where(and(eq(deployments.id, id), eq(deployments.status, expected)))
    .returning({ id: deployments.id });
  return updated.length > 0;
}

/** The project's deployments newest first, optionally in one environment or status (limit + 1). */
export async function listDeployments(
  db: Db,
  k: ProjectKey,
  q: {
    after: { t: string; i: string } | null;
    limit: number;
    environmentId?: string;
    status?: DeploymentStatus;
    releaseId?: string;
  },
): Promise<DeploymentRow[]> {
  const after = q.after
    ? or(
        lt(deployments.createdAt, new Date(q.after.t)),
        and(eq(deployments.createdAt, new Date(q.after.t)), lt(deployments.id, q.after.i)),
      )
    : undefined;
  const rows = await db
    .select(withVersion)
    .from(deployments)
    .leftJoin(releases, eq(releases.id, deployments.releaseId))
    .where(
      and(
        ofProject(k),
        q.environmentId ? eq(deployments.environmentId, q.environmentId) : undefined,
        q.status ? eq(deployments.status, q.status) : undefined,
        q.releaseId ? eq(deployments.releaseId, q.releaseId) : undefined,
        after,
      ),
    )
    .orderBy(desc(deployments.createdAt), desc(deployments.id))
    .limit(q.limit + 1);
  return rows.map(flat);
}

/**
 * The latest deployment per environment of each project (by when it started), optionally only
 * successful ones (a project's current release in an environment is its latest successful deploy).
 */
export async function latestPerEnvironment(
  db: Db,
  orgId: string,
  projectIds: string[],
  opts: { successOnly?: boolean } = {},
): Promise<DeploymentRow[]> {
  if (projectIds.length === 0) return [];
  const rows = await db
    .selectDistinctOn([deployments.projectId, deployments.environmentId], withVersion)
    .from(deployments)
    .leftJoin(releases, eq(releases.id, deployments.releaseId))
    .where(
      and(
        eq(deployments.orgId, orgId),
        inArray(deployments.projectId, projectIds),
        opts.successOnly ? eq(deployments.status, "success") : undefined,
      ),
    )
    .orderBy(
      deployments.projectId,
      deployments.environmentId,
      desc(deployments.createdAt),
      desc(deployments.id),
    );
  return rows.map(flat);
}

/** Ids of the releases the project ever deployed successfully to an environment. */
export async function successfulReleaseIds(
  db: Db,
  k: ProjectKey,
  environmentId: string,
): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ id: deployments.releaseId })
    .from(deployments)
    .where(
      and(
        ofProject(k),
        eq(deployments.environmentId, environmentId),
        eq(deployments.status, "success"),
        sql`${deployments.releaseId} IS NOT NULL`,
      ),
    );
  return new Set(rows.flatMap((r) => (r.id ? [r.id] : [])));
}

/** A page of the organization's projects that have deployments, by id (limit + 1 ids). */
export async function deployedProjectIds(
  db: Db,
  orgId: string,
  q: { after: string | null; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: deployments.projectId })
    .from(deployments)
    .where(and(eq(deployments.orgId, orgId), q.after ? gt(deployments.projectId, q.after) : undefined))
    .orderBy(deployments.projectId)
    .limit(q.limit + 1);
  return rows.map((r) => r.id);
}
