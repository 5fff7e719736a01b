// The `imbi` commands (cli.ts parses the arguments and loads this module only to run one).
// Each is a door (STYLE.md H19): flags in, verbs of lib/ called, a log line and a message out.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { hashPassword, passwordPolicyProblems } from "../../lib/auth/password.ts";
import { ConfigError, type Env } from "../../lib/env.ts";
import { type InternalAccountReport, seedInternalAccounts } from "../../lib/identity/internal_accounts.ts";
import { seedIdentity } from "../../lib/identity/setup.ts";
import { createUser, getCredentials, normalizeEmail, setPasswordHash } from "../../lib/identity/users.ts";
import type { Logger } from "../../lib/log.ts";
import { createTrackingRuntime } from "../../lib/runtime.ts";
import { createServices } from "../../lib/services.ts";
import { UsageError } from "./cli_usage.ts";
import { CONFIG_PATHS, loadConfig } from "./config.ts";
import { loadDemo } from "./demo/load.ts";
import {
  checkListenable,
  inProcessApi,
  migrateStores,
  nodeLogger,
  openStores,
  type Stores,
  serveStores,
  sharedClients,
} from "./host.ts";
import { startScoreWorker } from "./scores.ts";

type Flags = Record<string, string | boolean | undefined>;

/** Progress and results for a person, on stderr (stdout is the JSON log). */
function say(text: string): void {
  process.stderr.write(`imbi: ${text}\n`);
}

/**
 * Settings, with a bad one reported as a usage-level failure (exit 2) listing every problem, and
 * a log line naming the config.toml files read.
 */
async function configure(): Promise<{ env: Env; log: Logger }> {
  try {
    const { env, files } = await loadConfig();
    const log = nodeLogger(env);
    if (files.length) log.info("config loaded", { files });
    else
      log.info("no config.toml found; using the environment and defaults", {
        searched: CONFIG_PATHS.map((p) => resolve(p)),
      });
    return { env, log };
  } catch (e) {
    if (e instanceof ConfigError) throw Object.assign(new Error(e.message), { exitCode: 2 });
    throw e;
  }
}

/** Opens the stores, saying what takes the time (the first start creates the embedded database). */
async function open(env: Env): Promise<Stores> {
  if (env.POSTGRES_URL) say("connecting to PostgreSQL…");
  else {
    const dir = resolve(env.IMBI_DATA_DIR);
    const fresh = !existsSync(join(dir, "pgdata", "PG_VERSION"));
    say(
      fresh
        ? `creating the embedded database in ${dir} (first start; this takes a little longer)…`
        : `opening the embedded database in ${dir}…`,
    );
  }
  return openStores(env);
}

async function migrate(stores: Stores): Promise<void> {
  say("migrating…");
  const report = await migrateStores(stores);
  stores.log.info("migrated", { ...report });
}

/**
 * Seeds identity (and the demo with `demo`). Returns the one-time admin-password banner, if a
 * password was generated, for the caller to print once the server is up.
 */
async function setup(stores: Stores, demo: boolean): Promise<string | undefined> {
  const { env, log } = stores;
  const users = Number((await stores.graph.one("MATCH (u:User) RETURN count(u)"))?.v ?? 0);
  const adminEmail = env.IMBI_ADMIN_EMAIL ?? (users === 0 ? "admin@imbi.local" : undefined);
  if (users === 0) say("seeding permissions, roles, the default organization and the first administrator…");
  const report = await seedIdentity(stores.graph, { adminEmail, adminPassword: env.IMBI_ADMIN_PASSWORD });
  const counts = { permissions: report.permissions, systemRoles: report.roles };
  if (report.organizationCreated || report.adminCreated) {
    log.info("setup: initialized", {
      ...counts,
      ...(report.organizationCreated ? { organizationCreated: report.organizationCreated } : {}),
      ...(report.adminCreated
        ? {
            adminCreated: report.adminCreated,
            adminPassword: report.generatedPassword
              ? "generated (shown once on stderr)"
              : "IMBI_ADMIN_PASSWORD",
          }
        : {}),
    });
  } else {
    log.info("setup: already initialized; permissions and system roles are up to date", counts);
    say("already set up; nothing to seed");
  }
  const accounts = await seedInternal(stores);
  if (demo) await loadDemoOrganization(stores);
  const lines: string[] = [];
  if (report.generatedPassword)
    lines.push(
      "",
      "  First administrator created:",
      `    email:    ${report.adminCreated}`,
      `    password: ${report.generatedPassword}`,
      "  This password is shown once; change it with POST /api/users/{email}/password.",
    );
  for (const a of accounts) {
    if (!a.secret) continue;
    lines.push(
      "",
      a.slug === "imbi-scheduler"
        ? `  Service account ${a.slug}: client_id ${a.credentialId}, client_secret ${a.secret}`
        : `  Service account ${a.slug}: API key ${a.secret}`,
      `  Shown once; pin it with ${a.slug === "imbi-scheduler" ? "IMBI_SCHEDULER_SA_CLIENT_ID/_SECRET" : "ACTIONS_IMBI_TOKEN"} or rotate it through /api/service-accounts/${a.slug}.`,
    );
  }
  return lines.length ? [...lines, ""].join("\n") : undefined;
}

