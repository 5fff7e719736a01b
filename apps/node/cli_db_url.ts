// `imbi db-url`: the only place the embedded database's TCP password is ever shown. Kept apart
// from cli_commands.ts so it loads no store or route code and answers at once.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../lib/env.ts";
import { UsageError } from "./cli_usage.ts";
import { embeddedPgPassword, loadConfig } from "./config.ts";
import { SOCKET_FILE, socketDirFor, socketUrl, tcpUrl } from "./embedded/socket.ts";

const failure = (message: string) => Object.assign(new Error(message), { exitCode: 2 });

/** Prints the URL on stdout (for `psql "$(imbi db-url)"`); notes go to stderr. */
export async function dbUrl(flags: Record<string, string | boolean | undefined>): Promise<number> {
  if (flags.socket && flags.tcp) throw new UsageError("choose one of --socket and --tcp", "db-url");
  const { env } = await loadConfig().catch((e: unknown) => {
    throw e instanceof ConfigError ? failure(e.message) : e;
  });
  if (env.POSTGRES_URL)
    throw failure(
      "POSTGRES_URL is set, so the embedded database is not used; connect to POSTGRES_URL instead",
    );
  const port = env.IMBI_EMBEDDED_PG_PORT;
  if (flags.tcp || (!flags.socket && port !== undefined)) {
    if (!port)
      throw failure(
        "the embedded database has no fixed TCP port: set IMBI_EMBEDDED_PG_PORT (e.g. 5433) and restart `imbi serve`, or use --socket",
      );
    process.stdout.write(`${tcpUrl(port, await embeddedPgPassword(env.IMBI_DATA_DIR))}\n`);
    return 0;
  }
  const dir = socketDirFor(env.IMBI_DATA_DIR);
  if (!existsSync(join(dir, SOCKET_FILE)))
    process.stderr.write("imbi: note: nothing listens there now; it is served while `imbi serve` runs\n");
  process.stdout.write(`${socketUrl(dir)}\n`);
  return 0;
}
