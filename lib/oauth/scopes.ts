import { PERMISSIONS } from "../auth/catalog.ts";

// The OAuth scopes Imbi's authorization server grants, and the permissions each maps to. A token's
// permissions are this union ∩ the user's roles (lib/core/grants.ts), so a scope never grants
// more than the user holds; it only narrows.

/** Resources an MCP client may change with `catalog:write` (identity and security stay out). */
const CATALOG_WRITE_RESOURCES = [
  "project",
  "team",
  "environment",
  "project_type",
  "link_definition",
  "tag",
  "document",
  "component",
  "comment",
  "blueprint",
  "upload",
];
const isRead = (p: string) => p.endsWith(":read");
const isCatalogWrite = (p: string) =>
  CATALOG_WRITE_RESOURCES.includes(p.split(":")[0] ?? "") && /:(create|write|update)$/.test(p);

/** One OAuth scope: what the consent page says, and the permissions (null: all the user's). */
export interface OAuthScope {
  description: string;
  permissions: readonly string[] | null;
}

/** The one table of OAuth scopes. */
export const OAUTH_SCOPES: Readonly<Record<string, OAuthScope>> = {
  imbi: {
    description: "Act as you in Imbi: everything your roles allow",
    permissions: null,
  },
  "catalog:read": {
    description: "Read the catalog: projects, teams, environments, documents, scores and the ops log",
    permissions: PERMISSIONS.filter(isRead),
  },
  "catalog:write": {
    description:
      "Read the catalog and create or change projects, teams, environments, links and documents (no deletes)",
    permissions: PERMISSIONS.filter((p) => isRead(p) || isCatalogWrite(p)),
  },
};

/** The scope granted when a client asks for none. */
export const DEFAULT_OAUTH_SCOPE = "imbi";

/** Every scope name, for the metadata documents. */
export const SCOPE_NAMES = Object.keys(OAUTH_SCOPES);

/** Parses a `scope` parameter: the distinct names, or the unknown ones. Empty/absent → the default. */
export function parseScopes(raw: string | undefined): { scopes: string[] } | { unknown: string[] } {
  const names = [...new Set((raw ?? "").split(" ").filter((s) => s !== ""))];
  if (names.length === 0) return { scopes: [DEFAULT_OAUTH_SCOPE] };
  const unknown = names.filter((n) => !Object.hasOwn(OAUTH_SCOPES, n));
  return unknown.length > 0 ? { unknown } : { scopes: names.sort() };
}

/** The permissions OAuth scopes grant: null when one of them is unlimited (`imbi`). */
export function permissionsOfScopes(scopes: readonly string[]): string[] | null {
  const out = new Set<string>();
  for (const name of scopes) {
    const scope = OAUTH_SCOPES[name];
    if (!scope) continue;
    if (scope.permissions === null) return null;
    for (const p of scope.permissions) out.add(p);
  }
  return [...out].sort();
}
