import { argon2id, argon2Verify } from "hash-wasm";
import type { Env } from "../env.ts";

/** OWASP's Argon2id recommendation (m = 19 MiB, t = 2, p = 1). Changing these rehashes on next login. */
export const ARGON2_PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

/** Hashes a password as an encoded `$argon2id$…` string. */
export async function hashPassword(password: string): Promise<string> {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  return argon2id({ password, salt, ...ARGON2_PARAMS, outputType: "encoded" });
}

/** Verifies a password against an encoded hash; false on any malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
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
