// Storage of releases, release blockers and deployments (schema/sql/0008_releases.sql, 0010). SQL tables
// keyed by organization + project id; the verbs (./release_verbs.ts, ./deployment_verbs.ts) resolve
// projects and environments in the graph and pass ids here. Rows never go on the wire: `to*` map
// them to the domain shapes.

import { and, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { DEPLOYMENT_STATUSES, deployments, releaseBlockers, releases } from "../../schema/tables.ts";
import type { Db } from "../services.ts";

export { DEPLOYMENT_STATUSES };

/** A deployment's status; see {@link TERMINAL}. */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Statuses after which a run does no more work (an operations-log entry is written on reaching one). */
export const TERMINAL: ReadonlySet<DeploymentStatus> = new Set(["success", "failed", "rolled_back"]);

/** A release as the domain returns it. */
export interface Release {
  id: string;
  project_id: string;
  version: string;
  committish: string | null;
  title: string;
  notes: string;
  created_by: string;
  created_at: string;
  /** Open blockers: while above 0 the release cannot be deployed or published. */
  open_blockers: number;
  /** When the release was published; null until then (a release is published once). */
  published_at: string | null;
  published_by: string | null;
  /** Published as a pre-release (an RC, a beta); false until published. */
  prerelease: boolean;
}

/** A blocker on a release. */
export interface Blocker {
  id: string;
  release_id: string;
  reason: string;
  status: "open" | "resolved";
  created_by: string;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
}

/** A deployment row with its release's version (null while unattached). */
export type DeploymentRow = typeof deployments.$inferSelect & { version: string | null };

type ReleaseRow = typeof releases.$inferSelect;
type BlockerRow = typeof releaseBlockers.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Open blockers of a release, as a correlated count (one statement for a list). The outer column is
 * written out: drizzle leaves a column unqualified in a one-table query, and inside the subquery an
 * unqualified `id` would be the blocker's own.
 */
const openBlockers = sql<number>`(SELECT count(*)::int FROM release_blockers b
  WHERE b.release_id = releases.id AND b.resolved_at IS NULL)`;

function toRelease(r: ReleaseRow & { open_blockers: number }): Release {
  return {
    id: r.id,
    project_id: r.projectId,
    version: r.version,
    committish: r.committish,
    title: r.title,
    notes: r.notes,
    created_by: r.createdBy,
    created_at: r.createdAt.toISOString(),
    open_blockers: Number(r.open_blockers),
    published_at: iso(r.publishedAt),
    published_by: r.publishedBy,
    prerelease: r.prerelease,
  };
}

/** Maps a blocker row to the domain shape. */
export function toBlocker(b: BlockerRow): Blocker {
  return {
    id: b.id,
    release_id: b.releaseId,
    reason: b.reason,
    status: b.resolvedAt ? "resolved" : "open",
    created_by: b.createdBy,
    created_at: b.createdAt.toISOString(),
    resolved_by: b.resolvedBy,
    resolved_at: iso(b.resolvedAt),
    resolution_note: b.resolutionNote,
  };
}

/** Where a project's rows live. */
export interface ProjectKey {
  orgId: string;
  projectId: string;
}

const ofProject = (k: ProjectKey) => and(eq(releases.orgId, k.orgId), eq(releases.projectId, k.projectId));

/** Inserts a release; null when the project already has this version (the caller answers 409). */
export async function insertRelease(db: Db, row: typeof releases.$inferInsert): Promise<Release | null> {
  const [r] = await db.insert(releases).values(row).onConflictDoNothing().returning();
  return r ? toRelease({ ...r, open_blockers: 0 }) : null;
}

/** A release of the project by id, or undefined. */
export async function findRelease(db: Db, k: ProjectKey, id: string): Promise<Release | undefined> {
  const [r] = await db
    .select({ r: releases, open_blockers: openBlockers })
    .from(releases)
    .where(and(ofProject(k), eq(releases.id, id)));
  return r ? toRelease({ ...r.r, open_blockers: r.open_blockers }) : undefined;
}

/**
 * A release of the project named by its id or its version, or undefined. The id wins when one
 * release's id is another's version (ids are Nano-IDs, so only the `any` version format allows
 * that); either way only this project's releases are looked at.
 */
export async function findReleaseByIdOrVersion(
  db: Db,
  k: ProjectKey,
  ref: string,
): Promise<Release | undefined> {
  const [r] = await db
    .select({ r: releases, open_blockers: openBlockers })
    .from(releases)
    .where(and(ofProject(k), or(eq(releases.id, ref), eq(releases.version, ref))))
    .orderBy(desc(sql`${releases.id} = ${ref}`))
    .limit(1);
  return r ? toRelease({ ...r.r, open_blockers: r.open_blockers }) : undefined;
}

/** A release of the project by version, or undefined. */
export async function findReleaseByVersion(
  db: Db,
  k: ProjectKey,
  version: string,
): Promise<Release | undefined> {
  const [r] = await db
    .select({ r: releases, open_blockers: openBlockers })
    .from(releases)
    .where(and(ofProject(k), eq(releases.version, version)));
  return r ? toRelease({ ...r.r, open_blockers: r.open_blockers }) : undefined;
}

/**
 * Whether a deployed ref (a tag or a sha) names a release: its version (with or without a leading
 * `v`, as tags are often written), or its committish (either may be an abbreviation of at least 7
 * characters of the other). As SQL over a `ref` column and a release's columns.
 */
const refMatches = (ref: unknown, version: unknown, committish: unknown) => sql`(
  ${ref} = ${version} OR ${ref} = 'v' || ${version} OR 'v' || ${ref} = ${version}
  OR (${committish} IS NOT NULL AND (${ref} = ${committish}
      OR (length(${ref}) >= 7 AND starts_with(${committish}, ${ref}))
      OR (length(${committish}) >= 7 AND starts_with(${ref}, ${committish})))))`;

/** The newest release of the project that a deployed ref names, or undefined. */
export async function findReleaseByRef(db: Db, k: ProjectKey, ref: string): Promise<Release | undefined> {
  const [r] = await db
    .select({ r: releases, open_blockers: openBlockers })
    .from(releases)
    .where(and(ofProject(k), refMatches(sql`${ref}::text`, releases.version, releases.committish)))
    .orderBy(desc(releases.createdAt), desc(releases.id))
    .limit(1);
  return r ? toRelease({ ...r.r, open_blockers: r.open_blockers }) : undefined;
}

/** The project's releases newest first, after a keyset position (limit + 1 rows). */
export async function listReleases(
  db: Db,
  k: ProjectKey,
  q: { after: { t: string; i: string } | null; limit: number },
): Promise<Release[]> {
  const after = q.after
    ? or(
        lt(releases.createdAt, new Date(q.after.t)),
        and(eq(releases.createdAt, new Date(q.after.t)), lt(releases.id, q.after.i)),
      )
    : undefined;
  const rows = await db
    .select({ r: releases, open_blockers: openBlockers })
    .from(releases)
    .where(and(ofProject(k), after))
    .orderBy(desc(releases.createdAt), desc(releases.id))
    .limit(q.limit + 1);
  return rows.map((r) => toRelease({ ...r.r, open_blockers: r.open_blockers }));
}

/** Releases of the project by id (for deployments' and drift's release details). */
export async function releasesById(db: Db, k: ProjectKey, ids: string[]): Promise<Map<string, Release>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ r: releases, open_blockers: openBlockers })
    .from(releases)
    .where(and(ofProject(k), inArray(releases.id, ids)));
  return new Map(rows.map((r) => [r.r.id, toRelease({ ...r.r, open_blockers: r.open_blockers })]));
}

