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

// Handlers are parse → verb → respond (ADR 0009): what a door must never do itself.
const DOOR_DUTIES: [string, RegExp][] = [
  ["writes an audit row", /\.audit\(/],
  ["asks for rescoring", /\.rescore\(|\bon(?:Project|Dependency|Policy|Blueprint)Change\(/],
  ["records change events", /\brecord\w*Events?\(/],
  [
    "decides authorization",
    /\bgrants\.(?:in|global|anywhere)\(|get\("grants"\)|\.isAdmin\b|\brequirePermission\(|code:\s*["']FORBIDDEN["']/,
  ],
  ["builds a services container", /\bcreateServices\(/],
];

describe("route handlers", () => {
  it("leave audit, events, rescoring and authorization to the verbs", () => {
    const routeFiles = sources(join(ROOT, "functions")).filter((f) => /\/routes\/[^/]+\.ts$/.test(f));
    expect(routeFiles.length).toBeGreaterThan(60);
    const found = routeFiles.flatMap((file) => {
      const text = readFileSync(file, "utf8").replaceAll(/^\s*(\/\/|\*|\/\*).*$/gm, "");
      return DOOR_DUTIES.filter(([, re]) => re.test(text)).map(([duty]) => `${relative(ROOT, file)} ${duty}`);
    });
    expect(found).toEqual([]);
  });
});
