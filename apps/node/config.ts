import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { type Env, parseEnv, type RawEnv } from "../../lib/env.ts";

/** config.toml sections and the env-name prefix their keys get (reference naming). */
const SECTIONS: Record<string, string> = {
  server: "IMBI_API_",
  postgres: "POSTGRES_",
  clickhouse: "CLICKHOUSE_",
  valkey: "VALKEY_",
  upstash: "UPSTASH_REDIS_REST_",
  auth: "IMBI_AUTH_",
  admin: "IMBI_ADMIN_",
  scoring: "IMBI_SCORE_",
  webhooks: "IMBI_WEBHOOKS_",
  releases: "IMBI_RELEASES_",
};

/** The config.toml files consulted, first match wins per key. */
export const CONFIG_PATHS = [
  "./config.toml",
  join(homedir(), ".config/imbi/config.toml"),
  "/etc/imbi/config.toml",
];

/** Flattens one config.toml into env-style names (`[server] port` → IMBI_API_PORT). */
export function flattenToml(doc: Record<string, unknown>): RawEnv {
  const out: RawEnv = {};
  for (const [key, value] of Object.entries(doc)) {
    const prefix = SECTIONS[key];
    if (prefix && typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) out[`${prefix}${k.toUpperCase()}`] = v;
    } else out[key.toUpperCase()] = value;
  }
  return out;
}

/** Settings plus where they came from, for the boot log. */
export interface RawConfig {
  raw: RawEnv;
  /** The config.toml files that exist and were read, in the order of CONFIG_PATHS. */
  files: string[];
}

/** Reads settings from config.toml files and the environment (env wins), noting which files were read. */
export async function readRawConfig(
  env: NodeJS.ProcessEnv = process.env,
  paths = CONFIG_PATHS,
): Promise<RawConfig> {
  const merged: RawEnv = {};
  const files: string[] = [];
  for (const p of [...paths].reverse()) {
    if (!existsSync(p)) continue;
    try {
      Object.assign(merged, flattenToml(parseToml(await readFile(p, "utf8")) as Record<string, unknown>));
    } catch (e) {
      throw new Error(`Cannot read ${resolve(p)}: ${(e as Error).message}`);
    }
    files.unshift(resolve(p));
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") merged[k] = v;
  return { raw: merged, files };
}

/** Reads settings from config.toml files and the environment (env wins). */
export async function loadRawConfig(
  env: NodeJS.ProcessEnv = process.env,
  paths = CONFIG_PATHS,
): Promise<RawEnv> {
  return (await readRawConfig(env, paths)).raw;
}

/**
 * Creates the data directory, or tightens an existing one, to mode 0700: it holds the database
 * files (PGlite writes them world-readable), the generated secrets and the database socket, so no
 * other local user may enter it — the rule Postgres applies to its own data directory.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await stat(dir);
  const uid = process.getuid?.();
  if ((st.mode & 0o077) !== 0 && (uid === undefined || st.uid === uid)) await chmod(dir, 0o700);
}

/**
 * The generated secrets of a data directory (`secrets.json`, mode 0600): returns the stored ones
 * and generates each of `keys` that is missing, once, so every later start gets the same value.
 */
export async function dataDirSecrets(dataDir: string, keys: string[]): Promise<Record<string, string>> {
  const file = join(dataDir, "secrets.json");
  await ensurePrivateDir(dataDir);
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
  const missing = keys.filter((k) => !stored[k]);
  if (missing.length) {
    for (const key of missing) stored[key] = randomBytes(32).toString("base64url");
    // Written to a private temp file and renamed, so a crash never leaves a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(stored, null, 2), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  }
  return stored;
}

/** The secret name of the embedded database's TCP password (only asked for on IMBI_EMBEDDED_PG_PORT). */
export const EMBEDDED_PG_PASSWORD = "IMBI_EMBEDDED_PG_PASSWORD";

/** The embedded database's password for loopback TCP, generated once per data directory. */
export async function embeddedPgPassword(dataDir: string): Promise<string> {
  return (await dataDirSecrets(dataDir, [EMBEDDED_PG_PASSWORD]))[EMBEDDED_PG_PASSWORD] as string;
}

/**
 * Development and the embedded default: generate the JWT secret and encryption key once and keep
 * them in the data directory (mode 0600), so restarts keep issued tokens and encrypted data valid.
 */
export async function ensureLocalSecrets(raw: RawEnv, dataDir: string): Promise<RawEnv> {
  const keys = ["IMBI_AUTH_JWT_SECRET", "IMBI_AUTH_ENCRYPTION_KEY"].filter((k) => !raw[k]);
  const stored = await dataDirSecrets(dataDir, keys);
  const { [EMBEDDED_PG_PASSWORD]: _, ...secrets } = stored;
  return { ...secrets, ...raw };
}

/** The validated settings and the config.toml files they were read from. */
export interface LoadedConfig {
  env: Env;
  files: string[];
}

/** Loads config.toml + env, fills development secrets from the data dir, and validates. */
export async function loadConfig(overrides: RawEnv = {}): Promise<LoadedConfig> {
  const { raw: fromFiles, files } = await readRawConfig();
  let raw = { ...fromFiles, ...overrides };
  const environment = String(raw.ENVIRONMENT ?? "development");
  if (environment === "development" || environment === "test")
    raw = await ensureLocalSecrets(raw, String(raw.IMBI_DATA_DIR ?? "./.imbi"));
  return { env: parseEnv(raw), files };
}
