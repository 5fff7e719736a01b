import { argon2id as argon2idJs } from "@noble/hashes/argon2.js";
import { argon2id, argon2Verify } from "hash-wasm";
import type { Env } from "../env.ts";

/** OWASP's Argon2id recommendation (m = 19 MiB, t = 2, p = 1). Changing these rehashes on next login. */
export const ARGON2_PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

// hash-wasm compiles WebAssembly from bytes at run time, which workerd forbids ("Wasm code
// generation disallowed by embedder"). There the audited pure-JS @noble/hashes implementation is
// used instead (~3x slower). Both read and write the same PHC strings. Isolate-safe: whether wasm
// compilation is allowed is a property of the runtime, not of a request.
let wasmAllowed: boolean | undefined;

async function canUseWasm(): Promise<boolean> {
  if (wasmAllowed === undefined) {
    try {
      await argon2id({
        password: "probe",
        salt: new Uint8Array(8),
        iterations: 1,
        memorySize: 8,
        parallelism: 1,
        hashLength: 4,
        outputType: "hex",
      });
      wasmAllowed = true;
    } catch {
      wasmAllowed = false;
    }
  }
  return wasmAllowed;
}

const b64 = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, "");
};
const unb64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

function encodeJs(
  password: string,
  salt: Uint8Array,
  p: { m: number; t: number; p: number; len: number },
): string {
  const hash = argon2idJs(password, salt, { m: p.m, t: p.t, p: p.p, dkLen: p.len });
  return `$argon2id$v=19$m=${p.m},t=${p.t},p=${p.p}$${b64(salt)}$${b64(hash)}`;
}

function verifyJs(password: string, encoded: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
  if (!m) return false;
  const expected = unb64(m[5] as string);
  const actual = unb64(
    encodeJs(password, unb64(m[4] as string), {
      m: Number(m[1]),
      t: Number(m[2]),
      p: Number(m[3]),
      len: expected.length,
    })
      .split("$")
      .pop() as string,
  );
  let diff = expected.length ^ actual.length;
  for (let i = 0; i < expected.length; i++) diff |= (expected[i] as number) ^ (actual[i] ?? 0);
  return diff === 0;
}

/** Hashes a password as an encoded `$argon2id$…` (PHC) string. */
export async function hashPassword(password: string): Promise<string> {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  if (await canUseWasm()) return argon2id({ password, salt, ...ARGON2_PARAMS, outputType: "encoded" });
  const { memorySize: m, iterations: t, parallelism: p, hashLength: len } = ARGON2_PARAMS;
  return encodeJs(password, salt, { m, t, p, len });
}

/** Verifies a password against an encoded hash; false on any malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return (await canUseWasm()) ? await argon2Verify({ password, hash }) : verifyJs(password, hash);
  } catch {
    return false;
  }
}

/** Test hook: forces the pure-JS path (as on Workers) or restores detection. */
export function forcePureJsArgon2(on: boolean): void {
  wasmAllowed = on ? false : undefined;
}

/** True when a stored hash was made with other parameters than today's. */
export function needsRehash(hash: string): boolean {
  const want = `$argon2id$v=19$m=${ARGON2_PARAMS.memorySize},t=${ARGON2_PARAMS.iterations},p=${ARGON2_PARAMS.parallelism}$`;
  return !hash.startsWith(want);
}

// Verified against when the email is unknown, so a miss costs as much as a wrong password and
// response timing does not reveal which emails have accounts. Isolate-safe: a constant.
let dummyHash: Promise<string> | undefined;
/** A fixed hash to verify against for unknown users. */
export function dummyPasswordHash(): Promise<string> {
  if (!dummyHash) dummyHash = hashPassword("imbi-dummy-password-for-uniform-timing");
  return dummyHash;
}

/** Checks a new password against the policy from settings; returns every unmet rule. */
export function passwordPolicyProblems(
  password: string,
  env: Pick<
    Env,
    | "IMBI_AUTH_PASSWORD_MIN_LENGTH"
    | "IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE"
    | "IMBI_AUTH_PASSWORD_REQUIRE_LOWERCASE"
    | "IMBI_AUTH_PASSWORD_REQUIRE_DIGIT"
    | "IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL"
  >,
): string[] {
  const problems: string[] = [];
  if (password.length < env.IMBI_AUTH_PASSWORD_MIN_LENGTH)
    problems.push(`must be at least ${env.IMBI_AUTH_PASSWORD_MIN_LENGTH} characters`);
  if (password.length > 256) problems.push("must be at most 256 characters");
  if (env.IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE && !/\p{Lu}/u.test(password))
    problems.push("must contain an uppercase letter");
  if (env.IMBI_AUTH_PASSWORD_REQUIRE_LOWERCASE && !/\p{Ll}/u.test(password))
    problems.push("must contain a lowercase letter");
  if (env.IMBI_AUTH_PASSWORD_REQUIRE_DIGIT && !/\p{Nd}/u.test(password))
    problems.push("must contain a digit");
  if (env.IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL && !/[^\p{L}\p{Nd}]/u.test(password))
    problems.push("must contain a special character");
  return problems;
}
