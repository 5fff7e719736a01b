import type { Context } from "hono";
import { passwordPolicyProblems } from "../../lib/auth/password.ts";
import type { Principal } from "../../lib/auth/principal.ts";
import type { AppEnv } from "../../lib/http/app.ts";
import { ApiError } from "../../lib/http/problem.ts";
import { permissionsInOrganization } from "../../lib/identity/permissions.ts";
import { effectivePermissions } from "../../lib/identity/roles.ts";

/** Throws a 400 listing every password-policy rule `password` breaks. */
export function assertPasswordPolicy(password: string, env: Context<AppEnv>["env"], location: string): void {
  const problems = passwordPolicyProblems(password, env);
  if (problems.length > 0)
    throw new ApiError({
      code: "VALIDATION_FAILED",
      detail: `The password does not meet the policy: it ${problems.join("; it ")}.`,
      errors: problems.map((message) => ({ location, message })),
    });
}

/**
 * Stops privilege escalation through memberships: a caller who is not a global administrator may
 * only hand out a role whose permissions they themselves hold in that organization.
 */
export async function assertCanAssign(
  c: Context<AppEnv>,
  actor: Principal,
  org: string,
  role: string,
): Promise<void> {
  if (actor.isAdmin) return;
  const { graph } = c.get("services");
  const mine = new Set((await permissionsInOrganization(graph, actor.email, org)).permissions);
  const missing = (await effectivePermissions(graph, role)).filter((p) => !mine.has(p));
  if (missing.length > 0)
    throw new ApiError({
      code: "FORBIDDEN",
      detail: `Role '${role}' grants ${missing.length} permission(s) you do not hold in '${org}' (e.g. ${missing[0]}).`,
    });
}
