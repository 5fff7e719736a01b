import { z } from "zod";
import { NO_TRUSTED_PROXIES, parseTrustedProxies, TrustedProxies } from "./client_ip.ts";
import { parseRateLimit } from "./kv/rate_limit.ts";

/** Cloudflare Hyperdrive binding: just the connection string we need. */
export interface HyperdriveBinding {
  connectionString: string;
}

/**
 * Cloudflare Queue producer binding: the score queue's (lib/scoring/queue_cloudflare.ts
 * `CloudflareQueueProducer` has the same shape; a real `Queue` satisfies both).
 */
export interface QueueBinding {
  send(body: unknown, opts?: { delaySeconds?: number }): Promise<unknown>;
  sendBatch(
    messages: { body: unknown; delaySeconds?: number }[],
    opts?: { delaySeconds?: number },
  ): Promise<unknown>;
}

const BOOL_WORDS = ["true", "false", "1", "0", "yes", "no", "on", "off"];
const bool = z
  .union([z.boolean(), z.string()])
  .refine((v) => typeof v === "boolean" || BOOL_WORDS.includes(v.toLowerCase()), {
    message: `expected a boolean (${BOOL_WORDS.join(", ")})`,
  })
  .transform((v) => (typeof v === "boolean" ? v : ["true", "1", "yes", "on"].includes(v.toLowerCase())));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const rate = z.string().refine(
  (v) => {
    try {
      parseRateLimit(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: "expected '<n>/<second|minute|hour|day>', e.g. 5/minute" },
);
const origins = z.union([z.array(z.string()), z.string()]).transform((v, ctx) => {
  if (Array.isArray(v)) return v;
  const s = v.trim();
  if (s === "") return [];
  if (s.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed) && parsed.every((o) => typeof o === "string")) return parsed as string[];
    } catch {
      // fall through to the issue below
    }
    ctx.addIssue({ code: "custom", message: "expected a JSON array of origins" });
    return z.NEVER;
  }
  return s
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
});

