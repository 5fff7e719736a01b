import { z } from "zod";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFieldsAndAttributes } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import { normalizeEmail } from "../identity/users.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as store from "./teams.ts";

// The team operations, whichever door calls them (HTTP routes, MCP tools, webhook actions, CLI).
// Each declares its access once; the verb writes the audit row. Storage is ./teams.ts.

const SLUG = /^[a-z][a-z0-9-]*$/;

/** What a patch may change on a team (blueprint attributes are checked against the blueprints). */
export const TeamWritable = z
  .object({
    slug: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    name: z.string().min(1).max(128),
    description: z.string().max(4096),
  })
  .meta({ description: "The fields of a team a JSON Patch may change" });

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

/** A list page request: the page size and the cursor of the previous page. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

const audit = (ctx: Ctx, event: string, subject: string) =>
  ctx.audit({ event, organization: orgOf(ctx).slug, subject });

/** Creates a team in the organization (409 when the slug is taken). */
export const createTeam = defineVerb({
  name: "createTeam",
  access: { scope: "organization", permission: "team:create" },
  async run(ctx, input: { slug: string; name: string; description?: string; [attribute: string]: unknown }) {
    const team = await store.createTeam(ctx.services.graph, orgOf(ctx), input);
    audit(ctx, "team_created", team.slug);
    return team;
  },
});

/** One team by slug. */
export const getTeam = defineVerb({
  name: "getTeam",
  access: { scope: "organization", permission: "team:read" },
  run: (ctx, input: { team: string }) => store.getTeam(ctx.services.graph, orgOf(ctx), input.team),
});

/** The organization's teams by slug; `q` filters names. */
export const listTeams = defineVerb({
  name: "listTeams",
  access: { scope: "organization", permission: "team:read" },
  async run(ctx, input: PageInput & { q?: string }): Promise<Page<store.Team>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listTeams(ctx.services.graph, orgOf(ctx), {
      after: after ? String(after.s) : null,
      limit: input.limit,
      q: input.q,
    });
    return pageFrom(rows, input.limit, (t) => ({ s: t.slug }));
  },
});

/**
 * Applies a JSON Patch to a team's fields and blueprint attributes. With `ifMatch` (an ETag of the
 * team) the write applies only to that version: 412 when it changed, before or during the write.
 */
export const updateTeam = defineVerb({
  name: "updateTeam",
  access: { scope: "organization", permission: "team:update" },
  async run(ctx, input: { team: string; patch: JsonPatch; ifMatch?: string }) {
    const org = orgOf(ctx);
    const { graph } = ctx.services;
    const current = await store.getTeam(graph, org, input.team);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFieldsAndAttributes(current, input.patch, READ_ONLY, TeamWritable);
    const updated = await store.updateTeam(
      graph,
      org,
      input.team,
      next.fields,
      unchangedSince(input.ifMatch, current.updated_at),
      next.attributes,
    );
    audit(ctx, "team_updated", updated.slug);
    return updated;
  },
});

/** Deletes a team; 409 while it owns projects unless `cascade` deletes them too. */
export const deleteTeam = defineVerb({
  name: "deleteTeam",
  access: { scope: "organization", permission: "team:delete" },
  async run(ctx, input: { team: string; cascade: boolean }) {
    const result = await store.deleteTeam(ctx.services.graph, orgOf(ctx), input.team, {
      cascade: input.cascade,
    });
    audit(ctx, "team_deleted", input.team);
    return result;
  },
});

/** A team's members by email. */
export const listTeamMembers = defineVerb({
  name: "listTeamMembers",
  access: { scope: "organization", permission: "team:read" },
  async run(ctx, input: PageInput & { team: string }): Promise<Page<store.TeamMember>> {
    const after = cursorKey(decodeCursor(input.cursor), { e: "string" });
    const rows = await store.listTeamMembers(ctx.services.graph, orgOf(ctx), input.team, {
      after: after ? String(after.e) : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (m) => ({ e: m.email }));
  },
});

/** The projects a team owns, by slug. */
export const listTeamProjects = defineVerb({
  name: "listTeamProjects",
  access: { scope: "organization", permission: "team:read" },
  async run(ctx, input: PageInput & { team: string }): Promise<Page<store.TeamProject>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listTeamProjects(ctx.services.graph, orgOf(ctx), input.team, {
      after: after ? String(after.s) : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (p) => ({ s: p.slug }));
  },
});

/** Adds a member of the organization to a team (409 when already on it). */
export const addTeamMember = defineVerb({
  name: "addTeamMember",
  access: { scope: "organization", permission: "team:update" },
  async run(ctx, input: { team: string; email: string }) {
    const email = normalizeEmail(input.email);
    const member = await store.addTeamMember(ctx.services.graph, orgOf(ctx), input.team, email);
    audit(ctx, "team_member_added", `${input.team}:${email}`);
    return member;
  },
});

/** Removes a user from a team. */
export const removeTeamMember = defineVerb({
  name: "removeTeamMember",
  access: { scope: "organization", permission: "team:update" },
  async run(ctx, input: { team: string; email: string }) {
    const email = normalizeEmail(input.email);
    await store.removeTeamMember(ctx.services.graph, orgOf(ctx), input.team, email);
    audit(ctx, "team_member_removed", `${input.team}:${email}`);
  },
});
