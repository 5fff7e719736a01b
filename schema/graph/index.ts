/**
 * The graph's shape: every vertex label and edge type Cypher may use (the allow-list — labels are
 * never taken from user input), and the indexes that make lookups and uniqueness work.
 */
export const VERTEX_LABELS = [
  "Organization",
  "User",
  "Role",
  "Permission",
  "ServiceAccount",
  "Team",
  "Environment",
  "ProjectType",
  "LinkDefinition",
  "Project",
  "Blueprint",
  "ScoringPolicy",
] as const;
export type VertexLabel = (typeof VERTEX_LABELS)[number];

export const EDGE_TYPES = [
  "MEMBER_OF",
  "GRANTS",
  "INHERITS_FROM",
  "BELONGS_TO",
  "OWNED_BY",
  "TYPE",
  "DEPLOYED_IN",
  "DEPENDS_ON",
  "MEMBER_OF_TEAM",
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

/** A btree index over properties of one label; `unique` makes AGE reject duplicates (23505). */
export interface GraphIndex {
  name: string;
  label: VertexLabel;
  properties: readonly string[];
  unique: boolean;
}

export const GRAPH_INDEXES: readonly GraphIndex[] = [
  { name: "organization_slug_uq", label: "Organization", properties: ["slug"], unique: true },
  { name: "organization_id_uq", label: "Organization", properties: ["id"], unique: true },
  { name: "user_email_uq", label: "User", properties: ["email"], unique: true },
  { name: "role_slug_uq", label: "Role", properties: ["slug"], unique: true },
  // Service accounts are global (like users): one slug per installation.
  { name: "service_account_slug_uq", label: "ServiceAccount", properties: ["slug"], unique: true },
  { name: "permission_name_uq", label: "Permission", properties: ["name"], unique: true },
  // Per-organization slug uniqueness: the reference lets two teams in one org share a slug (⚠).
  { name: "team_org_slug_uq", label: "Team", properties: ["org_id", "slug"], unique: true },
  { name: "environment_org_slug_uq", label: "Environment", properties: ["org_id", "slug"], unique: true },
  { name: "project_type_org_slug_uq", label: "ProjectType", properties: ["org_id", "slug"], unique: true },
  {
    name: "link_definition_org_slug_uq",
    label: "LinkDefinition",
    properties: ["org_id", "slug"],
    unique: true,
  },
  { name: "project_org_slug_uq", label: "Project", properties: ["org_id", "slug"], unique: true },
  { name: "project_id_uq", label: "Project", properties: ["id"], unique: true },
  // Blueprint slugs are unique globally (not per type): `/blueprints/{type}/{slug}` checks the type.
  { name: "blueprint_slug_uq", label: "Blueprint", properties: ["slug"], unique: true },
  // Scoring policies are global, like blueprints (their targets are project-type slugs).
  { name: "scoring_policy_slug_uq", label: "ScoringPolicy", properties: ["slug"], unique: true },
  // Project list pages walk (org_id, <sort key>, id) in order; slug pages use project_org_slug_uq.
  { name: "project_org_name_ix", label: "Project", properties: ["org_id", "name", "id"], unique: false },
  {
    name: "project_org_created_ix",
    label: "Project",
    properties: ["org_id", "created_at", "id"],
    unique: false,
  },
  {
    name: "project_org_updated_ix",
    label: "Project",
    properties: ["org_id", "updated_at", "id"],
    unique: false,
  },
  // Facets leave out archived projects by looking them up here instead of reading every project.
  { name: "project_org_archived_ix", label: "Project", properties: ["org_id", "archived"], unique: false },
];

/** A unique index over an edge type's endpoints: at most one such edge from a given a to a given b. */
export interface UniqueEdgeIndex {
  name: string;
  edge: EdgeType;
}

// Concurrent creates of one edge (from both ends, or retried) must not duplicate it; AGE has no
// MERGE guarantee, so the edge table's (start_id, end_id) carries the constraint (23505).
export const UNIQUE_EDGE_INDEXES: readonly UniqueEdgeIndex[] = [
  { name: "depends_on_pair_uq", edge: "DEPENDS_ON" },
  { name: "member_of_team_pair_uq", edge: "MEMBER_OF_TEAM" },
];
