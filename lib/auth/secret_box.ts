// Secrets Imbi must read back (a webhook subscription's signing secret, unlike API keys, which are
// only ever compared): AES-256-GCM under a key derived with HKDF from IMBI_AUTH_ENCRYPTION_KEY
// (DESIGN.md §6), else from IMBI_AUTH_JWT_SECRET where development allows no encryption key. Runs on
// WebCrypto, so Node and Workers read each other's rows. Each sealed value names the key it was
// sealed under, so a value sealed under another key is refused instead of decrypted into garbage.
import type { Env } from "../env.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const INFO = encoder.encode("imbi/secret-box/v1");
/** Binds a sealed value to its purpose: a secret sealed for one use cannot be opened for another. */
type Purpose = "webhook-subscription" | "inbound-webhook";

// Isolate-safe: keyed by the secret itself, derived once per key per isolate.
const keys = new Map<string, Promise<{ key: CryptoKey; id: string }>>();

type KeyEnv = Pick<Env, "IMBI_AUTH_ENCRYPTION_KEY" | "IMBI_AUTH_JWT_SECRET">;

const b64 = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
const unb64 = (s: string) => {
  const bin = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

function boxKey(env: KeyEnv) {
  const secret = env.IMBI_AUTH_ENCRYPTION_KEY ?? env.IMBI_AUTH_JWT_SECRET;
  if (!secret) throw new Error("IMBI_AUTH_ENCRYPTION_KEY is not set");
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
      const bits = await crypto.subtle.deriveBits(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: INFO },
        ikm,
        256,
      );
      const aes = await crypto.subtle.importKey("raw", bits, "AES-GCM", false, ["encrypt", "decrypt"]);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bits));
      return { key: aes, id: b64(digest.slice(0, 6)) };
    })();
    keys.set(secret, key);
  }
  return key;
}

/** `aes256gcm:<key id>:<iv>:<ciphertext+tag>` (base64url) of `plaintext`, bound to `purpose`. */
export async function sealSecret(env: KeyEnv, purpose: Purpose, plaintext: string): Promise<string> {
  const { key, id } = await boxKey(env);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(purpose) },
    key,
    encoder.encode(plaintext),
  );
  return `aes256gcm:${id}:${b64(iv)}:${b64(new Uint8Array(ct))}`;
}

/**
 * The plaintext of a sealed value. Throws when it was sealed under another key (the encryption
 * key was rotated), for another purpose, or was tampered with.
 */
export async function openSecret(env: KeyEnv, purpose: Purpose, sealed: string): Promise<string> {
  const [scheme, keyId, iv, ct] = sealed.split(":");
  const { key, id } = await boxKey(env);
  if (scheme !== "aes256gcm" || !iv || !ct) throw new Error("not a sealed secret");
  if (keyId !== id) throw new Error("sealed under another IMBI_AUTH_ENCRYPTION_KEY");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: unb64(iv), additionalData: encoder.encode(purpose) },
    key,
    unb64(ct),
  );
  return decoder.decode(pt);
}
