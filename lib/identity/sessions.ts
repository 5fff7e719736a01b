import { and, eq, isNull, ne } from "drizzle-orm";
import { sessionFamilies } from "../../schema/tables.ts";
import { revokeSession } from "../auth/tokens.ts";
import type { Services } from "../services.ts";

/**
 * Revokes every active session of a user except `keep` (the caller's own session after a
 * self-service password change); returns how many were revoked.
 */
export async function revokeOtherSessions(
  s: Services,
  email: string,
  keep: string,
  reason: string,
): Promise<number> {
  const rows = await s.db
    .select({ id: sessionFamilies.id })
    .from(sessionFamilies)
    .where(
      and(
        eq(sessionFamilies.userEmail, email),
        isNull(sessionFamilies.revokedAt),
        ne(sessionFamilies.id, keep),
      ),
    );
  for (const r of rows) await revokeSession(s, r.id, reason);
  return rows.length;
}
