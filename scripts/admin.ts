// Operator commands on accounts' roles: `npm run admin -- --help` (in the image:
// `node dist/scripts/admin.js --help`). Works on DATABASE_URL, or on the embedded database in
// DATA_DIR while no server has it open (it refuses otherwise). Each change is logged as a JSON
// line on stdout and told in plain words on stderr.
import "reflect-metadata";
import { loadConfig, loadEnvFile } from "../src/config";
import { createLogger } from "../src/logger";
import { openConfiguredDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrate";
import { createServices } from "../src/services";
import { systemClock } from "../src/common/clock";
import { AppError } from "../src/common/app-error";
import { normalizeUsername } from "../src/accounts/identity-rules";
import { exitOnKnownFailure } from "./known-failures";

const ROLES = ["USER", "MODERATOR", "ADMIN"] as const;
type Role = (typeof ROLES)[number];

const USAGE = `Usage: npm run admin -- <command> [arguments]
       node dist/scripts/admin.js <command> [arguments]   (built, as in the image)

Commands:
  promote <username>          make the account an ADMIN
  demote <username>           make the account a USER
  role <username> <role>      set the account's role: USER, MODERATOR or ADMIN
  help, --help                print this text

Works on DATABASE_URL, or on the embedded database in DATA_DIR while no server has it open.
Each change is recorded in the audit trail as ROLE_CHANGED, with no actor.
Exit codes: 0 done (or nothing to change), 1 failed (no such account, the last ADMIN, database
in use), 2 unknown command or arguments.`;

type Parsed = { help: true } | { error: string } | { command: string; username: string; role: Role };

function parse(args: string[]): Parsed {
  const [command, username, role, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") return { help: true };
  const extra = (count: number) => (args.length > count ? { error: `too many arguments for ${command}` } : undefined);
  if (command === "promote" || command === "demote") {
    if (!username) return { error: `${command} needs a username` };
    return extra(2) ?? { command, username, role: command === "promote" ? "ADMIN" : "USER" };
  }
  if (command === "role") {
    if (!username || !role) return { error: "role needs a username and a role" };
    const wanted = role.toUpperCase();
    if (!(ROLES as readonly string[]).includes(wanted)) return { error: `unknown role "${role}" (USER, MODERATOR or ADMIN)` };
    return rest.length > 0 ? { error: "too many arguments for role" } : { command, username, role: wanted as Role };
  }
  return { error: `unknown command "${command}"` };
}

async function main(): Promise<number> {
  const parsed = parse(process.argv.slice(2));
  if ("help" in parsed) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ("error" in parsed) {
    process.stderr.write(`${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const { command, username, role } = parsed;
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config, { poolSize: 2 });
  try {
    await applyMigrations(database.adapterFactory, logger);
    const services = createServices(database, config, systemClock, logger);
    const { user, previous } = await services.admin.setRoleByUsername(
      { actorId: null, origin: { ip: null, userAgent: `latchkey admin ${command}` } },
      normalizeUsername(username.trim()),
      role,
    );
    const changed = previous !== role;
    logger.info({ command, username: user.username, userId: user.id, from: previous, to: user.role }, changed ? "role changed" : "role unchanged");
    process.stderr.write(
      changed
        ? `${user.username} is now ${user.role} (was ${previous}); recorded in the audit trail as ROLE_CHANGED.\n`
        : `${user.username} is already ${user.role}; nothing changed.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      logger.error({ command, username, code: error.code }, error.message);
      const reason = error.code === "NOT_FOUND" ? `no account is named "${username}"` : error.message;
      process.stderr.write(`Nothing changed: ${reason}.\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    exitOnKnownFailure(error);
    createLogger("info").fatal({ err: error }, "admin command failed");
    process.exit(1);
  },
);
