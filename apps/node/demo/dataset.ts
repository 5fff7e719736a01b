/**
 * The demo organization `imbi setup --demo` loads: a plausible e-commerce platform with teams,
 * project types, environments, link definitions, a blueprint and ~60 services whose dependencies
 * form a realistic layered graph (edge → apps → domain services → platform → data stores).
 */
export const DEMO_ORG = {
  slug: "demo",
  name: "Demo Commerce",
  description: "A sample organization loaded by imbi setup --demo",
};

export const DEMO_TEAMS = [
  ["storefront", "Storefront"],
  ["checkout", "Checkout"],
  ["catalog", "Catalog"],
  ["identity", "Identity"],
  ["platform", "Platform"],
  ["data", "Data"],
].map(([slug, name]) => ({ slug: slug as string, name: name as string, description: `${name} team` }));

export const DEMO_TYPES = [
  { slug: "http-api", name: "HTTP API", deployable: true, releasable: true },
  { slug: "frontend", name: "Frontend", deployable: true, releasable: true },
  { slug: "consumer", name: "Queue consumer", deployable: true, releasable: true },
  { slug: "database", name: "Database", deployable: false, releasable: false },
  { slug: "library", name: "Library", deployable: false, releasable: true },
];

export const DEMO_ENVIRONMENTS = [
  {
    slug: "development",
    name: "Development",
    sort_order: 1,
    label_color: "#6b7280",
    can_deploy: true,
    can_promote: true,
  },
  {
    slug: "staging",
    name: "Staging",
    sort_order: 2,
    label_color: "#d97706",
    can_deploy: true,
    can_promote: true,
  },
  {
    slug: "production",
    name: "Production",
    sort_order: 3,
    label_color: "#dc2626",
    can_deploy: true,
    can_promote: false,
  },
];

export const DEMO_LINKS = [
  { slug: "repository", name: "Repository", url_template: "https://git.example.com/demo/{slug}" },
  { slug: "dashboard", name: "Dashboard", url_template: "https://grafana.example.com/d/{slug}" },
  { slug: "runbook", name: "Runbook", url_template: "https://wiki.example.com/runbooks/{slug}" },
];

/** One blueprint so the demo shows typed attributes, filters and defaults. */
export const DEMO_BLUEPRINT = {
  slug: "service-basics",
  name: "Service basics",
  description: "Tier, language and on-call for every service",
  kind: "node",
  type: "Project",
  priority: 100,
  enabled: true,
  schema: {
    type: "object",
    properties: {
      tier: {
        type: "integer",
        minimum: 1,
        maximum: 4,
        default: 3,
        description: "Business criticality, 1 = highest",
      },
      language: {
        type: "string",
        enum: ["typescript", "python", "go", "java", "sql", "rust"],
        description: "Main language",
      },
      oncall: { type: "string", description: "Pager rotation" },
    },
  },
};

/** Scoring policies so the demo shows scores, breakdowns and levels (docs/scoring-guide.md). */
export const DEMO_POLICIES = [
  {
    slug: "demo-language",
    name: "Supported language",
    category: "attribute",
    attribute_name: "language",
    weight: 20,
    value_score_map: { typescript: 100, go: 100, rust: 90, python: 80, sql: 70, java: 50 },
  },
  {
    slug: "demo-dashboard",
    name: "Has a dashboard",
    category: "link_presence",
    link_slug: "dashboard",
    weight: 25,
  },
  {
    slug: "demo-runbook",
    name: "Has a runbook",
    category: "link_presence",
    link_slug: "runbook",
    weight: 25,
  },
  {
    slug: "demo-on-call",
    name: "Critical services have on-call",
    category: "condition",
    weight: 10,
    condition: {
      type: "any",
      conditions: [
        { type: "attribute", attribute: "tier", op: "ge", value: 3 },
        { type: "attribute", attribute: "oncall", op: "present" },
      ],
    },
  },
  {
    slug: "demo-no-java-deps",
    name: "No dependency on Java services",
    description: "A relationship rule: every DEPENDS_ON neighbour is checked",
    category: "condition",
    weight: 20,
    condition: {
      type: "relationship",
      edge: "DEPENDS_ON",
      direction: "outgoing",
      quantifier: "none",
      where: { type: "attribute", attribute: "language", op: "eq", value: "java" },
    },
  },
];

/** Score levels of the demo organization. */
export const DEMO_LEVELS = [
  { name: "Bronze", min_score: 50 },
  { name: "Silver", min_score: 75 },
  { name: "Gold", min_score: 90 },
];

interface DemoProject {
  slug: string;
  team: string;
  type: string;
  tier: number;
  language: string;
  deps: string[];
}

const p = (
  slug: string,
  team: string,
  type: string,
  tier: number,
  language: string,
  deps: string[] = [],
): DemoProject => ({
  slug,
  team,
  type,
  tier,
  language,
  deps,
});

