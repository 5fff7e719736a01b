import { DomainError } from "./errors.ts";

/** A strong ETag over the resource's JSON representation (SHA-256, WebCrypto: runs everywhere). */
export async function etagOf(resource: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(resource));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let b64 = "";
  for (const b of digest.subarray(0, 16)) b64 += String.fromCharCode(b);
  return `"${btoa(b64).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}"`;
}

/**
 * Enforces `If-Match`: absent → allowed; `*` → allowed when the resource exists; otherwise one of
 * the listed tags must equal the current one, else 412.
 */
export async function checkIfMatch(ifMatch: string | undefined, current: unknown): Promise<void> {
  if (!ifMatch) return;
  const tags = ifMatch.split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (tags.includes("*")) return;
  const now = await etagOf(current);
  if (!tags.includes(now))
    throw new DomainError(
      "PRECONDITION_FAILED",
      `If-Match ${ifMatch} does not match the current ETag ${now}; fetch the resource again and retry.`,
    );
}

/**
 * The `updated_at` a conditional write must still find (the version the `If-Match` was checked
 * against), or undefined when the write is unconditional: no `If-Match`, or `*` (any version).
 */
export function unchangedSince(ifMatch: string | undefined, updatedAt: string): string | undefined {
  if (!ifMatch) return undefined;
  const tags = ifMatch.split(",").map((t) => t.trim());
  return tags.includes("*") ? undefined : updatedAt;
}
