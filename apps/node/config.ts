import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import type { RawEnv } from "../../lib/env.ts";

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

/** Reads settings from config.toml files and the environment (env wins). */
export async function loadRawConfig(
  env: NodeJS.ProcessEnv = process.env,
  paths = CONFIG_PATHS,
): Promise<RawEnv> {
  const merged: RawEnv = {};
  for (const p of [...paths].reverse()) {
    if (!existsSync(p)) continue;
    try {
      Object.assign(merged, flattenToml(parseToml(await readFile(p, "utf8")) as Record<string, unknown>));
    } catch (e) {
      throw new Error(`Cannot read ${resolve(p)}: ${(e as Error).message}`);
    }
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") merged[k] = v;
  return merged;
}

/**
 * Development and the embedded default: generate the JWT secret and encryption key once and keep
 * them in the data directory (mode 0600), so restarts keep issued tokens and encrypted data valid.
 */
export async function ensureLocalSecrets(raw: RawEnv, dataDir: string): Promise<RawEnv> {
  const file = join(dataDir, "secrets.json");
  await mkdir(dataDir, { recursive: true });
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
  let changed = false;
  for (const key of ["IMBI_AUTH_JWT_SECRET", "IMBI_AUTH_ENCRYPTION_KEY"]) {
    if (raw[key]) continue;
    if (!stored[key]) {
      stored[key] = randomBytes(32).toString("base64url");
      changed = true;
    }
  }
  if (changed) {
    await writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return { ...stored, ...raw };
}