/** Imbi's own service accounts (lib/identity/internal_accounts.ts); their credentials never reach the log. */
async function seedInternal(stores: Stores): Promise<InternalAccountReport[]> {
  const { env } = stores;
  const runtime = createTrackingRuntime("node");
  const services = createServices(env, runtime, sharedClients(stores));
  try {
    const accounts = await seedInternalAccounts(
      services,
      {
        schedulerClientId: env.IMBI_SCHEDULER_SA_CLIENT_ID,
        schedulerClientSecret: env.IMBI_SCHEDULER_SA_CLIENT_SECRET,
        gatewayApiKey: env.ACTIONS_IMBI_TOKEN,
      },
      env.IMBI_SYSTEM_ORGANIZATION,
    );
    for (const a of accounts)
      stores.log.info("setup: internal service account", {
        slug: a.slug,
        created: a.created,
        credential: a.credential,
        credentialId: a.credentialId,
      });
    return accounts;
  } finally {
    await runtime.drain();
    await services.close();
  }
}

async function loadDemoOrganization(stores: Stores): Promise<void> {
  const admin = await stores.graph.one<{ email: string }>(
    "MATCH (u:User) WHERE u.is_admin = true RETURN u.email ORDER BY u.created_at LIMIT 1",
    {},
    ["email"],
  );
  if (!admin) throw new Error("--demo needs an administrator; set IMBI_ADMIN_EMAIL");
  say("loading the demo organization through the API…");
  const result = await loadDemo(await inProcessApi(stores, admin.email));
  stores.log.info(result.skipped ? "demo already loaded" : "demo loaded", { ...result });
  say(
    result.skipped
      ? "the demo organization is already loaded"
      : `demo organization loaded: ${result.projects} projects, ${result.dependencies} dependencies`,
  );
}

/** On SIGTERM/SIGINT: run `shutdown` once, then exit 0 (1 when it fails). */
function onSignals(log: Logger, shutdown: () => Promise<void>): void {
  const stop = (signal: string) => {
    log.info("signal received", { signal });
    shutdown().then(
      () => process.exit(0),
      (e: Error) => {
        log.error("shutdown failed", { error: e.message });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

/** Opens the stores for a one-shot command and closes them afterwards, also on failure. */
async function withStores<T>(env: Env, fn: (s: Stores) => Promise<T>): Promise<T> {
  const stores = await open(env);
  try {
    return await fn(stores);
  } finally {
    await stores.close();
  }
}

async function serve(flags: Flags): Promise<number> {
  const { env } = await configure();
  // Before anything is created: a busy port must not cost a printed-and-lost admin password.
  await checkListenable(env.IMBI_API_HOST, env.IMBI_API_PORT);
  const stores = await open(env);
  let banner: string | undefined;
  try {
    await migrate(stores);
    banner = await setup(stores, flags.demo === true);
    const host = await serveStores(stores);
    say(`ready at ${host.url} (API docs: ${host.url}/docs) — Ctrl-C stops it`);
    if (banner) process.stderr.write(`${banner}\n`);
    onSignals(stores.log, () => host.shutdown());
    return 0;
  } catch (e) {
    // The admin exists now; its password must not be lost with the failed start.
    if (banner) process.stderr.write(`${banner}\n`);
    await stores.close().catch(() => undefined);
    throw e;
  }
}

async function createAdmin(flags: Flags): Promise<number> {
  if (typeof flags.email !== "string" || flags.email.trim() === "")
    throw new UsageError(
      "--email is required, e.g. imbi create-admin --email ops@example.com",
      "create-admin",
    );
  const given = typeof flags.password === "string" ? flags.password : undefined;
  const { env } = await configure();
  const email = normalizeEmail(flags.email);
  const password = given ?? `${crypto.randomUUID()}-Aa1!`;
  const problems = passwordPolicyProblems(password, env);
  if (problems.length) throw Object.assign(new Error(`password ${problems.join(", ")}`), { exitCode: 2 });
  await withStores(env, async (s) => {
    await migrateStores(s);
    await seedIdentity(s.graph, {});
    if (await getCredentials(s.graph, email)) {
      await setPasswordHash(s.graph, email, await hashPassword(password));
      await s.graph.query(
        "MATCH (u:User {email: $email}) SET u.is_admin = true, u.is_active = true RETURN u",
        {
          email,
        },
      );
      s.log.info("administrator password reset", { email });
    } else {
      await createUser(s.graph, { email, display_name: "Administrator", password, is_admin: true });
      s.log.info("administrator created", { email });
    }
  });
  say(`administrator ${email} ready${given ? "" : ` — password: ${password} (shown once)`}`);
  return 0;
}

async function consumeScores(): Promise<number> {
  const { env } = await configure();
  const stores = await open(env);
  if (stores.scoreQueue.kind !== "redis") {
    await stores.close();
    throw new Error(
      "consume-scores needs a shared queue: set VALKEY_URL (or UPSTASH_REDIS_REST_URL); with the in-process " +
        "queue the consumer runs inside `imbi serve`",
    );
  }
  const worker = startScoreWorker(env, sharedClients(stores));
  onSignals(stores.log, () => worker.stop().then(() => stores.close()));
  return 0;
}

/** Runs one parsed command; resolves to its exit code (long-running commands once started). */
export async function run(command: string, flags: Flags): Promise<number> {
  switch (command) {
    case "serve":
      return serve(flags);
    case "migrate": {
      const { env } = await configure();
      await withStores(env, migrate);
      return 0;
    }
    case "setup": {
      const { env } = await configure();
      const banner = await withStores(env, async (s) => {
        await migrate(s);
        return setup(s, flags.demo === true);
      });
      if (banner) process.stderr.write(`${banner}\n`);
      return 0;
    }
    case "create-admin":
      return createAdmin(flags);
    case "consume-scores":
      return consumeScores();
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}
