import { checkRateLimit, parseRateLimit, type RateLimitSpec } from "../kv/rate_limit.ts";
import type { Kv } from "../kv/types.ts";

/**
 * Password-login brute-force protection, built so that nobody can lock someone else out.
 *
 * 1. **Per client address**, every attempt (`IMBI_AUTH_RATE_LIMIT_LOGIN`): refused with 429. Only
 *    that address is affected.
 * 2. **Per account and address**, failed attempts (`IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES`): refused
 *    with 429, but again only for that address — the same account from anywhere else is unaffected.
 *    A successful login clears it, so an owner's typos never accumulate across the window.
 * 3. **Per account**, failed attempts from all addresses (`IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT`):
 *    past this ceiling, attempts on the account are *slowed* (a delay growing with the excess, at
 *    most {@link MAX_LOGIN_DELAY_MS}), never refused — a distributed guesser pays for every guess
 *    while the owner, with the right password, still gets in.
 *
 * Emails are counted whether or not an account exists, so the limits reveal nothing about which
 * emails are registered. Counters live in the kv store (shared by every replica and isolate) and
 * fail open when it is down, like every rate limit here (lib/kv/rate_limit.ts).
 */
export interface LoginLimits {
  address: RateLimitSpec;
  accountAddress: RateLimitSpec;
  account: RateLimitSpec;
}

/** The longest a throttled attempt is held: long enough to hurt guessing, short enough to log in. */
export const MAX_LOGIN_DELAY_MS = 5_000;
/** Added to the delay per failed attempt beyond the per-account ceiling. */
export const LOGIN_DELAY_STEP_MS = 250;

/** The three limits from the settings (validated at boot, so parsing cannot fail here). */
export function loginLimits(env: {
  IMBI_AUTH_RATE_LIMIT_LOGIN: string;
  IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES: string;
  IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT: string;
}): LoginLimits {
  return {
    address: parseRateLimit(env.IMBI_AUTH_RATE_LIMIT_LOGIN),
    accountAddress: parseRateLimit(env.IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES),
    account: parseRateLimit(env.IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT),
  };
}

/** Who is trying: the normalized email and the resolved client address (lib/http/client.ts). */
export interface LoginAttempt {
  email: string;
  ip: string;
}

/** What to do with one attempt before the password is checked. */
export type LoginAdmission =
  | {
      allowed: false;
      /** Which limit refused it. */
      limit: "address" | "account_address";
      spec: RateLimitSpec;
      retryAfterSeconds: number;
      /** True on the first refusal of a window: worth one audit row, not one per request. */
      firstRefusal: boolean;
    }
  | {
      allowed: true;
      /** Hold the answer this long (0 unless the account is past its ceiling). */
      delayMs: number;
      /** Failed attempts on the account in the current window, from every address. */
      accountFailures: number;
      /** True when the kv store failed and limits were not applied. */
      degraded: boolean;
    };

const addressKey = (a: LoginAttempt) => `login:ip:${a.ip}`;
// The email is JSON-quoted so that no email can forge another's key by containing the separator.
const accountAddressKey = (a: LoginAttempt) => `login:fail:${JSON.stringify(a.email)}:${a.ip}`;
const accountKey = (a: LoginAttempt) => `login:account:${a.email}`;

/** The delay for an account with `failures` failed attempts in the window under `spec`. */
export function loginDelayMs(failures: number, spec: RateLimitSpec): number {
  const excess = failures - spec.limit;
  return excess > 0 ? Math.min(MAX_LOGIN_DELAY_MS, excess * LOGIN_DELAY_STEP_MS) : 0;
}

/**
 * Counts the attempt against the per-address and per-account-and-address limits, and reads the
 * account's failure count. Call before verifying the password.
 */
export async function admitLogin(
  kv: Kv,
  limits: LoginLimits,
  attempt: LoginAttempt,
): Promise<LoginAdmission> {
  let degraded = false;
  for (const [limit, key, spec] of [
    ["address", addressKey(attempt), limits.address],
    ["account_address", accountAddressKey(attempt), limits.accountAddress],
  ] as const) {
    const d = await checkRateLimit(kv, key, spec);
    degraded ||= d.degraded;
    if (!d.allowed)
      return {
        allowed: false,
        limit,
        spec,
        retryAfterSeconds: Math.max(1, d.retryAfterSeconds),
        firstRefusal: d.count === spec.limit + 1,
      };
  }
  let accountFailures = 0;
  try {
    accountFailures = Number((await kv.get<number>(`rl:${accountKey(attempt)}`)) ?? 0) || 0;
  } catch {
    degraded = true;
  }
  return { allowed: true, delayMs: loginDelayMs(accountFailures, limits.account), accountFailures, degraded };
}

/** Records a failed attempt on the account's ceiling (the address limits counted it on admission). */
export async function recordLoginFailure(kv: Kv, limits: LoginLimits, attempt: LoginAttempt): Promise<void> {
  await checkRateLimit(kv, accountKey(attempt), limits.account);
}

/**
 * After a successful login: the owner's earlier typos from this address no longer count. The
 * per-account ceiling is left alone — a success by the owner must not reset a guesser's budget.
 */
export async function recordLoginSuccess(kv: Kv, attempt: LoginAttempt): Promise<void> {
  await kv.del(`rl:${accountAddressKey(attempt)}`).catch(() => 0);
}

/** Waits without using CPU (a timer on Node and Workers alike; Workers bill CPU, not wall time). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