/** The services, in dependency order (every dependency is declared before its dependents). */
export const DEMO_PROJECTS: DemoProject[] = [
  // data stores
  p("orders-db", "data", "database", 1, "sql"),
  p("catalog-db", "data", "database", 1, "sql"),
  p("users-db", "data", "database", 1, "sql"),
  p("payments-db", "data", "database", 1, "sql"),
  p("inventory-db", "data", "database", 2, "sql"),
  p("search-index", "data", "database", 2, "sql"),
  p("analytics-warehouse", "data", "database", 3, "sql"),
  p("session-cache", "platform", "database", 1, "sql"),
  p("event-bus", "platform", "database", 1, "sql"),
  // platform libraries and services
  p("service-kit", "platform", "library", 2, "typescript"),
  p("go-kit", "platform", "library", 2, "go"),
  p("feature-flags", "platform", "http-api", 2, "go", ["session-cache"]),
  p("config-service", "platform", "http-api", 1, "go"),
  p("notification-service", "platform", "http-api", 3, "python", ["event-bus", "config-service"]),
  p("email-sender", "platform", "consumer", 3, "python", ["event-bus", "notification-service"]),
  p("sms-sender", "platform", "consumer", 4, "python", ["event-bus"]),
  p("audit-trail", "platform", "consumer", 2, "go", ["event-bus", "analytics-warehouse"]),
  p("rate-limiter", "platform", "http-api", 1, "rust", ["session-cache"]),
  // identity
  p("auth-service", "identity", "http-api", 1, "go", [
    "users-db",
    "session-cache",
    "config-service",
    "go-kit",
  ]),
  p("user-profile", "identity", "http-api", 2, "typescript", ["users-db", "auth-service", "service-kit"]),
  p("permissions-service", "identity", "http-api", 1, "go", ["users-db", "auth-service"]),
  p("sso-gateway", "identity", "http-api", 2, "go", ["auth-service"]),
  p("account-deletion", "identity", "consumer", 3, "python", ["event-bus", "users-db", "user-profile"]),
  // catalog
  p("product-service", "catalog", "http-api", 1, "java", ["catalog-db", "event-bus", "config-service"]),
  p("pricing-service", "catalog", "http-api", 1, "java", ["catalog-db", "product-service", "feature-flags"]),
  p("inventory-service", "catalog", "http-api", 1, "go", ["inventory-db", "event-bus", "go-kit"]),
  p("search-service", "catalog", "http-api", 2, "java", ["search-index", "product-service"]),
  p("search-indexer", "catalog", "consumer", 2, "java", ["event-bus", "search-index", "product-service"]),
  p("reviews-service", "catalog", "http-api", 3, "typescript", ["catalog-db", "user-profile", "service-kit"]),
  p("recommendations", "catalog", "http-api", 3, "python", ["analytics-warehouse", "product-service"]),
  p("image-service", "catalog", "http-api", 3, "rust", ["config-service"]),
  p("inventory-sync", "catalog", "consumer", 2, "go", ["event-bus", "inventory-service"]),
  // checkout
  p("cart-service", "checkout", "http-api", 1, "typescript", [
    "session-cache",
    "pricing-service",
    "inventory-service",
    "service-kit",
  ]),
  p("payment-gateway", "checkout", "http-api", 1, "java", ["payments-db", "config-service", "audit-trail"]),
  p("fraud-detection", "checkout", "http-api", 1, "python", [
    "payments-db",
    "analytics-warehouse",
    "user-profile",
  ]),
  p("order-service", "checkout", "http-api", 1, "java", [
    "orders-db",
    "event-bus",
    "cart-service",
    "payment-gateway",
    "fraud-detection",
  ]),
  p("tax-service", "checkout", "http-api", 2, "go", ["config-service"]),
  p("shipping-service", "checkout", "http-api", 2, "go", ["orders-db", "inventory-service", "event-bus"]),
  p("promotions-service", "checkout", "http-api", 2, "typescript", ["pricing-service", "feature-flags"]),
  p("invoice-generator", "checkout", "consumer", 3, "python", ["event-bus", "order-service", "tax-service"]),
  p("order-events", "checkout", "consumer", 2, "java", [
    "event-bus",
    "order-service",
    "notification-service",
  ]),
  p("refund-service", "checkout", "http-api", 2, "java", ["payment-gateway", "order-service"]),
  p("returns-service", "checkout", "http-api", 3, "typescript", [
    "order-service",
    "refund-service",
    "shipping-service",
  ]),
  // storefront
  p("web-bff", "storefront", "http-api", 1, "typescript", [
    "auth-service",
    "product-service",
    "search-service",
    "cart-service",
    "order-service",
    "recommendations",
    "rate-limiter",
  ]),
  p("mobile-bff", "storefront", "http-api", 1, "typescript", [
    "auth-service",
    "product-service",
    "cart-service",
    "order-service",
    "rate-limiter",
  ]),
  p("web-frontend", "storefront", "frontend", 1, "typescript", ["web-bff", "image-service", "feature-flags"]),
  p("admin-console", "storefront", "frontend", 3, "typescript", ["web-bff", "permissions-service"]),
  p("design-system", "storefront", "library", 3, "typescript"),
  p("storefront-ssr", "storefront", "frontend", 1, "typescript", ["web-bff", "design-system"]),
  p("seo-renderer", "storefront", "http-api", 3, "typescript", ["product-service", "storefront-ssr"]),
  p("sitemap-generator", "storefront", "consumer", 4, "typescript", ["product-service", "event-bus"]),
  p("cms-service", "storefront", "http-api", 3, "python", ["config-service"]),
  p("checkout-frontend", "storefront", "frontend", 1, "typescript", [
    "web-bff",
    "payment-gateway",
    "design-system",
  ]),
  p("account-frontend", "storefront", "frontend", 2, "typescript", [
    "web-bff",
    "user-profile",
    "design-system",
  ]),
  p("status-page", "platform", "frontend", 4, "typescript"),
  p("metrics-exporter", "platform", "consumer", 3, "go", ["event-bus", "analytics-warehouse"]),
  p("data-pipeline", "data", "consumer", 3, "python", ["event-bus", "analytics-warehouse", "orders-db"]),
  p("reporting-api", "data", "http-api", 3, "python", ["analytics-warehouse", "permissions-service"]),
  p("ml-training", "data", "consumer", 4, "python", ["analytics-warehouse"]),
  p("experiment-service", "data", "http-api", 3, "go", ["feature-flags", "analytics-warehouse"]),
];