/**
 * Attaches the project's unattached deployments whose ref names this release; returns their ids
 * and environments. Runs right after the release is created, so a deploy reported before its
 * release (a tag pushed and deployed, the release recorded later) ends up attached.
 */
export async function attachUnattached(
  db: Db,
  k: ProjectKey,
  release: { id: string; version: string; committish: string | null },
  now: Date,
): Promise<{ id: string }[]> {
  return db
    .update(deployments)
    .set({ releaseId: release.id, updatedAt: now })
    .where(
      and(
        eq(deployments.orgId, k.orgId),
        eq(deployments.projectId, k.projectId),
        isNull(deployments.releaseId),
        refMatches(deployments.ref, sql`${release.version}::text`, sql`${release.committish}::text`),
      ),
    )
    .returning({ id: deployments.id });
}

/**
 * Publishes a release: sets when, by whom and whether as a pre-release, only while it is
 * unpublished and has no open blocker (one statement, so a concurrent publish or a blocker filed
 * before it cannot both win). Undefined when nothing was written; the caller re-reads to say why.
 */
export async function publishRelease(
  db: Db,
  k: ProjectKey,
  id: string,
  p: { by: string; at: Date; prerelease: boolean },
): Promise<Release | undefined> {
  const [r] = await db
    .update(releases)
    .set({ publishedAt: p.at, publishedBy: p.by, prerelease: p.prerelease })
    .where(
      and(
        ofProject(k),
        eq(releases.id, id),
        isNull(releases.publishedAt),
        // Written out for the reason given at openBlockers.
        sql`NOT EXISTS (SELECT 1 FROM release_blockers b
          WHERE b.release_id = releases.id AND b.resolved_at IS NULL)`,
      ),
    )
    .returning();
  return r ? toRelease({ ...r, open_blockers: 0 }) : undefined;
}

