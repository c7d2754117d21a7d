import "reflect-metadata";
import type http from "node:http";
import path from "node:path";
import type { Config } from "./config";
import { systemClock, type Clock } from "./common/clock";
import { createLogger, type Logger } from "./logger";
import { openConfiguredDatabase, type Database } from "./db/database";
import { applyMigrations } from "./db/migrate";
import { createRedis } from "./db/redis";
import { createServices, type Services } from "./services";
import { buildLatchkeySchema } from "./schema";
import { createHttpServer } from "./http-server";
import { BackgroundJobs } from "./background-jobs";
import { featureJobs } from "./feature-jobs";
import { periodicJob } from "./common/periodic-job";
import { ensurePrivateDir, restrictDataDirEntries, restrictUmask } from "./common/private-files";
import { projectRoot } from "./common/project-root";
import { adminConsole, serveAdminConsole } from "./admin";

export interface AppOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** Overrides DATA_DIR/pglite for the embedded database, e.g. "memory://" in tests. */
  pgliteDataDir?: string;
  /** Starts the embedded database as a copy of this data-directory dump (tests: a migrated template). */
  pgliteTemplate?: Blob;
}

export interface App {
  config: Config;
  database: Database;
  services: Services;
  /** Every background job of this process; close() stops them. */
  jobs: BackgroundJobs;
  server: http.Server;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** With METRICS_PORT, the base URL /metrics is served on, once listening. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/**
 * Composes one server process on a migrated database: the services, the HTTP server
 * (http-server.ts) and the background jobs (background-jobs.ts), with one close().
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel, undefined, config.logFormat);

  // Everything in DATA_DIR is owner-only (dirs 0700, files 0600): the embedded database's files,
  // avatars and the generated secret are no business of other local users.
  restrictUmask();
  try {
    ensurePrivateDir(config.dataDir);
  } catch (error) {
    // A read-only DATA_DIR still serves with DATABASE_URL (until an avatar or dev mail is written).
    logger.warn({ err: { message: (error as Error).message }, dataDir: config.dataDir }, "DATA_DIR cannot be made owner-only");
  }
  const database = await openConfiguredDatabase(config, {
    pgliteDataDir: options.pgliteDataDir,
    pgliteTemplate: options.pgliteTemplate,
    // A pooled connection the server dropped: pg's pool discards it; requests answer SERVICE_UNAVAILABLE.
    onConnectionError: (error) => logger.debug({ err: { message: error.message } }, "database connection lost"),
    // Another process may be writing the embedded database now: serving on would lose writes.
    onLockLost: (error) => {
      logger.fatal({ err: { message: error.message }, dataDir: config.dataDir }, "the embedded database's lock was lost; stopping");
      process.exit(1);
    },
  });
  await applyMigrations(database.adapterFactory, logger);
  const restrictDataDir = () =>
    restrictDataDirEntries(config.dataDir).then((changed) => {
      if (changed > 0) logger.debug({ changed }, "DATA_DIR entries made owner-only");
    });
  await restrictDataDir();
  const redis = config.redisUrl ? createRedis(config.redisUrl, logger) : undefined;
  const services = createServices(database, config, clock, logger, redis);
  await services.signingKeys.init();
  // The OpenID Provider signs with the key store's keys: made once they are loaded.
  await services.oidcProvider.start();
  // Recovery codes stored before they were keyed with APP_SECRET get their keyed hash.
  const upgradedCodes = await services.mfa.backupCodes.upgradeLegacyHashes();
  if (upgradedCodes > 0) logger.info({ upgraded: upgradedCodes }, "recovery code hashes keyed");
  // Uploads cut short by a crash leave temporary files (and a storage switch, unnamed rows); clear them at every start.
  const staleUploads = await services.avatarStorage.removeLeftovers();
  if (staleUploads > 0) logger.info({ removed: staleUploads }, "stale avatar uploads removed");
  if (config.admin) await services.adminBootstrap.ensure(config.admin, logger);

  const jobs = new BackgroundJobs(logger).register(
    ...featureJobs(services, config, logger),
    periodicJob("restrict-data-dir", config.maintenanceIntervalMs, restrictDataDir, logger),
  );
  const httpServer = await createHttpServer({ config, logger, database, redis, services, schema: await buildLatchkeySchema() });
  // The admin console's build (console/dist, made by `npm run build`) at GET /admin.
  serveAdminConsole(
    httpServer.server,
    adminConsole({ distDir: path.join(projectRoot(), "console", "dist"), logger, strictTransportSecurity: config.env !== "development" }),
  );
  jobs.start();

  let closed = false;
  const instance: App = {
    config,
    database,
    services,
    jobs,
    server: httpServer.server,
    listen: async () => {
      const url = await httpServer.listen();
      instance.metricsUrl = httpServer.metricsUrl;
      return url;
    },
    // Stop taking requests (in-flight ones finish), then the background jobs, then the database.
    close: async () => {
      if (closed) return;
      closed = true;
      await httpServer.stop();
      await jobs.stop();
      await services.hasher.close();
      await services.invalidationBus.close();
      // The last-use writes of personal access tokens run after their answers: let them land.
      await services.personalAccessTokens.settle();
      await database.close();
      await restrictDataDir().catch(() => undefined);
      redis?.disconnect();
    },
  };
  return instance;
}
