/**
 * Result of an I/O call whose failure is expected and not fatal (cache, ClickHouse).
 * Callers branch on `err` instead of catching.
 */
export type Result<T, E = Error> = { val: T; err?: undefined } | { val?: undefined; err: E };

/** Wraps a value as a successful Result. */
export const ok = <T>(val: T): Result<T, never> => ({ val });

/** Wraps an error as a failed Result. */
export const fail = <E>(err: E): Result<never, E> => ({ err });

/** Runs `fn` and captures a thrown error as a failed Result. */
export async function attempt<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return fail(e instanceof Error ? e : new Error(String(e)));
  }
}
