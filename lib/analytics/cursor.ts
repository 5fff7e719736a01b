import { z } from "zod";
import { AnalyticsQueryError } from "./errors.ts";

/** Position after the last row of a page: the sort key `(occurred_at, id)` of that row. */
export interface AuditCursor {
  tsMs: number;
  id: string;
}

const CursorSchema = z.tuple([z.number().int().nonnegative(), z.string().min(1).max(128)]);

/** Encodes a keyset position as base64url JSON; opaque to clients. */
export function encodeCursor(c: AuditCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([c.tsMs, c.id]));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes a cursor from {@link encodeCursor}; throws {@link AnalyticsQueryError} if it is not one. */
export function decodeCursor(s: string): AuditCursor {
  try {
    const bin = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    const [tsMs, id] = CursorSchema.parse(
      JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)),
    );
    return { tsMs, id };
  } catch {
    throw new AnalyticsQueryError("invalid cursor");
  }
}
