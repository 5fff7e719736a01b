import { z } from "zod";
import type { Ctx } from "../core/ctx.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import * as store from "./memberships.ts";
import { effectivePermissions } from "./roles.ts";
import { normalizeEmail } from "./users.ts";

// A user's memberships of organizations (`/users/{email}/organizations…`), whichever door calls.
// Managing them needs user:update **in that organization** (ADR 0005), and a role handed out may
// grant only what the caller holds there. Storage is ./memberships.ts.

/** What a patch may change on a membership. */
export const MembershipWritable = z
  .object({
    role: z
      .string()
      .min(2)
      .max(63)
      .regex(/^[a-z][a-z0-9-]*$/, "must match ^[a-z][a-z0-9-]*$"),
  })
  .meta({ description: "The fields of a membership a JSON Patch may change" });

const READ_ONLY = ["email", "organization", "created_at"] as const;

/** The organization-scoped rule shared by adding and changing a membership, for the stamp. */
const ASSIGN = {
  scope: "custom",
  permissions: ["user:update"],
  rule: "user:update in the membership's organization; the role may grant only permissions you hold there",
} as const;

/**
 * Stops privilege escalation through memberships: the caller may only hand out a role whose
 * permissions they hold in that organization themselves (an administrator holds every one).
 */
export async function assertCanAssign(ctx: Ctx, org: string, role: string): Promise<void> {
  const mine = await ctx.grants.in(org);
  const missing = (await effectivePermissions(ctx.services.graph, role)).filter((p) => !mine.has(p));
  if (missing.length > 0)
    throw new DomainError(
      "FORBIDDEN",
      `Role '${role}' grants ${missing.length} permission(s) you do not hold in '${org}' (e.g. ${missing[0]}).`,
    );
}

/** Makes a user a member of an organization with a role (409 when already one). */
export const addMembership = defineVerb({
  name: "addMembership",
  access: ASSIGN,
  async run(ctx, input: { email: string; organization: string; role: string }, auth) {
    const { organization, role } = input;
    await auth.require("user:update", organization);
    const email = normalizeEmail(input.email);
    await assertCanAssign(ctx, organization, role);
    const membership = await store.addMembership(ctx.services.graph, email, organization, role);
    ctx.audit({ event: "membership_added", organization, subject: email, details: { role } });
    return membership;
  },
});

/**
 * Applies a JSON Patch to a membership's role. With `ifMatch` the role changes only if nobody
 * changed it since that version (412 otherwise).
 */
export const updateMembership = defineVerb({
  name: "updateMembership",
  access: ASSIGN,
  async run(ctx, input: { email: string; org: string; patch: JsonPatch; ifMatch?: string }, auth) {
    const { org } = input;
    await auth.require("user:update", org);
    const email = normalizeEmail(input.email);
    const { graph } = ctx.services;
    const current = await store.getMembership(graph, email, org);
    await checkIfMatch(input.ifMatch, current);
    const { role } = patchFields(current, input.patch, READ_ONLY, MembershipWritable);
    await assertCanAssign(ctx, org, role);
    const { membership, previous } = await store.changeMembershipRole(
      graph,
      email,
      org,
      role,
      unchangedSince(input.ifMatch, current.role),
    );
    ctx.audit({
      event: "membership_changed",
      organization: org,
      subject: email,
      details: { old_role: previous, new_role: role },
    });
    return membership;
  },
});

/** Ends a membership in the organization acted in (and the user's team memberships there). */
export const deleteMembership = defineVerb({
  name: "deleteMembership",
  access: { scope: "organization", permission: "user:update" },
  async run(ctx, input: { email: string }): Promise<void> {
    // The slug as named (not orgOf): the store answers 404 for a missing membership and organization alike.
    const org = ctx.org?.slug;
    if (!org) throw new Error("deleteMembership needs an organization, and its door gave none");
    const email = normalizeEmail(input.email);
    await store.removeMembership(ctx.services.graph, email, org);
    ctx.audit({ event: "membership_removed", organization: org, subject: email });
  },
});
