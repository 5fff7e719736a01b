import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "../auth/catalog.ts";
import type { Grants } from "../core/grants.ts";
import { CATALOG_MODEL_DOC } from "./catalog_model_doc.ts";
import { type McpTool, TOOLS, visibleTools } from "./tools.ts";

/** The table docs/mcp.md shows between its markers, rendered from the registry. */
function toolTable(): string {
  const kind = (t: McpTool) =>
    t.annotations.readOnlyHint ? "read" : t.annotations.destructiveHint ? "write (destructive)" : "write";
  const perms = (t: McpTool) =>
    t.verbs
      .map((v) =>
        v.access.scope === "custom"
          ? v.access.permissions.join(", ")
          : "permission" in v.access
            ? v.access.permission
            : "",
      )
      .filter((p, i, all) => p && all.indexOf(p) === i)
      .map((p) => `\`${p}\``)
      .join(", ");
  return [
    "| Tool | Kind | Needs | What it is for |",
    "| --- | --- | --- | --- |",
    ...TOOLS.map((t) => `| \`${t.name}\` | ${kind(t)} | ${perms(t)} | ${t.title} |`),
  ].join("\n");
}

const grants = (held: readonly string[], fail = false): Grants => {
  const set = new Set(held);
  const answer = async () => {
    if (fail) throw new Error("graph down");
    return set;
  };
  return { in: answer, global: answer, anywhere: answer, remember() {}, knows: () => false };
};

describe("the MCP tool registry", () => {
  it("docs/mcp.md lists exactly the registry's tools", () => {
    const doc = readFileSync("docs/mcp.md", "utf8");
    const m = /<!-- tools:start -->\n([\s\S]*?)\n<!-- tools:end -->/.exec(doc);
    expect(m, "docs/mcp.md needs the <!-- tools:start --> … <!-- tools:end --> markers").not.toBeNull();
    expect(m?.[1], `replace the table in docs/mcp.md with:\n${toolTable()}`).toBe(toolTable());
  });

  it("the catalog-model resource is docs/catalog-model.md (run node scripts/bundle_mcp_docs.mjs)", () => {
    expect(CATALOG_MODEL_DOC).toBe(readFileSync("docs/catalog-model.md", "utf8"));
  });

  it("names are unique, and every tool calls at least one verb and has hints", () => {
    expect(new Set(TOOLS.map((t) => t.name)).size).toBe(TOOLS.length);
    for (const t of TOOLS) {
      expect(t.verbs.length).toBeGreaterThan(0);
      expect(t.annotations.openWorldHint).toBe(false);
      expect(typeof t.annotations.readOnlyHint).toBe("boolean");
    }
  });

  it("shows a tool only when every verb's permission is held somewhere", async () => {
    expect(await visibleTools(grants(PERMISSIONS))).toEqual(new Set(TOOLS.map((t) => t.name)));
    const reads = await visibleTools(grants(["project:read"]));
    expect(reads.has("get_project")).toBe(true);
    expect(reads.has("search_catalog")).toBe(false); // search:read
    expect(reads.has("create_project")).toBe(false);
    expect(await visibleTools(grants([]))).toEqual(new Set());
  });

  it("fails closed: a grant lookup that throws, an unknown scope or an empty custom rule hides the tool", async () => {
    expect(await visibleTools(grants(PERMISSIONS, true))).toEqual(new Set());
    const base = TOOLS[0] as McpTool;
    const odd: McpTool[] = [
      { ...base, name: "unknown_scope", verbs: [{ verbName: "x", access: { scope: "mystery" } as never }] },
      {
        ...base,
        name: "empty_custom",
        verbs: [{ verbName: "y", access: { scope: "custom", permissions: [], rule: "?" } }],
      },
      { ...base, name: "no_verbs", verbs: [] },
    ];
    expect(await visibleTools(grants(PERMISSIONS), odd)).toEqual(new Set());
  });
});
