import { nanoid } from "nanoid";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { toDeployment } from "./deployment_verbs.ts";
import * as deploys from "./deployments.ts";
import * as store from "./releases.ts";
import {
  type EntityChange,
  environmentsOf,
  projectKey,
  recordChanges,
  refuseIfBlocked,
  timeKey,
} from "./scope.ts";
import { versionProblem } from "./version.ts";

// Releases and their blockers, whichever door calls them (HTTP routes, webhook actions such as
// `create_release`, `publish_release` and `block_release`, CLI). Releases need project:read|write as
// in the reference (releases.py); blockers gate deployments and publishing is what a successful
// deployment triggers, so those need project:deployment:read|write (project_deployments.py).
// A release is addressed by its id or its version: webhook actions know only the tag.

/** A list page request: the page size and the cursor of the previous page. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

const keyOf = (x: { created_at: string; id: string }) => ({ t: x.created_at, i: x.id });

async function releaseOf(db: Parameters<typeof store.findRelease>[0], k: store.ProjectKey, ref: string) {
  const release = await store.findReleaseByIdOrVersion(db, k, ref);
  if (!release)
    throw new DomainError(
      "NOT_FOUND",
      `No release with id or version '${ref}' in this project (GET …/releases lists them).`,
    );
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

/** One release of a project, by id or version. */
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

/**
 * Publishes a release (the reference's `publish_release`, run once a deployment of it succeeded):
 * records when, by whom and whether as a pre-release. A release is published once: again is a 409,
 * as is publishing a release with open blockers (listing them). Both 409s, and the 404 of an
 * unknown release, are expected outcomes for a webhook action, which cannot know beforehand.
 */
export const publishRelease = defineVerb({
  name: "publishRelease",
  access: { scope: "organization", permission: "project:deployment:write" },
  async run(ctx, input: { project: string; release: string; prerelease?: boolean }): Promise<store.Release> {
    const k = await projectKey(ctx, input.project);
    const { db } = ctx.services;
    const alreadyPublished = (r: store.Release) =>
      new DomainError(
        "CONFLICT",
        `Release '${r.version}' was already published at ${r.published_at} by ${r.published_by}; ` +
          "a release is published once (create a new release to publish again).",
      );
    let release = await releaseOf(db, k, input.release);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (release.published_at) throw alreadyPublished(release);
      await refuseIfBlocked(ctx, release, "publishing");
      const published = await store.publishRelease(db, k, release.id, {
        by: ctx.actor.id,
        at: ctx.now(),
        prerelease: input.prerelease ?? false,
      });
      if (published) {
        await recordChanges(ctx, k, [
          {
            entity_type: "release",
            entity_id: published.id,
            action: "updated",
            fields: [{ field: "published_at", old: null, new: published.published_at }],
            entity: published,
          },
        ]);
        return published;
      }
      // A concurrent publish or a blocker filed since the read: read again and say which.
      release = await releaseOf(db, k, release.id);
    }
    throw new DomainError("CONFLICT", `Release '${release.version}' is changing concurrently; retry.`);
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