// Parsed once here, so a bad entry fails boot and requests reuse the compiled ranges.
const trustedProxies = z
  .union([z.custom<TrustedProxies>((v) => v instanceof TrustedProxies), z.array(z.string()), z.string()])
  .transform((v, ctx) => {
    if (typeof v === "object" && !Array.isArray(v)) return v as TrustedProxies;
    try {
      return parseTrustedProxies(v as string | string[]);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });

/**
 * Every setting Imbi reads, with the names of the reference's configuration document.
 * On Node these come from env vars and config.toml; on Workers from vars, secrets and bindings.
 */
export const zEnv = z.object({
  ENVIRONMENT: z.enum(["development", "test", "staging", "production"]).default("development"),
  IMBI_API_HOST: z.string().default("localhost"),
  // Kubernetes injects `<SERVICE>_PORT=tcp://ip:port`; take the port from such a value.
  IMBI_API_PORT: z
    .preprocess(
      (v) => (typeof v === "string" && v.startsWith("tcp://") ? v.split(":").pop() : v),
      int(0, 65535),
    )
    .default(8000),
  IMBI_API_URL: z.string().default(""),
  IMBI_API_CORS_ALLOWED_ORIGINS: origins.default([]),
  IMBI_API_FORWARDED_ALLOW_IPS: trustedProxies.default(NO_TRUSTED_PROXIES),
  IMBI_API_MAX_BODY_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  IMBI_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  IMBI_ACCESS_LOG: bool.default(true),
  // The web app (apps/web) at `/`, `/login` and `/o/…`; false serves the API alone.
  IMBI_WEB_APP: bool.default(true),
  IMBI_DATA_DIR: z.string().default("./.imbi"),
  // Unset: the embedded Postgres is reachable only on a Unix socket in the data directory. Set: it
  // also listens on 127.0.0.1:<port> (0 = any free port) behind a generated password (`imbi db-url`).
  IMBI_EMBEDDED_PG_PORT: int(0, 65535).optional(),

  POSTGRES_URL: z.string().url().optional(),
  POSTGRES_GRAPH_NAME: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{2,62}$/, "graph names are ≥ 3 chars of [a-z0-9_]")
    .default("imbi"),
  POSTGRES_MAX_POOL_SIZE: int(1, 200).default(10),
  HYPERDRIVE: z
    .custom<HyperdriveBinding>((v) => typeof v === "object" && v !== null && "connectionString" in v)
    .optional(),

  CLICKHOUSE_URL: z.string().optional(),
  CLICKHOUSE_CONNECT_TIMEOUT: z.coerce.number().positive().default(10),

  // Score recomputation (docs/scoring-guide.md). SCORE_QUEUE is the Cloudflare Queues producer binding.
  SCORE_QUEUE: z
    .custom<QueueBinding>((v) => typeof v === "object" && v !== null && "send" in v && "sendBatch" in v)
    .optional(),
  IMBI_SCORE_DEBOUNCE_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  IMBI_SCORE_CONSUMER: z.enum(["inline", "off"]).default("inline"),
  IMBI_SCORE_MAX_ATTEMPTS: int(1, 100).default(5),
  IMBI_SCORE_CLAIM_IDLE_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  IMBI_SCORE_DAILY_HOUR_UTC: int(0, 23).default(6),

  // Releases (docs/releases.md): the format a release's version must have.
  IMBI_RELEASES_VERSION_FORMAT: z.enum(["semver", "calver", "any"]).default("semver"),

  VALKEY_URL: z.string().optional(),
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),

  IMBI_AUTH_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  IMBI_AUTH_JWT_ALGORITHM: z.enum(["HS256"]).default("HS256"),
  IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS: int(60, 86_400).default(3600),
  IMBI_AUTH_REFRESH_TOKEN_EXPIRE_SECONDS: int(300, 365 * 86_400).default(2_592_000),
  IMBI_AUTH_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  IMBI_AUTH_PASSWORD_MIN_LENGTH: int(8, 256).default(12),
  IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE: bool.default(true),
  IMBI_AUTH_PASSWORD_REQUIRE_LOWERCASE: bool.default(true),
  IMBI_AUTH_PASSWORD_REQUIRE_DIGIT: bool.default(true),
  IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL: bool.default(true),
  IMBI_AUTH_MAX_CONCURRENT_SESSIONS: int(1, 1000).default(5),
  // A session not refreshed for this long ends (idle timeout); the refresh token's own lifetime
  // (IMBI_AUTH_REFRESH_TOKEN_EXPIRE_SECONDS) bounds it absolutely.
  IMBI_AUTH_SESSION_TIMEOUT_SECONDS: int(300, 365 * 86_400).default(86_400),
  // A refresh token used again within this many seconds of its first use gets a fresh token of the
  // same session instead of ending it (a page reloaded while its refresh was in flight); 0 = never.
  IMBI_AUTH_REFRESH_REUSE_GRACE_SECONDS: int(0, 300).default(30),
  IMBI_AUTH_RATE_LIMIT_LOGIN: rate.default("5/minute"),
  // Failed logins per account from one address (429 for that address only), and per account from
  // all addresses (past it attempts are slowed, never refused): lib/auth/login_limits.ts.
  IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES: rate.default("10/hour"),
  IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT: rate.default("100/hour"),
  IMBI_AUTH_RATE_LIMIT_TOKEN_REFRESH: rate.default("10/minute"),
  // Machine identities (issue 10): requests per API key; POST /api/auth/token per client address
  // and per client id (brute force of client secrets and assertions).
  IMBI_AUTH_RATE_LIMIT_API_KEY: rate.default("600/minute"),
  IMBI_AUTH_RATE_LIMIT_TOKEN: rate.default("10/minute"),
  // Tool calls on /mcp per actor (issue 11): a tool error result past it, the call not run.
  IMBI_MCP_RATE_LIMIT: rate.default("120/minute"),
  IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS: int(1, 3650).default(365),
  IMBI_AUTH_COOKIE_SECURE: bool.optional(),
  // The OAuth authorization server (issue 11): RFC 7591 dynamic registration of public clients
  // (MCP clients register themselves), limited per client address.
  IMBI_AUTH_DCR_ENABLED: bool.default(true),
  IMBI_AUTH_RATE_LIMIT_DCR: rate.default("10/hour"),

  // Outbound webhooks (issue 13, docs/automations.md). Targets on private, loopback and link-local
  // addresses (and plain http, to loopback only) are refused unless this development allowance is on.
  IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS: bool.default(false),
  IMBI_WEBHOOKS_TIMEOUT_SECONDS: z.coerce.number().positive().max(60).default(10),
  // Attempts per delivery before it is dead-lettered; the wait doubles from the base after each failure.
  IMBI_WEBHOOKS_MAX_ATTEMPTS: int(1, 50).default(8),
  IMBI_WEBHOOKS_RETRY_BASE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  IMBI_WEBHOOKS_RETRY_MAX_SECONDS: z.coerce.number().min(0).max(86_400).default(3600),
  // Circuit breaker: after this many consecutive failed attempts a subscription rests this long.
  IMBI_WEBHOOKS_BREAKER_THRESHOLD: int(1, 1000).default(10),
  IMBI_WEBHOOKS_BREAKER_COOLDOWN_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  // Inbound webhooks (the gateway, ADR 0014): the largest body the receiver accepts, the replay
  // window of the generic X-Imbi-Signature scheme, and how long processed deliveries are kept.
  IMBI_WEBHOOKS_MAX_BODY_BYTES: int(1024, 26_214_400).default(1_048_576),
  IMBI_WEBHOOKS_SIGNATURE_TOLERANCE_SECONDS: int(1, 86_400).default(300),
  IMBI_WEBHOOKS_RECEIPT_RETENTION_DAYS: int(1, 3650).default(30),
  // Deliveries one webhook accepts (a runaway sender gets 429s, not the database).
  IMBI_WEBHOOKS_RATE_LIMIT: rate.default("600/minute"),
  // The Cloudflare Queues producer binding that carries received deliveries to this Worker's
  // queue() (wrangler.toml); without it deliveries are processed after the response.
  WEBHOOK_QUEUE: z
    .custom<QueueBinding>((v) => typeof v === "object" && v !== null && "send" in v && "sendBatch" in v)
    .optional(),

  // The organization whose roles grant permissions on global resources (users, roles,
  // organizations, blueprints, scoring policies), next to is_admin (ADR 0009).
  IMBI_SYSTEM_ORGANIZATION: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/, "an organization slug")
    .default("default"),
  IMBI_ADMIN_EMAIL: z.string().email().optional(),
  // Imbi's own service accounts, made by `imbi setup` (lib/identity/internal_accounts.ts): pinned
  // credentials, else generated once and printed once.
  IMBI_SCHEDULER_SA_CLIENT_ID: z.string().optional(),
  IMBI_SCHEDULER_SA_CLIENT_SECRET: z.string().optional(),
  ACTIONS_IMBI_TOKEN: z.string().optional(),
  IMBI_ADMIN_PASSWORD: z.string().optional(),
});

