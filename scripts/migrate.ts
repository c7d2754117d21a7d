// Applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR, while no
// server has it open: it refuses otherwise) and exits.
import "reflect-metadata";
import { loadConfig, loadEnvFile } from "../src/config";
import { createLogger } from "../src/logger";
import { openConfiguredDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrate";
import { exitOnKnownFailure } from "./known-failures";

async function main() {
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config, { poolSize: 2 });
  try {
    const applied = await applyMigrations(database.adapterFactory, logger);
    logger.info({ applied, database: database.kind }, applied.length ? "migrations applied" : "nothing to apply");
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  exitOnKnownFailure(error);
  createLogger("info").fatal({ err: error }, "migration failed");
  process.exit(1);
});