/** A deterministic display name from a slug (`order-service` → `Order Service`). */
export const titleOf = (slug: string) =>
  slug
    .split("-")
    .map((w) =>
      w === "db" || w === "api" || w === "bff" || w === "ssr" || w === "sms" || w === "ml" || w === "seo"
        ? w.toUpperCase()
        : w[0]?.toUpperCase() + w.slice(1),
    )
    .join(" ");

interface DemoDeployment {
  environment: string;
  status: "pending" | "in_progress" | "success" | "failed" | "rolled_back";
  /** A release's version, or `ref:<sha>` for an unattached deployment (no release names it). */
  version: string;
}

interface DemoReleaseSet {
  project: string;
  /** Oldest first. */
  releases: { version: string; title: string; published?: boolean; blocker?: string }[];
  /** In the order they happened (the last one per environment is the current one). */
  deployments: DemoDeployment[];
}

const ok = (environment: string, version: string): DemoDeployment => ({
  environment,
  version,
  status: "success",
});

/**
 * Releases and deployments of a few services, so "what's deployed where" has answers on first run:
 * staging ahead of production (cart-service, web-bff), a failed run (payment-gateway), a blocked
 * release (auth-service), everything in sync (order-service) and an unattached deployment of a bare
 * commit (search-service in development).
 */
export const DEMO_RELEASES: DemoReleaseSet[] = [
  {
    project: "cart-service",
    releases: [
      { version: "1.3.0", title: "Saved carts", published: true },
      { version: "1.4.0", title: "Faster totals" },
      { version: "1.5.0", title: "Gift wrapping" },
    ],
    deployments: [
      ok("development", "1.3.0"),
      ok("staging", "1.3.0"),
      ok("production", "1.3.0"),
      ok("development", "1.4.0"),
      ok("staging", "1.4.0"),
      ok("development", "1.5.0"),
      ok("staging", "1.5.0"),
    ],
  },
  {
    project: "payment-gateway",
    releases: [
      { version: "2.0.0", title: "3-D Secure 2", published: true },
      { version: "2.1.0", title: "Retry declined cards" },
    ],
    deployments: [
      ok("staging", "2.0.0"),
      ok("production", "2.0.0"),
      ok("development", "2.1.0"),
      { environment: "staging", version: "2.1.0", status: "failed" },
    ],
  },
  {
    project: "order-service",
    releases: [{ version: "3.2.0", title: "Split shipments", published: true }],
    deployments: [ok("development", "3.2.0"), ok("staging", "3.2.0"), ok("production", "3.2.0")],
  },
  {
    project: "auth-service",
    releases: [
      { version: "1.0.0", title: "Passkeys", published: true },
      { version: "1.1.0", title: "Session rotation", blocker: "Fails the login smoke test in staging" },
    ],
    deployments: [ok("development", "1.0.0"), ok("staging", "1.0.0"), ok("production", "1.0.0")],
  },
  {
    project: "web-bff",
    releases: [
      { version: "4.1.0", title: "Wishlist API", published: true },
      { version: "4.2.0", title: "GraphQL persisted queries" },
    ],
    deployments: [ok("staging", "4.1.0"), ok("production", "4.1.0"), ok("staging", "4.2.0")],
  },
  {
    project: "search-service",
    releases: [{ version: "0.9.0", title: "Typo tolerance", published: true }],
    deployments: [ok("staging", "0.9.0"), ok("production", "0.9.0"), ok("development", "ref:7c1e9a4")],
  },
];