/** The validated configuration every part of the app reads. */
export type Env = z.output<typeof zEnv>;
/** Raw input: strings from the environment, or typed values from config.toml / bindings. */
export type RawEnv = Record<string, unknown>;

/** Thrown at boot with every bad setting listed, so an operator fixes them in one go. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Validates raw settings; outside development the JWT secret and encryption key are mandatory. */
export function parseEnv(raw: RawEnv): Env {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = zEnv.safeParse(cleaned);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  // Cross-field rules read the raw values too, so one boot reports every problem at once.
  const environment = String(cleaned.ENVIRONMENT ?? "development");
  if (environment !== "development" && environment !== "test") {
    if (!cleaned.IMBI_AUTH_JWT_SECRET) problems.push("IMBI_AUTH_JWT_SECRET: required outside development");
    if (!cleaned.IMBI_AUTH_ENCRYPTION_KEY)
      problems.push("IMBI_AUTH_ENCRYPTION_KEY: required outside development");
  }
  if (cleaned.UPSTASH_REDIS_REST_URL && !cleaned.UPSTASH_REDIS_REST_TOKEN)
    problems.push("UPSTASH_REDIS_REST_TOKEN: required when UPSTASH_REDIS_REST_URL is set");
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new ConfigError(problems);
}

/** The path prefix the API is mounted under (the path of IMBI_API_URL, default `/api`). */
export function apiPrefix(env: Pick<Env, "IMBI_API_URL">): string {
  if (!env.IMBI_API_URL) return "/api";
  const path = new URL(env.IMBI_API_URL, "http://x").pathname.replace(/\/+$/, "");
  return path === "" ? "/api" : path;
}
