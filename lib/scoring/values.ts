// How the scoring engine reads attribute values: what counts as missing, how a value becomes a map
// key, and how two values compare. Shared by the policy mappers and the condition evaluator.

/**
 * True when a value counts as missing for presence checks: undefined or null, a blank or
 * whitespace-only string, an empty array, or an object with no keys.
 */
export function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Date) return Number.isNaN(value.getTime());
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/**
 * The key a scalar is looked up by in a `value_score_map`: strings as they are, booleans as
 * `"true"`/`"false"`, finite numbers by `String()` (so `3`, not `"3.0"`). Null for anything else.
 */
export function scalarKey(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A finite number from a number or a numeric string; null otherwise (booleans are not numbers). */
export function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  return null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Epoch milliseconds of a `Date` or an ISO 8601 date / date-time string (a date alone is UTC
 * midnight); null for anything else. Numbers are not dates: seconds vs milliseconds is ambiguous.
 */
export function toTime(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value !== "string" || !ISO_DATE.test(value.trim())) return null;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? null : t;
}

/**
 * Orders two values: numerically when both are numbers (or numeric strings), as instants when
 * both are ISO dates, otherwise as strings when both are scalars. Null when they cannot be
 * compared (a missing value, an object or array on either side).
 */
export function compareValues(a: unknown, b: unknown): number | null {
  const [na, nb] = [toNumber(a), toNumber(b)];
  if (na !== null && nb !== null) return Math.sign(na - nb);
  const [ta, tb] = [toTime(a), toTime(b)];
  if (ta !== null && tb !== null) return Math.sign(ta - tb);
  const [sa, sb] = [scalarKey(a), scalarKey(b)];
  if (sa === null || sb === null) return null;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Equality by {@link compareValues}; objects and arrays compare by their JSON. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  const c = compareValues(a, b);
  if (c !== null) return c === 0;
  if (a === undefined || a === null || b === undefined || b === null) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value as it goes into a breakdown: JSON-able, with undefined as null and dates as ISO strings. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return null;
  return value;
}

/** Looks a key up in a score map without reaching the prototype (`constructor`, `__proto__`). */
export function lookup(map: Readonly<Record<string, number>>, key: string): number | null {
  return Object.hasOwn(map, key) ? (map[key] ?? null) : null;
}

/** An own property of a record, or undefined (never one inherited from Object.prototype). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
