import "reflect-metadata";
import cluster from "node:cluster";
import { loadConfig, loadEnvFile, ConfigError } from "./config";
import { reportConfigError } from "./config/config-report";
import { createLogger } from "./logger";
import { runPrimary } from "./cluster";
import { EmbeddedDatabaseInUseError } from "./db/embedded-lock";

async function main() {
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config.workers, logger);
  // Tracing patches node's http, so it starts before the app is loaded (each worker starts its
  // own); without OTEL_EXPORTER_OTLP_ENDPOINT none of its modules is ever loaded.
  const tracing = config.tracing ? (await import("./tracing/start")).startTracing(config.tracing, logger) : undefined;
  const { createApp } = await import("./app");
  const app = await createApp({ config, logger });

  // The handlers are in place before "listening" is announced: until process.on is called a
  // SIGTERM takes the default action and kills the process without draining or releasing anything.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await tracing?.shutdown();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  const url = await app.listen();
  logger.info({ url: `${url}/graphql`, database: app.database.kind }, "Latchkey is listening");
}

main().catch((error) => {
  // A setting the operator must fix (found while parsing, or when the data cannot be read with it): exit code 2.
  if (error instanceof ConfigError) {
    reportConfigError(error, createLogger("info"));
    process.exit(2);
  }
  if (error instanceof EmbeddedDatabaseInUseError) {
    // Another server or command has DATA_DIR's database open: one line saying so, not a stack.
    createLogger("info").fatal({ dataDir: error.dataDir, holderPid: error.holder?.pid }, error.message);
    process.exit(1);
  }
  createLogger("info").fatal({ err: error }, "failed to start");
  process.exit(1);
});
