import { z } from "zod";
import { hashPassword, passwordPolicyProblems, verifyPassword } from "../auth/password.ts";
import { revokeAllSessions } from "../auth/tokens.ts";
import { type Actor, sessionOf } from "../core/actor.ts";
import type { Ctx } from "../core/ctx.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { revokeOwnerApiKeys } from "./api_keys.ts";
import * as store from "./users.ts";

// The user operations, whichever door calls them. Users are global resources: reading or changing
// someone else needs the permission globally (`is_admin`, or a role in the system organization);
// acting on yourself is the self-service part, decided by each verb (ADR 0009). Storage is ./users.ts.

/** What a patch may change on a user (`is_active`/`is_admin` only by an administrator, see updateUser). */
export const UserWritable = z
  .object({
    display_name: z.string().min(1).max(256),
    is_active: z.boolean(),
    is_admin: z.boolean(),
  })
  .meta({ description: "The fields of a user a JSON Patch may change" });

// The identity and timestamps are the server's, the memberships have their own operations.
const READ_ONLY = ["email", "created_at", "updated_at", "organizations"] as const;

/** A list page request: the page size and the cursor of the previous page. */
interface PageInput {
  limit: number;
  cursor?: string;
}

/** A user as the API shows one: with their organizations and the role in each. */
export type UserDetail = Awaited<ReturnType<typeof store.getUserWithOrganizations>>;

/** True when the actor is the user with this (normalized) email. */
const isSelf = (actor: Actor, email: string) => actor.kind === "user" && actor.id === email;

/** Throws a 400 listing every password-policy rule `password` breaks; `field` names it in `errors`. */
function assertPasswordPolicy(ctx: Ctx, password: string, field: string): void {
  const problems = passwordPolicyProblems(password, ctx.services.env);
  if (problems.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `The password does not meet the policy: it ${problems.join("; it ")}.`,
      // The location names the request field as the HTTP door received it (json.<field>).
      problems.map((message) => ({ location: `json.${field}`, message })),
    );
}

/** Every user by email; `active`/`admin` filter on the flags. */
export const listUsers = defineVerb({
  name: "listUsers",
  access: { scope: "global", permission: "user:read" },
  async run(ctx, input: PageInput & { active?: boolean; admin?: boolean }): Promise<Page<store.User>> {
    const after = cursorKey(decodeCursor(input.cursor), { e: "string" });
    const rows = await store.listUsers(ctx.services.graph, {
      after: after ? String(after.e) : null,
      limit: input.limit,
      active: input.active,
      admin: input.admin,
    });
    return pageFrom(rows, input.limit, (u) => ({ e: u.email }));
  },
});

/** Creates a local user (409 when the email exists); a password must meet the policy. */
export const createUser = defineVerb({
  name: "createUser",
  access: { scope: "global", permission: "user:create" },
  async run(
    ctx,
    input: { email: string; display_name: string; password?: string; is_admin?: boolean },
  ): Promise<UserDetail> {
    if (input.password !== undefined) assertPasswordPolicy(ctx, input.password, "password");
    const user = await store.createUser(ctx.services.graph, input);
    ctx.audit({ event: "user_created", subject: user.email, details: { is_admin: user.is_admin } });
    return { ...user, organizations: [] };
  },
});

/** One user with their organizations: yourself, or anyone with user:read globally. */
export const getUser = defineVerb({
  name: "getUser",
  access: {
    scope: "custom",
    permissions: ["user:read"],
    rule: "yourself without a permission; anyone else with user:read globally",
  },
  async run(ctx, input: { email: string }, auth): Promise<UserDetail> {
    const email = store.normalizeEmail(input.email);
    if (isSelf(ctx.actor, email)) auth.self();
    else await auth.require("user:read", null);
    return store.getUserWithOrganizations(ctx.services.graph, email);
  },
});

/**
 * Applies a JSON Patch to a user. Yourself: display_name; anyone else: with user:update globally.
 * `is_active` and `is_admin` change only by an administrator (the flag, not a role) and never on
 * oneself; deactivating a user revokes all their sessions. With `ifMatch` the write applies only to
 * that version (412 otherwise).
 */
