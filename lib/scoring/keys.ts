// The key syntaxes of `range_score_map` ("lo..hi") and `age_score_map` ("<op><n><unit>"): parsed
// here once, for both policy validation and scoring, so the two can never disagree.

/** An inclusive numeric range; an open end is ±Infinity. */
export interface Range {
  key: string;
  lo: number;
  hi: number;
}

const NUM = "-?\\d+(?:\\.\\d+)?";
const RANGE_KEY = new RegExp(`^(${NUM})?\\.\\.(${NUM})?$`);

/**
 * Parses a `range_score_map` key: `"lo..hi"` with decimal bounds, both inclusive; either bound may
 * be left out (`"..10"` is -∞..10, `"90.."` is 90..+∞) but not both. Returns an error message for a
 * key that is malformed or has lo ≥ hi.
 */
export function parseRangeKey(key: string): Range | { error: string } {
  const m = RANGE_KEY.exec(key);
  if (!m || (m[1] === undefined && m[2] === undefined))
    return { error: `'${key}' is not a range; write lo..hi with decimal numbers, e.g. 0..10, ..10 or 90..` };
  const lo = m[1] === undefined ? Number.NEGATIVE_INFINITY : Number(m[1]);
  const hi = m[2] === undefined ? Number.POSITIVE_INFINITY : Number(m[2]);
  if (lo >= hi)
    return { error: `range '${key}' is empty or inverted; the lower bound must be below the upper` };
  return { key, lo, hi };
}

/**
 * Finds overlapping ranges. Bounds are inclusive, so ranges that share an endpoint (0..10 and
 * 10..20 both hold 10) overlap too. Returns, for each offending key, the key it overlaps.
 */
export function rangeOverlaps(ranges: readonly Range[]): { key: string; other: string }[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const found: { key: string; other: string }[] = [];
  let widest: Range | undefined;
  for (const r of sorted) {
    if (widest && r.lo <= widest.hi) found.push({ key: r.key, other: widest.key });
    if (!widest || r.hi > widest.hi) widest = r;
  }
  return found;
}

/** The comparison operators of an age key. */
export type AgeOp = "<" | "<=" | "==" | ">" | ">=";

/** A parsed age key: compare the elapsed seconds with `seconds` (`unit` is the unit's length). */
export interface AgeRule {
  key: string;
  op: AgeOp;
  seconds: number;
  unit: number;
}

/** Seconds per unit: s(econds), m(inutes, not months), h(ours), d(ays), w(eeks). */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const AGE_KEY = /^(<=|>=|==|<|>)(\d+(?:\.\d+)?)([smhdw])$/;

/** Parses an `age_score_map` key such as `"<30d"` or `">=1w"`; an error message when malformed. */
export function parseAgeKey(key: string): AgeRule | { error: string } {
  const m = AGE_KEY.exec(key);
  if (!m)
    return {
      error: `'${key}' is not an age rule; write <op><number><unit> with op one of < <= == > >= and unit one of s m h d w (m = minutes), e.g. <30d`,
    };
  const unit = UNIT_SECONDS[m[3] as string] ?? 1;
  return { key, op: m[1] as AgeOp, seconds: Number(m[2]) * unit, unit };
}

/**
 * True when `elapsed` seconds satisfy the rule. `==` holds for the whole unit, since an exact
 * instant would almost never match: `==0d` is "under a day old", `==2w` is "2 weeks up to 3".
 */
export function ageMatches(rule: AgeRule, elapsed: number): boolean {
  switch (rule.op) {
    case "<":
      return elapsed < rule.seconds;
    case "<=":
      return elapsed <= rule.seconds;
    case "==":
      return elapsed >= rule.seconds && elapsed < rule.seconds + rule.unit;
    case ">":
      return elapsed > rule.seconds;
    case ">=":
      return elapsed >= rule.seconds;
  }
}
