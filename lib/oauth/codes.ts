// Authorization codes live in kv (in-process memory when embedded, Upstash/Redis otherwise): 60 s,
// single use. "Read and delete" is `get` then `del`: of two concurrent exchanges only the one whose
// `del` removed the key wins, so this works on both stores without a GETDEL. A redeemed code leaves
// a marker naming the family it started, so a replay revokes that family (RFC 6749 §4.1.2).
import { nanoid } from "nanoid";
import type { Kv } from "../kv/index.ts";
import { sha256Hex } from "./tokens.ts";

/** Lifetime of an authorization code, in seconds. */
export const CODE_TTL_SECONDS = 60;
// Long enough that a replay well after the exchange still finds the family to revoke.
const USED_TTL_SECONDS = 24 * 3600;

/** What a code is bound to. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  email: string;
  scopes: string[];
  resource: string;
}

const codeKey = (hash: string) => `oauth:code:${hash}`;
const usedKey = (hash: string) => `oauth:code-used:${hash}`;

/** Stores a new code for `grant` and returns it. */
export async function issueCode(kv: Kv, grant: CodeGrant): Promise<string> {
  const code = nanoid(43);
  await kv.set(codeKey(await sha256Hex(code)), grant, { ttlSeconds: CODE_TTL_SECONDS, onlyIfAbsent: true });
  return code;
}

/** The outcome of redeeming a code. */
export type Redemption =
  | { grant: CodeGrant; hash: string }
  | { reused: { familyId: string | null } }
  | { invalid: true };

/** Redeems a code once; a second redemption reports the family the first one started. */
export async function redeemCode(kv: Kv, code: string): Promise<Redemption> {
  if (code.length === 0 || code.length > 256) return { invalid: true };
  const hash = await sha256Hex(code);
  const grant = await kv.get<CodeGrant>(codeKey(hash));
  if (grant === null || (await kv.del(codeKey(hash))) === 0) {
    const used = await kv.get<{ familyId: string | null }>(usedKey(hash));
    return used ? { reused: used } : { invalid: true };
  }
  await kv.set(usedKey(hash), { familyId: null }, { ttlSeconds: USED_TTL_SECONDS });
  return { grant, hash };
}

/** Records the family a redeemed code started (for revocation on replay). */
export async function recordCodeFamily(kv: Kv, hash: string, familyId: string): Promise<void> {
  await kv.set(usedKey(hash), { familyId }, { ttlSeconds: USED_TTL_SECONDS });
}

/** RFC 7636 S256: BASE64URL(SHA-256(verifier)). */
export async function s256(verifier: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  let bin = "";
  for (const b of d) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
