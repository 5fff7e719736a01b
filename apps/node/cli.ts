// The `imbi` command. This module stays small and imports nothing heavy: `--help`, `--version`
// and usage errors answer at once, and each command loads what it needs (cli_commands.ts) only
// when it runs. Output contract: stdout carries the JSON log (one object per line) and a command's
// own data (`db-url`); everything meant for a person — progress, banners, errors — goes to stderr.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError } from "./cli_usage.ts";

/** Set by `npm run build` (scripts/build.mjs); absent when running the TypeScript sources. */
declare const IMBI_BUILD_INFO: { version: string; builtAt: string } | undefined;

interface CommandSpec {
  /** One line for the command list. */
  summary: string;
  /** The command's own help: usage line, then details. */
  help: string;
  options: Record<string, { type: "string" | "boolean"; short?: string }>;
  /** Options that must be given, with an example for the error message. */
  required?: Record<string, string>;
}

const COMMANDS: Record<string, CommandSpec> = {
  serve: {
    summary: "Run the API (embedded stores when POSTGRES_URL is unset).",
    help: `Usage: imbi serve [--demo]

Runs the API on IMBI_API_HOST:IMBI_API_PORT (default localhost:8000). Without POSTGRES_URL the
database is embedded under IMBI_DATA_DIR (default ./.imbi). Before listening it checks the port is
free, applies migrations and, on a fresh database, seeds permissions, roles, a default organization
and the first administrator (IMBI_ADMIN_EMAIL / IMBI_ADMIN_PASSWORD, or admin@imbi.local with a
generated password printed once on stderr).

Options:
  --demo       Also load the demo organization (teams, types, environments, ~60 services with
               dependencies) through the API, once.
  -h, --help   Show this help.`,
    options: { demo: { type: "boolean" } },
  },
  migrate: {
    summary: "Apply graph, SQL and analytics migrations (idempotent).",
    help: `Usage: imbi migrate

Applies the graph, SQL and analytics migrations and logs what it applied. Safe to run repeatedly
and from several processes at once.`,
    options: {},
  },
  setup: {
    summary: "Migrate, then seed permissions, roles, a default organization and the first admin.",
    help: `Usage: imbi setup [--demo]

Migrates, then seeds permissions, the system roles, a default organization and the first
administrator (IMBI_ADMIN_EMAIL / IMBI_ADMIN_PASSWORD, or admin@imbi.local with a generated
password printed once on stderr). Does nothing that is already done.

Options:
  --demo       Also load the demo organization through the API, once.
  -h, --help   Show this help.`,
    options: { demo: { type: "boolean" } },
  },
  "create-admin": {
    summary: "Create an administrator, or reset an existing one's password.",
    help: `Usage: imbi create-admin --email <email> [--password <password>]

Creates an administrator, or makes an existing user an active administrator with a new password.
Without --password one is generated and printed once on stderr.

Options:
  --email <email>        The administrator's email (required).
  --password <password>  Their password; must satisfy the password policy (IMBI_AUTH_PASSWORD_*).
  -h, --help             Show this help.`,
    options: { email: { type: "string" }, password: { type: "string" } },
    required: { email: "imbi create-admin --email ops@example.com" },
  },
  "consume-scores": {
    summary: "Run only the score consumer (needs VALKEY_URL or UPSTASH_REDIS_REST_URL).",
    help: `Usage: imbi consume-scores

Runs only the score consumer on the shared Redis Streams queue (VALKEY_URL or
UPSTASH_REDIS_REST_URL), to scale it apart from the API; pair it with IMBI_SCORE_CONSUMER=off on
the API hosts.`,
    options: {},
  },
  "db-url": {
    summary: "Print the embedded database's connection URL (with its password) for psql.",
    help: `Usage: imbi db-url [--socket | --tcp]

Prints the URL of the embedded database of IMBI_DATA_DIR, e.g. psql "$(imbi db-url)". The database
is served while \`imbi serve\` runs: on a Unix socket in the data directory (only its owner can
connect) and, when IMBI_EMBEDDED_PG_PORT is set, on 127.0.0.1:<port> behind a password generated
once per data directory. Connecting bypasses every API permission: keep the URL private.

Options:
  --socket     Print the Unix-socket URL (the default without IMBI_EMBEDDED_PG_PORT).
  --tcp        Print the TCP URL with the password (the default with IMBI_EMBEDDED_PG_PORT).
  -h, --help   Show this help.`,
    options: { socket: { type: "boolean" }, tcp: { type: "boolean" } },
  },
};

const USAGE = `imbi — DevOps service-management platform

Usage: imbi <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(15)}${c.summary}`)
  .join("\n")}

Run 'imbi <command> --help' for a command's options; 'imbi --version' for the version.
Settings come from the environment and config.toml; see docs/configuration.md.`;

function version(): string {
  if (typeof IMBI_BUILD_INFO !== "undefined")
    return `imbi ${IMBI_BUILD_INFO.version} (compiled build of ${IMBI_BUILD_INFO.builtAt})`;
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return `imbi ${pkg.version} (from source)`;
}

/** Parses one command's options strictly: unknown options and stray arguments are usage errors. */
function parseCommand(name: string, spec: CommandSpec, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code?.startsWith("ERR_PARSE_ARGS")) {
      const what = /'([^']+)'/.exec((e as Error).message)?.[1];
      const message =
        code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
          ? `unexpected argument '${what}'`
          : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
            ? ((e as Error).message.split(".")[0]?.replace(/^Option /, "option ") ?? "invalid option value")
            : `unknown option '${what}'`;
      throw new UsageError(message, name);
    }
    throw e;
  }
}

/** Runs the CLI; returns the exit code (a long-running command returns once it has started). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === "help" || command === "--help" || command === "-h") {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    process.stdout.write(`${topic ? topic.help : USAGE}\n`);
    return 0;
  }
  if (command === "--version" || command === "-V" || command === "version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command '${command}'`);
  const flags = parseCommand(command, spec, rest);
  if (flags.help) {
    process.stdout.write(`${spec.help}\n`);
    return 0;
  }
  for (const [option, example] of Object.entries(spec.required ?? {}))
    if (typeof flags[option] !== "string" || flags[option] === "")
      throw new UsageError(`--${option} is required, e.g. ${example}`, command);
  if (command === "db-url") return (await import("./cli_db_url.ts")).dbUrl(flags);
  return (await import("./cli_commands.ts")).run(command, flags);
}

/** How a failed command ends: usage mistakes say how to get help; failures say what went wrong. */
function fail(e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err instanceof UsageError) {
    process.stderr.write(`${err.command ? `imbi ${err.command}` : "imbi"}: ${err.message}\n`);
    process.stderr.write(
      err.command ? `Run 'imbi ${err.command} --help' for its options.\n` : `\n${USAGE}\n`,
    );
  } else {
    process.stderr.write(`imbi: ${err.message}\n`);
    if (process.env.IMBI_LOG_LEVEL === "debug" && err.stack) process.stderr.write(`${err.stack}\n`);
  }
  process.exitCode = (err as { exitCode?: number }).exitCode ?? 1;
}

main(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exitCode = code;
}, fail);
