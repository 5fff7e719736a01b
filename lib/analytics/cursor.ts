import { z } from "zod";
import { decodeOpaque, encodeOpaque } from "../pagination.ts";
import { AnalyticsQueryError } from "./errors.ts";

/** Position after the last row of a page: the sort key `(occurred_at, id)` of that row. */
export interface AuditCursor {
  tsMs: number;
  id: string;
}

const CursorSchema = z.tuple([z.number().int().nonnegative(), z.string().min(1).max(128)]);

/** Encodes a keyset position as base64url JSON; opaque to clients. */
export const encodeCursor = (c: AuditCursor): string => encodeOpaque([c.tsMs, c.id]);

/** Decodes a cursor from {@link encodeCursor}; throws {@link AnalyticsQueryError} if it is not one. */
export function decodeCursor(s: string): AuditCursor {
  const parsed = CursorSchema.safeParse(decodeOpaque(s));
  if (!parsed.success) throw new AnalyticsQueryError("invalid cursor");
  const [tsMs, id] = parsed.data;
  return { tsMs, id };
}
