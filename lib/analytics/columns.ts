import { z } from "zod";

// Column validators shared by every analytics table, kept apart from the table registry so the
// per-table modules can import them without an import cycle.

// ClickHouse stores DateTime as a UInt32 of seconds; 2100 keeps well inside it on every release.
const MIN_MS = 0;
const MAX_MS = Date.UTC(2100, 0, 1);

// Postgres `text` cannot hold NUL, and lone surrogates do not survive UTF-8: rejecting both here
// keeps the two adapters byte-for-byte identical instead of one of them failing or mangling.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string column: bounded, no NUL, well-formed UTF-16. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine(
      (s) => !s.includes("\u0000") && !LONE_SURROGATE.test(s),
      "must not contain NUL or unpaired surrogates",
    );

/**
 * An instant as an ISO-8601 string with offset (or a Date), normalised to UTC with millisecond
 * precision (`2024-05-01T12:00:00.123Z`), which is what both stores keep.
 */
export const AnalyticsTimestamp = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((v) => new Date(v))
  .refine((d) => !Number.isNaN(d.getTime()) && d.getTime() >= MIN_MS && d.getTime() < MAX_MS, {
    message: "must be between 1970-01-01 and 2100-01-01 (UTC)",
  })
  .transform((d) => d.toISOString());

/** Page size of every analytics list: 1..500, default 50. */
export const Limit = z.number().int().min(1).max(500).default(50);

/** An opaque keyset cursor. */
export const Cursor = z.string().max(512);
