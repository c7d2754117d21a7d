// Operator commands: `npm run admin -- promote <username>` / `demote <username>`.
// Works on DATABASE_URL, or on the embedded database in DATA_DIR (stop the server first:
// the embedded database belongs to one process). Logs JSON lines.
import "reflect-metadata";
import { loadConfig, loadEnvFile } from "../src/config";
import { createLogger } from "../src/logger";
import { openConfiguredDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrate";
import { createServices } from "../src/services";
import { systemClock } from "../src/common/clock";
import { AppError } from "../src/common/app-error";
import { normalizeUsername } from "../src/accounts/identity-rules";

const COMMANDS = { promote: "ADMIN", demote: "USER" } as const;

async function main(): Promise<number> {
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const [command, username] = process.argv.slice(2);
  if (!(command in COMMANDS) || !username) {
    logger.error({ usage: "npm run admin -- promote <username> | demote <username>" }, "unknown command");
    return 2;
  }
  const database = await openConfiguredDatabase(config, { poolSize: 2 });
  try {
    await applyMigrations(database.adapterFactory, logger);
    const services = createServices(database, config, systemClock, logger);
    const role = COMMANDS[command as keyof typeof COMMANDS];
    const { user, previous } = await services.admin.setRoleByUsername(
      { actorId: null, origin: { ip: null, userAgent: `latchkey admin ${command}` } },
      normalizeUsername(username.trim()),
      role,
    );
    logger.info({ command, username: user.username, userId: user.id, from: previous, to: user.role }, previous === role ? "role unchanged" : "role changed");
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      logger.error({ command, username, code: error.code }, error.message);
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
    createLogger("info").fatal({ err: error }, "admin command failed");
    process.exit(1);
  },
);
