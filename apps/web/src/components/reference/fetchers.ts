// Small helpers shared by the reference-data and admin screens.
import { etagOf, unwrap } from "@/api/client";

/** Fetches with openapi-fetch and returns the data with the response's ETag (for If-Match). */
export async function withEtag<T>(
  p: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; etag?: string }> {
  const res = await p;
  const data = await unwrap(Promise.resolve(res));
  return { data, etag: etagOf(res.response) };
}

/** `If-Match` when we have an ETag. */
export const ifMatch = (etag: string | undefined): { "if-match"?: string } =>
  etag ? { "if-match": etag } : {};

/** A short local date and time. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
