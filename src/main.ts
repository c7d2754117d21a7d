import "reflect-metadata";
import cluster from "node:cluster";
import { loadConfig, ConfigError } from "./config";
import { createLogger } from "./logger";
import { createApp } from "./app";
import { runPrimary } from "./cluster";
import { EmbeddedDatabaseInUseError } from "./db/embedded-lock";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      createLogger("info").fatal({ problem: error.message }, "invalid configuration");
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config.workers, logger);
  const app = await createApp({ config, logger });
  const url = await app.listen();
  logger.info({ url: `${url}/graphql`, database: app.database.kind }, "Latchkey is listening");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  if (error instanceof EmbeddedDatabaseInUseError) {
    // Another server or command has DATA_DIR's database open: one line saying so, not a stack.
    createLogger("info").fatal({ dataDir: error.dataDir, holderPid: error.holder?.pid }, error.message);
    process.exit(1);
  }
  createLogger("info").fatal({ err: error }, "failed to start");
  process.exit(1);
});