export const updateUser = defineVerb({
  name: "updateUser",
  access: {
    scope: "custom",
    permissions: ["user:update"],
    rule: "yourself (display_name) without a permission; anyone else with user:update globally; is_active and is_admin only by an administrator (is_admin), never on yourself",
  },
  async run(ctx, input: { email: string; patch: JsonPatch; ifMatch?: string }, auth): Promise<UserDetail> {
    const email = store.normalizeEmail(input.email);
    const self = isSelf(ctx.actor, email);
    if (self) auth.self();
    else await auth.require("user:update", null);
    const { graph } = ctx.services;
    const current = await store.getUserWithOrganizations(graph, email);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFields(current, input.patch, READ_ONLY, UserWritable);
    const flagsChanged = next.is_admin !== current.is_admin || next.is_active !== current.is_active;
    if (flagsChanged && !ctx.actor.isAdmin)
      throw new DomainError("FORBIDDEN", "Only administrators can change is_active or is_admin.");
    if (flagsChanged && self)
      throw new DomainError(
        "BAD_REQUEST",
        "You cannot change your own is_active or is_admin; ask another administrator.",
      );
    await store.updateUser(graph, email, next, unchangedSince(input.ifMatch, current.updated_at));
    if (current.is_active && !next.is_active)
      await revokeAllSessions(ctx.services, email, "user deactivated");
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
    ctx.audit({
      event: "user_updated",
      subject: email,
      details: Object.fromEntries(changed.map((k) => [k, { old: current[k], new: next[k] }])),
    });
    if (next.is_admin !== current.is_admin)
      ctx.audit({ event: "role_changed", subject: email, details: { is_admin: next.is_admin } });
    return store.getUserWithOrganizations(graph, email);
  },
});

/** Deletes a user with their memberships and revokes their sessions; never yourself. */
export const deleteUser = defineVerb({
  name: "deleteUser",
  access: { scope: "global", permission: "user:delete" },
  async run(ctx, input: { email: string }): Promise<void> {
    const email = store.normalizeEmail(input.email);
    if (isSelf(ctx.actor, email))
      throw new DomainError("BAD_REQUEST", "You cannot delete your own account; ask another administrator.");
    const { graph } = ctx.services;
    await store.getUser(graph, email);
    await revokeAllSessions(ctx.services, email, "user deleted");
    // A user created again under this email must not inherit the deleted one's keys.
    await revokeOwnerApiKeys(ctx.services, { kind: "user", id: email }, ctx.actor.id);
    await store.deleteUser(graph, email);
    ctx.audit({ event: "user_deleted", subject: email });
  },
});

// One answer for a missing and a wrong current password, so neither can be told apart.
const wrongCurrent = () => new DomainError("BAD_REQUEST", "The current password is missing or incorrect.");

/**
 * Changes a password. Yourself: with your current password; every other session of yours is
 * revoked. Someone else: with user:update globally, without their current password (a reset);
 * all their sessions are revoked.
 */
export const changePassword = defineVerb({
  name: "changePassword",
  access: {
    scope: "custom",
    permissions: ["user:update"],
    rule: "your own password with current_password and no permission; another user's (a reset, no current_password) with user:update globally",
  },
  async run(
    ctx,
    input: { email: string; current_password?: string; new_password: string },
    auth,
  ): Promise<void> {
    const email = store.normalizeEmail(input.email);
    const self = isSelf(ctx.actor, email);
    if (self) auth.self();
    else await auth.require("user:update", null);
    const { graph } = ctx.services;
    await store.getUser(graph, email);
    if (self) {
      const creds = await store.getCredentials(graph, email);
      const ok =
        input.current_password !== undefined &&
        creds?.hash &&
        (await verifyPassword(input.current_password, creds.hash));
      if (!ok) throw wrongCurrent();
    }
    assertPasswordPolicy(ctx, input.new_password, "new_password");
    await store.setPasswordHash(graph, email, await hashPassword(input.new_password));
    const revoked = self
      ? await revokeAllSessions(ctx.services, email, "password changed", sessionOf(ctx.actor.credential))
      : await revokeAllSessions(ctx.services, email, "password reset by an administrator");
    ctx.audit({ event: "password_changed", subject: email, details: { revoked_sessions: revoked } });
  },
});
