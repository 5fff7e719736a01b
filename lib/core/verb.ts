import { PERMISSIONS } from "../auth/catalog.ts";
import { DomainError } from "../errors.ts";
import type { Ctx } from "./ctx.ts";

// A verb is one operation of the domain with one calling shape, `verb(ctx, input)`. Its access rule
// is declared once, next to it: the wrapper enforces it before the body runs, and every door reads
// the same declaration (the OpenAPI `x-imbi-permission` stamp, MCP tool filtering, webhook rules).

/** Where a permission is evaluated (ADR 0009). */
export type Access =
  /** Anyone, even without credentials (login, token refresh). */
  | { scope: "public" }
  /** Any authenticated actor; no permission (their own profile, logout). */
  | { scope: "authenticated" }
  /** The permission held in the organization the call acts in (`ctx.org`). */
  | { scope: "organization"; permission: string }
  /** The permission held globally: `is_admin`, or a role in the system organization. */
  | { scope: "global"; permission: string }
  /** The permission held in any organization the actor belongs to (global configuration reads). */
  | { scope: "anywhere"; permission: string }
  /**
   * Decided by the verb with `auth` (self-service, or an organization that comes from the data).
   * `permissions` lists what it may require, for the stamp; `rule` says how, for people.
   */
  | { scope: "custom"; permissions: readonly string[]; rule: string };

/** The authorization a `custom` verb performs; the wrapper fails the call if it never decided. */
export interface Authorize {
  /** Requires `permission` in organization `org`, or globally when `org` is null. */
  require(permission: string, org: string | null): Promise<void>;
  /** Whether the actor holds `permission` in `org` (globally when null); the verb acts on the answer. */
  can(permission: string, org: string | null): Promise<boolean>;
  /** The call is the actor acting on itself, allowed without a permission. */
  self(): void;
}

/** A declared verb: callable as `verb(ctx, input)`, with its declaration attached. */
export interface Verb<I, O> {
  (ctx: Ctx, input: I): Promise<O>;
  readonly verbName: string;
  readonly access: Access;
}

const KNOWN = new Set(PERMISSIONS);

/** The permissions an access rule names (for the stamp and the checks). */
export function permissionsOf(access: Access): string[] {
  switch (access.scope) {
    case "public":
    case "authenticated":
      return [];
    case "custom":
      return [...access.permissions];
    default:
      return [access.permission];
  }
}

const unauthenticated = () =>
  new DomainError("UNAUTHENTICATED", "Authentication required: log in at POST /api/auth/login.");

async function held(ctx: Ctx, permission: string, org: string | null): Promise<boolean> {
  return (org === null ? await ctx.grants.global() : await ctx.grants.in(org)).has(permission);
}

function denied(ctx: Ctx, permission: string, org: string | null): DomainError {
  return new DomainError(
    "FORBIDDEN",
    org === null
      ? `Permission denied: ${permission} is required globally (an administrator, or a role in the system organization '${ctx.services.env.IMBI_SYSTEM_ORGANIZATION}').`
      : `Permission denied: ${permission} is required in organization '${org}'.`,
  );
}

/** Checks a declared access rule (all scopes but `custom`, which the verb decides itself). */
export async function enforce(ctx: Ctx, access: Access): Promise<void> {
  if (access.scope === "public") return;
  if (ctx.actor.kind === "anonymous") throw unauthenticated();
  switch (access.scope) {
    case "authenticated":
    case "custom":
      return;
    case "organization": {
      if (!ctx.org) throw new Error(`an organization-scoped verb was called without an organization`);
      if (!(await held(ctx, access.permission, ctx.org.slug)))
        throw denied(ctx, access.permission, ctx.org.slug);
      return;
    }
    case "global":
      if (!(await held(ctx, access.permission, null))) throw denied(ctx, access.permission, null);
      return;
    case "anywhere":
      if (!(await ctx.grants.anywhere()).has(access.permission))
        throw new DomainError(
          "FORBIDDEN",
          `Permission denied: ${access.permission} is required in at least one of your organizations.`,
        );
      return;
  }
}

/**
 * Declares a verb. `run` gets the context, the input and, for `custom` access, the `auth` it must
 * use to decide: finishing without a decision is a bug, reported as an error rather than allowed.
 */
export function defineVerb<I, O>(spec: {
  name: string;
  access: Access;
  run(ctx: Ctx, input: I, auth: Authorize): Promise<O>;
}): Verb<I, O> {
  for (const p of permissionsOf(spec.access))
    if (!KNOWN.has(p)) throw new Error(`verb ${spec.name} declares unknown permission ${p}`);
  const verb = async (ctx: Ctx, input: I): Promise<O> => {
    await enforce(ctx, spec.access);
    let decided = spec.access.scope !== "custom";
    const auth: Authorize = {
      async require(permission, org) {
        if (!(await held(ctx, permission, org))) throw denied(ctx, permission, org);
        decided = true;
      },
      async can(permission, org) {
        // Asking is deciding: the verb limits what it does to the answer (e.g. filters a list).
        decided = true;
        return held(ctx, permission, org);
      },
      self() {
        decided = true;
      },
    };
    const out = await spec.run(ctx, input, auth);
    if (!decided) throw new Error(`verb ${spec.name} finished without an authorization decision`);
    return out;
  };
  return Object.assign(verb, { verbName: spec.name, access: spec.access });
}

/** The OpenAPI extensions of a verb's access rule, spread into its route: one declaration, one stamp. */
export function accessStamp(verb: Pick<Verb<never, unknown>, "access">): {
  "x-imbi-permission": string[];
  "x-imbi-access": Access["scope"];
} {
  return { "x-imbi-permission": permissionsOf(verb.access), "x-imbi-access": verb.access.scope };
}
