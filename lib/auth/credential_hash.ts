// How Imbi stores the secrets it issues to machines (API keys, client secrets): HMAC-SHA-256 under
// a server key, not a password hash. They are 256-bit random values, so a slow hash buys nothing
// against guessing and would cost every request tens of milliseconds (ADR 0010). The key is
// derived with HKDF from IMBI_AUTH_ENCRYPTION_KEY when set, else from IMBI_AUTH_JWT_SECRET, so a
// stolen database alone cannot confirm a guessed secret. Runs on WebCrypto (Node and Workers).
import type { Env } from "../env.ts";

const encoder = new TextEncoder();
const INFO = encoder.encode("imbi/credential-hash/v1");
const keys = new Map<string, Promise<{ key: CryptoKey; id: string }>>();

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The HMAC key of this deployment and a short id of it (stored with each hash). */
function hashKey(env: Pick<Env, "IMBI_AUTH_ENCRYPTION_KEY" | "IMBI_AUTH_JWT_SECRET">) {
  const secret = env.IMBI_AUTH_ENCRYPTION_KEY ?? env.IMBI_AUTH_JWT_SECRET;
  if (!secret) throw new Error("IMBI_AUTH_JWT_SECRET is not set");
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
      const bits = await crypto.subtle.deriveBits(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: INFO },
        ikm,
        256,
      );
      const hmac = await crypto.subtle.importKey("raw", bits, { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
        "verify",
      ]);
      // Identifies the key without revealing it: a hash made under another key is told apart.
      const id = hex(await crypto.subtle.digest("SHA-256", bits)).slice(0, 8);
      return { key: hmac, id };
    })();
    keys.set(secret, key);
  }
  return key;
}

/** `hmac-sha256:<key id>:<hex>` of a secret, for storing. */
export async function hashCredentialSecret(
  env: Pick<Env, "IMBI_AUTH_ENCRYPTION_KEY" | "IMBI_AUTH_JWT_SECRET">,
  secret: string,
): Promise<string> {
  const { key, id } = await hashKey(env);
  return `hmac-sha256:${id}:${hex(await crypto.subtle.sign("HMAC", key, encoder.encode(secret)))}`;
}

/**
 * Whether `secret` matches a stored hash, compared in constant time (HMAC verify). False for a
 * hash made under another server key (the secret was rotated: such credentials must be reissued).
 */
export async function verifyCredentialSecret(
  env: Pick<Env, "IMBI_AUTH_ENCRYPTION_KEY" | "IMBI_AUTH_JWT_SECRET">,
  secret: string,
  stored: string,
): Promise<boolean> {
  const [scheme, keyId, digest] = stored.split(":");
  const { key, id } = await hashKey(env);
  if (scheme !== "hmac-sha256" || keyId !== id || !digest || !/^[0-9a-f]{64}$/.test(digest)) return false;
  const mac = new Uint8Array(32);
  for (let i = 0; i < 32; i++) mac[i] = Number.parseInt(digest.slice(i * 2, i * 2 + 2), 16);
  return crypto.subtle.verify("HMAC", key, mac, encoder.encode(secret));
}

/** A new random secret: 32 bytes, base64url (43 characters). */
export function newCredentialSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}