// --- blockers -------------------------------------------------------------------------------

/** Adds a blocker to a release. */
export async function insertBlocker(db: Db, row: typeof releaseBlockers.$inferInsert): Promise<Blocker> {
  const [b] = await db.insert(releaseBlockers).values(row).returning();
  if (!b) throw new Error("insert returned no row");
  return toBlocker(b);
}

/** One blocker of a release, or undefined. */
export async function findBlocker(db: Db, releaseId: string, id: string): Promise<Blocker | undefined> {
  const [b] = await db
    .select()
    .from(releaseBlockers)
    .where(and(eq(releaseBlockers.releaseId, releaseId), eq(releaseBlockers.id, id)));
  return b ? toBlocker(b) : undefined;
}

/** A release's blockers newest first (open and resolved), after a keyset position (limit + 1). */
export async function listBlockers(
  db: Db,
  releaseId: string,
  q: { after: { t: string; i: string } | null; limit: number; openOnly?: boolean },
): Promise<Blocker[]> {
  const after = q.after
    ? or(
        lt(releaseBlockers.createdAt, new Date(q.after.t)),
        and(eq(releaseBlockers.createdAt, new Date(q.after.t)), lt(releaseBlockers.id, q.after.i)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(releaseBlockers)
    .where(
      and(
        eq(releaseBlockers.releaseId, releaseId),
        q.openOnly ? isNull(releaseBlockers.resolvedAt) : undefined,
        after,
      ),
    )
    .orderBy(desc(releaseBlockers.createdAt), desc(releaseBlockers.id))
    .limit(q.limit + 1);
  return rows.map(toBlocker);
}

/** Resolves an open blocker; undefined when it was already resolved (a concurrent resolve won). */
export async function resolveBlocker(
  db: Db,
  releaseId: string,
  id: string,
  by: string,
  note: string | null,
  now: Date,
): Promise<Blocker | undefined> {
  const [b] = await db
    .update(releaseBlockers)
    .set({ resolvedAt: now, resolvedBy: by, resolutionNote: note })
    .where(
      and(
        eq(releaseBlockers.releaseId, releaseId),
        eq(releaseBlockers.id, id),
        isNull(releaseBlockers.resolvedAt),
      ),
    )
    .returning();
  return b ? toBlocker(b) : undefined;
}
