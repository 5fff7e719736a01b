import { parseArgs } from "node:util";
import { hashPassword, passwordPolicyProblems } from "../../lib/auth/password.ts";
import { seedIdentity } from "../../lib/identity/setup.ts";
import { createUser, getCredentials, normalizeEmail, setPasswordHash } from "../../lib/identity/users.ts";
import { loadDemo } from "./demo/load.ts";
import {
  exitOnConfigError,
  inProcessApi,
  loadEnv,
  migrateStores,
  openStores,
  type Stores,
  serveStores,
  sharedClients,
} from "./host.ts";
import { startScoreWorker } from "./scores.ts";

const USAGE = `imbi — DevOps service-management platform

Usage: imbi <command> [options]

Commands:
  serve [--demo] Run the API (embedded stores when POSTGRES_URL is unset). Migrates and, on a fresh
                 database, seeds permissions, roles, a default organization and the first admin.
  migrate        Apply graph, SQL and analytics migrations (idempotent).
  setup [--demo] Seed permissions, system roles, a default organization and the first admin
                 (IMBI_ADMIN_EMAIL / IMBI_ADMIN_PASSWORD, or a generated password printed once).
  create-admin   --email <email> [--password <pw>]  Create an administrator or reset its password.
  consume-scores Run only the score consumer (Redis Streams; needs VALKEY_URL or UPSTASH_REDIS_REST_URL),
                 to scale it apart from the API; pair with IMBI_SCORE_CONSUMER=off on the API hosts.

--demo also loads the demo organization (teams, types, environments, ~60 services with
dependencies) through the API, once.

Settings come from the environment and config.toml; see docs/configuration.md.`;

async function withStores<T>(fn: (s: Stores) => Promise<T>): Promise<T> {
  const env = await loadEnv().catch(exitOnConfigError);
  const stores = await openStores(env);
  try {
    return await fn(stores);
  } finally {
    await stores.close();
  }
}

async function setup(stores: Stores, demo = false): Promise<void> {
  const { env } = stores;
  const users = await stores.graph.one("MATCH (u:User) RETURN count(u)");
  const adminEmail = env.IMBI_ADMIN_EMAIL ?? (Number(users?.v ?? 0) === 0 ? "admin@imbi.local" : undefined);
  const report = await seedIdentity(stores.graph, { adminEmail, adminPassword: env.IMBI_ADMIN_PASSWORD });
  console.log(
    JSON.stringify({
      level: "info",
      msg: "setup complete",
      permissions: report.permissions,
      roles: report.roles,
      organization: report.organizationCreated,
      admin: report.adminCreated,
    }),
  );
  if (demo) {
    const admin = await stores.graph.one<{ email: string }>(
      "MATCH (u:User) WHERE u.is_admin = true RETURN u.email ORDER BY u.created_at LIMIT 1",
      {},
      ["email"],
    );
    if (!admin) throw new Error("--demo needs an administrator; set IMBI_ADMIN_EMAIL");
    const result = await loadDemo(await inProcessApi(stores, admin.email));
    console.log(
      JSON.stringify({
        level: "info",
        msg: result.skipped ? "demo already loaded" : "demo loaded",
        ...result,
      }),
    );
  }
  if (report.generatedPassword)
    console.log(
      `\n  First administrator created:\n    email:    ${report.adminCreated}\n    password: ${report.generatedPassword}\n  This password is shown once; change it with POST /api/users/{email}/password.\n`,
    );
}

/** On SIGTERM/SIGINT: run `shutdown` once, then exit 0 (1 when it fails). */
function onSignals(stores: Stores, shutdown: () => Promise<void>): void {
  const stop = (signal: string) => {
    stores.log.info("signal received", { signal });
    shutdown().then(
      () => process.exit(0),
      (e: Error) => {
        stores.log.error("shutdown failed", { error: e.message });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const flags = { demo: rest.includes("--demo") };
  switch (command) {
    case "serve": {
      const env = await loadEnv().catch(exitOnConfigError);
      const stores = await openStores(env);
      await migrateStores(stores);
      await setup(stores, flags.demo);
      const host = await serveStores(stores);
      onSignals(stores, () => host.shutdown());
      return;
    }
    case "consume-scores": {
      const env = await loadEnv().catch(exitOnConfigError);
      const stores = await openStores(env);
      if (stores.scoreQueue.kind !== "redis") {
        await stores.close();
        throw new Error(
          "consume-scores needs a shared queue: set VALKEY_URL (or UPSTASH_REDIS_REST_URL); with the in-process " +
            "queue the consumer runs inside `imbi serve`",
        );
      }
      const worker = startScoreWorker(env, sharedClients(stores));
      onSignals(stores, () => worker.stop().then(() => stores.close()));
      return;
    }
    case "migrate":
      await withStores(async (s) => {
        const report = await migrateStores(s);
        console.log(JSON.stringify({ level: "info", msg: "migrated", ...report }));
      });
      return;
    case "setup":
      await withStores(async (s) => {
        await migrateStores(s);
        await setup(s, flags.demo);
      });
      return;
    case "create-admin": {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: "string" }, password: { type: "string" } },
      });
      if (!values.email) throw new Error("create-admin needs --email");
      await withStores(async (s) => {
        await migrateStores(s);
        await seedIdentity(s.graph, {});
        const email = normalizeEmail(values.email as string);
        const password = values.password ?? `${crypto.randomUUID()}-Aa1!`;
        const problems = passwordPolicyProblems(password, s.env);
        if (problems.length) throw new Error(`password ${problems.join(", ")}`);
        if (await getCredentials(s.graph, email)) {
          await setPasswordHash(s.graph, email, await hashPassword(password));
          await s.graph.query(
            "MATCH (u:User {email: $email}) SET u.is_admin = true, u.is_active = true RETURN u",
            { email },
          );
        } else await createUser(s.graph, { email, display_name: "Administrator", password, is_admin: true });
        console.log(
          `administrator ${email} ready${values.password ? "" : ` — password: ${password} (shown once)`}`,
        );
      });
      return;
    }
    default:
      console.log(USAGE);
      if (command && command !== "help" && command !== "--help") process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(JSON.stringify({ level: "error", msg: e.message }));
  process.exit(1);
});
