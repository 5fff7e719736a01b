// The import graph points one way (docs/development.md): route groups never import each other,
// lib/ never imports route groups or hosts, and domain code (lib/ outside lib/http/) never imports
// Hono. Biome's noRestrictedImports refuses the lib/ cases at lint time; this test checks the
// whole graph, including what a lint rule cannot express (one group importing another).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const SPEC = /(?:from|import)\s*\(?\s*["']([^"']+)["']/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Every import of the non-test sources under `dir`: [importing file, imported path or package]. */
function imports(dir: string): [string, string][] {
  return sources(join(ROOT, dir)).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(SPEC)].map(([, spec]) => {
      const target = spec?.startsWith(".") ? relative(ROOT, resolve(dirname(file), spec)) : (spec as string);
      return [relative(ROOT, file), target] as [string, string];
    }),
  );
}

describe("the import graph", () => {
  it("route groups never import each other", () => {
    const crossing = imports("functions").filter(([file, target]) => {
      // functions/registry.ts mounts every group; it is the one file above them.
      const [, group] = file.split("/");
      return (
        file !== "functions/registry.ts" && target.startsWith("functions/") && target.split("/")[1] !== group
      );
    });
    expect(crossing).toEqual([]);
  });

  it("lib/ never imports route groups or hosts", () => {
    expect(imports("lib").filter(([, t]) => t.startsWith("functions/") || t.startsWith("apps/"))).toEqual([]);
  });

  it("domain code never imports Hono", () => {
    const http = imports("lib").filter(
      ([file, t]) =>
        !file.startsWith("lib/http/") && (t === "hono" || t.startsWith("hono/") || t.startsWith("@hono/")),
    );
    expect(http).toEqual([]);
  });
});
