/**
 * The permission catalog (`resource:action`) and the seeded system roles, after the reference's
 * auth/seed.py. Seeded idempotently by `imbi setup`; system roles are immutable.
 */
const crud = (r: string) => [`${r}:create`, `${r}:read`, `${r}:update`, `${r}:delete`];
const crwd = (r: string) => [`${r}:create`, `${r}:read`, `${r}:write`, `${r}:delete`];

export const PERMISSIONS: readonly string[] = [
  ...[
    "user",
    "role",
    "organization",
    "team",
    "environment",
    "project_type",
    "integration",
    "webhook",
    "service_account",
    "operations_log",
    "mcp_server",
    // Outbound webhook subscriptions (issue 13): their URLs and delivery logs are not for every member.
    "subscription",
  ].flatMap(crud),
  ...["project", "link_definition", "tag", "document", "document_template"].flatMap(crwd),
  "blueprint:read",
  "blueprint:write",
  "blueprint:delete",
  "upload:create",
  "upload:read",
  "upload:delete",
  "component:read",
  "component:write",
  "comment:create",
  "comment:write",
  "comment:delete",
  "auth_providers:read",
  "auth_providers:write",
  "scoring_policy:read",
  "scoring_policy:write",
  "scoring_policy:delete",
  "scoring_policy:rescore",
  "scoring_policy:rescore_all",
  "admin:events:read",
  "audit_log:read",
  "search:read",
  // OAuth clients registered by DCR (issue 11): list them, revoke them (and their tokens).
  "oauth_client:read",
  "oauth_client:delete",
  // Releases' deployments and blockers (issue 13), as the reference's project_deployments routes.
  "project:deployment:read",
  "project:deployment:write",
];

const READ_RESOURCES = [
  "blueprint",
  "component",
  "document",
  "document_template",
  "environment",
  "link_definition",
  "organization",
  "project",
  "project_type",
  "role",
  "tag",
  "team",
  "integration",
  "upload",
  "user",
  "webhook",
  "operations_log",
  // Scoring policies are global configuration every member reads (ADR 0009: read where held).
  "scoring_policy",
];
// "What's deployed where" is one of the questions every member asks: unlike the reference (where
// only admin holds it), the read roles see deployments too. Writing them stays with admin and the
// gateway (docs/releases.md).
const DEFAULT_GRANTS = [
  ...READ_RESOURCES.map((r) => `${r}:read`),
  "project:deployment:read",
  "scoring_policy:rescore",
  "search:read",
];

/** A seeded role. */
export interface SystemRole {
  slug: string;
  name: string;
  description: string;
  priority: number;
  isDefault: boolean;
  grants: readonly string[];
}

export const SYSTEM_ROLES: readonly SystemRole[] = [
  {
    slug: "admin",
    name: "Administrator",
    description: "Every permission in the organization",
    priority: 1000,
    isDefault: false,
    grants: PERMISSIONS,
  },
  {
    slug: "developer",
    name: "Developer",
    description: "Reads everything; writes projects, blueprints, links, teams and documents",
    priority: 500,
    isDefault: false,
    grants: [
      ...DEFAULT_GRANTS.filter((p) => p !== "operations_log:read" && p !== "role:read"),
      "blueprint:write",
      "project:create",
      "project:write",
      "link_definition:write",
      "organization:update",
      "team:update",
      "integration:update",
      "upload:create",
      "webhook:update",
      "tag:create",
      "tag:write",
      "document:create",
      "document:write",
      "document:delete",
      "comment:create",
      "comment:write",
      "comment:delete",
    ],
  },
  {
    slug: "default",
    name: "Member",
    description: "Read access; assigned when no role is given",
    priority: 150,
    isDefault: true,
    grants: DEFAULT_GRANTS,
  },
  {
    slug: "readonly",
    name: "Read-only",
    description: "Read access without rescoring",
    priority: 100,
    isDefault: false,
    grants: DEFAULT_GRANTS.filter((p) => p !== "scoring_policy:rescore"),
  },
  // The reference's internal service accounts (§4.11). Its scheduler role holds every
  // scheduled_task permission plus broad reads; this catalog has no scheduled tasks yet, so the
  // reads are what maps (the same reads as `readonly`).
  {
    slug: "imbi-scheduler",
    name: "Imbi scheduler",
    description: "The scheduler service account: broad reads",
    priority: 900,
    isDefault: false,
    grants: DEFAULT_GRANTS.filter((p) => p !== "scoring_policy:rescore"),
  },
  {
    slug: "imbi-gateway",
    name: "Imbi gateway",
    description:
      "The webhook gateway service account: reads and writes projects, records releases and deployments, reads users",
    priority: 900,
    isDefault: false,
    // The reference's grants plus the deployment ones: its gateway wrote Deployment nodes directly;
    // here its actions go through the verbs, which require them.
    grants: [
      "project:read",
      "project:write",
      "project:deployment:read",
      "project:deployment:write",
      // The log_operation action writes operations-log entries.
      "operations_log:create",
      "user:read",
    ],
  },
];

/** Slugs of the immutable seeded roles. */
export const SYSTEM_ROLE_SLUGS: ReadonlySet<string> = new Set(SYSTEM_ROLES.map((r) => r.slug));
