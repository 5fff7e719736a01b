import { nanoid } from "nanoid";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { toDeployment } from "./deployment_verbs.ts";
import * as deploys from "./deployments.ts";
import * as store from "./releases.ts";
import { type EntityChange, environmentsOf, projectKey, recordChanges, timeKey } from "./scope.ts";
import { versionProblem } from "./version.ts";

// Releases and their blockers, whichever door calls them (HTTP routes, webhook actions such as
// `create_release` and `block_release`, CLI). Releases need project:read|write as in the reference
// (releases.py); blockers gate deployments, so they need project:deployment:read|write.

/** A list page request: the page size and the cursor of the previous page. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

const keyOf = (x: { created_at: string; id: string }) => ({ t: x.created_at, i: x.id });

async function releaseOf(db: Parameters<typeof store.findRelease>[0], k: store.ProjectKey, id: string) {
  const release = await store.findRelease(db, k, id);
  if (!release) throw new DomainError("NOT_FOUND", `No release '${id}' in this project.`);
  return release;
}

/**
 * Creates a release. Its version must be in the IMBI_RELEASES_VERSION_FORMAT format (400 naming
 * the rule) and new for the project (409). Deployments recorded earlier with only a tag or sha
 * that names this release (its version or committish) are attached to it.
 */
export const createRelease = defineVerb({
  name: "createRelease",
  access: { scope: "organization", permission: "project:write" },
  async run(
    ctx,
    input: { project: string; version: string; committish?: string | null; title?: string; notes?: string },
  ): Promise<store.Release & { attached_deployments: number }> {
    const problem = versionProblem(ctx.services.env.IMBI_RELEASES_VERSION_FORMAT, input.version);
    if (problem)
      throw new DomainError("VALIDATION_FAILED", `Invalid release version: ${problem}`, [
        { location: "json.version", message: problem },
      ]);
    const k = await projectKey(ctx, input.project);
    const { db } = ctx.services;
    const now = ctx.now();
    const release = await store.insertRelease(db, {
      id: nanoid(),
      orgId: k.orgId,
      projectId: k.projectId,
      version: input.version,
      committish: input.committish ?? null,
      title: input.title ?? "",
      notes: input.notes ?? "",
      createdBy: ctx.actor.id,
      createdAt: now,
    });
    if (!release)
      throw new DomainError(
        "CONFLICT",
        `The project already has a release '${input.version}'; versions are unique per project (GET …/releases to find it).`,
      );
    const attached = await store.attachUnattached(db, k, release, now);
    const changes: EntityChange[] = [
      {
        entity_type: "release",
        entity_id: release.id,
        action: "created",
        fields: [{ field: "*", old: null, new: release }],
        entity: release,
      },
    ];
    // Attaching is rare (a deployment reported before its release): reading each back is cheap.
    const envs = attached.length > 0 ? await environmentsOf(ctx, k.orgId) : null;
    for (const d of attached) {
      const row = envs && (await deploys.findDeployment(db, k, d.id));
      changes.push({
        entity_type: "deployment",
        entity_id: d.id,
        action: "updated",
        fields: [{ field: "release_id", old: null, new: release.id }],
        entity: row && envs ? toDeployment(row, envs) : null,
      });
    }
    await recordChanges(ctx, k, changes);
    return { ...release, attached_deployments: attached.length };
  },
});

/** One release of a project. */
export const getRelease = defineVerb({
  name: "getRelease",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { project: string; release: string }) {
    return releaseOf(ctx.services.db, await projectKey(ctx, input.project), input.release);
  },
});

/** A project's releases, newest first. */
export const listReleases = defineVerb({
  name: "listReleases",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: PageInput & { project: string }): Promise<Page<store.Release>> {
    const k = await projectKey(ctx, input.project);
    const rows = await store.listReleases(ctx.services.db, k, {
      after: timeKey(decodeCursor(input.cursor)),
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, keyOf);
  },
});

/** Files a blocker against a release: until it is resolved, deploying the release is a 409. */
export const createReleaseBlocker = defineVerb({
  name: "createReleaseBlocker",
  access: { scope: "organization", permission: "project:deployment:write" },
  async run(ctx, input: { project: string; release: string; reason: string }) {
    const k = await projectKey(ctx, input.project);
    const release = await releaseOf(ctx.services.db, k, input.release);
    const blocker = await store.insertBlocker(ctx.services.db, {
      id: nanoid(),
      releaseId: release.id,
      reason: input.reason,
      createdBy: ctx.actor.id,
      createdAt: ctx.now(),
    });
    await recordChanges(ctx, k, [
      {
        entity_type: "release_blocker",
        entity_id: blocker.id,
        action: "created",
        fields: [{ field: "*", old: null, new: blocker }],
        entity: blocker,
      },
    ]);
    return blocker;
  },
});

/** A release's blockers newest first; `status` keeps only open or resolved ones. */
export const listReleaseBlockers = defineVerb({
  name: "listReleaseBlockers",
  access: { scope: "organization", permission: "project:deployment:read" },
  async run(
    ctx,
    input: PageInput & { project: string; release: string; status?: "open" | "resolved" },
  ): Promise<Page<store.Blocker>> {
    const k = await projectKey(ctx, input.project);
    const release = await releaseOf(ctx.services.db, k, input.release);
    const rows = await store.listBlockers(ctx.services.db, release.id, {
      after: timeKey(decodeCursor(input.cursor)),
      limit: input.limit,
      openOnly: input.status === "open",
    });
    // Resolved-only is rare and small: filter the page rather than add an index for it.
    const page = pageFrom(rows, input.limit, keyOf);
    return input.status === "resolved"
      ? { ...page, data: page.data.filter((b) => b.status === "resolved") }
      : page;
  },
});

/** Resolves an open blocker, keeping its record (409 when it is already resolved). */
export const resolveReleaseBlocker = defineVerb({
  name: "resolveReleaseBlocker",
  access: { scope: "organization", permission: "project:deployment:write" },
  async run(ctx, input: { project: string; release: string; blocker: string; note?: string | null }) {
    const k = await projectKey(ctx, input.project);
    const { db } = ctx.services;
    const release = await releaseOf(db, k, input.release);
    const current = await store.findBlocker(db, release.id, input.blocker);
    if (!current)
      throw new DomainError("NOT_FOUND", `No blocker '${input.blocker}' on release '${release.version}'.`);
    const resolved = await store.resolveBlocker(
      db,
      release.id,
      current.id,
      ctx.actor.id,
      input.note ?? null,
      ctx.now(),
    );
    if (!resolved)
      throw new DomainError("CONFLICT", `Blocker '${input.blocker}' is already resolved; nothing to do.`);
    await recordChanges(ctx, k, [
      {
        entity_type: "release_blocker",
        entity_id: resolved.id,
        action: "updated",
        fields: [{ field: "status", old: "open", new: "resolved" }],
        entity: resolved,
      },
    ]);
    return resolved;
  },
});
