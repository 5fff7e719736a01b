import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KNOWN_AUDIT_EVENTS } from "../analytics/types.ts";

// The API guide lists KNOWN_AUDIT_EVENTS as what the audit log records; this keeps the list true.
// Events are recorded as `ctx.audit({ event: "x" … })`, through a module's `audit(ctx, "x", …)`
// helper, or `for (const event of ["x", "y"])` in front of a ctx.audit.
const libDir = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

function recordedEvents(): Set<string> {
  const out = new Set<string>();
  for (const file of sources(libDir)) {
    const text = readFileSync(file, "utf8");
    if (!text.includes(".audit(")) continue;
    for (const m of text.matchAll(/\bevent: "([a-z][a-z0-9_.:-]*)"/g)) out.add(m[1] as string);
    for (const m of text.matchAll(/\baudit\(ctx, "([a-z][a-z0-9_.:-]*)"/g)) out.add(m[1] as string);
    for (const m of text.matchAll(/for \(const event of \[([^\]]*)\]\)/g))
      for (const n of (m[1] as string).matchAll(/"([^"]+)"/g)) out.add(n[1] as string);
  }
  return out;
}

describe("KNOWN_AUDIT_EVENTS", () => {
  it("lists every event a verb records", () => {
    const recorded = recordedEvents();
    expect(recorded.size).toBeGreaterThan(20);
    const known = new Set<string>(KNOWN_AUDIT_EVENTS);
    expect([...recorded].filter((e) => !known.has(e)).sort()).toEqual([]);
  });

  it("lists no event nothing records", () => {
    const recorded = recordedEvents();
    expect(KNOWN_AUDIT_EVENTS.filter((e) => !recorded.has(e))).toEqual([]);
  });
});
