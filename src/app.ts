import "reflect-metadata";
import http from "node:http";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import cors from "cors";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { Config } from "./config";
import { systemClock, type Clock } from "./common/clock";
import { createLogger, type Logger } from "./logger";
import { openConfiguredDatabase, type Database } from "./db/database";
import { applyMigrations } from "./db/migrate";
import { createServices, type Services } from "./services";
import { buildLatchkeySchema } from "./schema";
import { createContextBuilder } from "./context-builder";
import { createErrorFormatter } from "./graphql/format-error";
import { rejectNulCharacters } from "./graphql/nul-guard";
import { graphqlIde } from "./graphql/ide";
import type { GraphQLContext } from "./graphql/context";
import { startPeriodicJob } from "./common/periodic-job";
import { ensurePrivateDir, restrictDataDirEntries, restrictUmask } from "./common/private-files";
import helmet from "helmet";
import { createRedis } from "./db/redis";
import { queryLimitRules, queryLimitsPlugin } from "./graphql/query-limits.plugin";
import { graphqlMetricsPlugin } from "./metrics/graphql-metrics.plugin";
import { metricsOnMainPort, metricsRoute } from "./metrics/metrics-route";
import graphqlUploadExpress from "graphql-upload/graphqlUploadExpress.mjs";
import { avatarRoute } from "./accounts/avatar.route";
import { requestLog, type RequestWithId } from "./common/request-log";
import { batchTooLongError, graphqlOverHttp, requestErrorBody, type NodeMiddleware } from "./graphql/graphql-http";

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
  server: http.Server;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** With METRICS_PORT, the base URL /metrics is served on, once listening. */
  metricsUrl?: string;
  close(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}

/** Batched requests (a JSON array of operations) are allowed up to `max` operations. */
function batchCap(max: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const error = batchTooLongError(req.body, max);
    if (error) {
      res.status(400).json(error);
      return;
    }
    next();
  };
}

/**
 * The multipart parser's own failures (no boundary, a malformed part header) are the caller's
 * malformed request, not a server error: they get a 400 unless they carry a status already.
 * graphql-upload holds every response until the request body has been read to its end, and a
 * parser that failed at once reads none of it, so the rest is drained here or the answer would
 * never leave.
 */
function multipartUploads(parse: (req: Request, res: Response, next: NextFunction) => void) {
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (error) {
        if (typeof error === "object" && typeof (error as { status?: unknown }).status !== "number") Object.assign(error, { status: 400 });
        if (!req.readableEnded) req.resume();
      }
      next(error);
    });
}

/** Builds the HTTP server: /graphql, /healthz, /readyz and the JWKS, on a migrated database. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);

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
  // Recovery codes stored before they were keyed with APP_SECRET get their keyed hash.
  const upgradedCodes = await services.recoveryCodes.upgradeLegacyHashes();
  if (upgradedCodes > 0) logger.info({ upgraded: upgradedCodes }, "recovery code hashes keyed");
  const stopJobs = [
    startPeriodicJob("prune-sessions", config.maintenanceIntervalMs, () => services.sessionPruner.prune(), logger),
    startPeriodicJob("refresh-signing-keys", config.maintenanceIntervalMs, () => services.signingKeys.refresh(), logger),
    startPeriodicJob("prune-login-failures", config.maintenanceIntervalMs, () => services.lockout.prune(), logger),
    startPeriodicJob("prune-two-factor-challenges", config.maintenanceIntervalMs, () => services.twoFactorChallenges.prune(), logger),
    startPeriodicJob("prune-oauth-flows", config.maintenanceIntervalMs, () => services.oauth.pruneFlows(), logger),
    startPeriodicJob("prune-passkey-challenges", config.maintenanceIntervalMs, () => services.passkeys.challenges.prune(), logger),
    startPeriodicJob("remove-stale-avatar-uploads", config.maintenanceIntervalMs, () => services.avatarFiles.removeStaleTemps(), logger),
    startPeriodicJob("restrict-data-dir", config.maintenanceIntervalMs, restrictDataDir, logger),
  ];
  // Uploads cut short by a crash leave temporary files; clear the old ones at every start.
  const staleUploads = await services.avatarFiles.removeStaleTemps();
  if (staleUploads > 0) logger.info({ removed: staleUploads }, "stale avatar upload files removed");
  if (config.admin) await services.adminBootstrap.ensure(config.admin, logger);
  const auditPruning = services.auditRetention.startSchedule(logger);

  const app = express();
  app.disable("x-powered-by");
  const securityHeaders = helmet({
    // The IDE page sets its own policy; everything else is JSON or images.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: config.env === "development" ? false : { maxAge: 15552000, includeSubDomains: true },
    crossOriginResourcePolicy: { policy: "same-site" },
  });
  app.use(securityHeaders);
  // A hop count: the client is the address the outermost trusted proxy appended (see config.ts).
  app.set("trust proxy", config.trustProxy);
  // JSON POSTs to /graphql skip express (see graphql-http.ts); the rest of the routes follow.
  let graphqlPost: http.RequestListener = app;
  const server = http.createServer((req, res) => graphqlPost(req, res));

  const accessLog = requestLog(logger);
  app.use(accessLog);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  // Not ready while the database, or Redis when configured, does not answer (the contract);
  // without Redis the process still serves, on its fallbacks.
  app.get("/readyz", async (_req, res) => {
    try {
      await withTimeout(database.ping(), 2_000);
      if (redis) await withTimeout(redis.ping(), 2_000);
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });
  // Prometheus text: see metrics-route.ts for where it is served and to whom.
  const metrics = metricsRoute(services.metrics, config.metricsToken);
  if (metricsOnMainPort(config)) app.get("/metrics", metrics);
  let metricsServer: http.Server | undefined;
  if (config.metricsPort !== undefined) {
    const metricsApp = express();
    metricsApp.disable("x-powered-by");
    metricsApp.get("/metrics", metrics);
    metricsServer = http.createServer(metricsApp);
  }
  app.get("/.well-known/jwks.json", (_req, res) => {
    res.setHeader("cache-control", "public, max-age=300");
    res.json(services.signingKeys.jwks());
  });
  app.get("/avatars/:file", avatarRoute(services.avatarFiles));

  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildLatchkeySchema(),
    // Without introspection the schema is not public: error messages suggest no names either.
    formatError: createErrorFormatter(logger, { hideSuggestions: !config.introspection }),
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
    // main.ts owns shutdown: close HTTP, then Apollo, then the database.
    stopOnTerminationSignals: false,
    // A document is bounded in tokens before it is validated: graphql-js's own rules are linear
    // in it except OverlappingFieldsCanBeMerged, which compares same-named fields pairwise.
    parseOptions: { maxTokens: config.queryMaxTokens },
    validationRules: queryLimitRules({ maxDepth: config.queryMaxDepth, maxAliases: config.queryMaxAliases }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      // No field carries cache hints (answers about accounts are never cacheable); without this,
      // Apollo's cache-control plugin would still hook every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      queryLimitsPlugin({ maxCost: config.queryMaxCost }),
      graphqlMetricsPlugin(services.metrics),
    ],
    logger: {
      debug: (message) => logger.debug(message),
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
      error: (message) => logger.error(message),
    },
  });
  await apollo.start();

  if (config.ideEnabled) {
    const ide = graphqlIde();
    app.use("/ide", ide.assets);
    app.get("/graphql", ide.page);
  }

  const allowedOrigins = new Set([new URL(config.publicUrl).origin, ...config.corsOrigins]);
  const graphqlCors = cors({ origin: (origin, done) => done(null, !origin || allowedOrigins.has(origin)), credentials: true });
  const context = createContextBuilder(services, logger);
  app.use(
    "/graphql",
    graphqlCors,
    // Multipart uploads (avatars): one file, cut off past MAX_AVATAR_BYTES while streaming.
    multipartUploads(graphqlUploadExpress({ maxFileSize: config.maxAvatarBytes, maxFiles: 1, maxFieldSize: 100_000 })),
    express.json({ limit: config.maxJsonBodyBytes }),
    batchCap(config.maxBatchOperations),
    rejectNulCharacters,
    expressMiddleware(apollo, { context }),
  );
  graphqlPost = graphqlOverHttp(
    {
      apollo,
      context,
      middleware: [securityHeaders, accessLog, graphqlCors] as NodeMiddleware[],
      maxBodyBytes: config.maxJsonBodyBytes,
      maxBatchOperations: config.maxBatchOperations,
      trustProxy: config.trustProxy,
      logger,
    },
    app,
  );

  // Body-parser and other middleware errors: a GraphQL-shaped answer, never a stack trace.
  app.use((error: any, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status >= 500) logger.error({ err: error, requestId: (req as RequestWithId).id }, "unhandled request error");
    res.status(status).json(requestErrorBody(status));
  });

  // Delivers queued mail and webhook events in the background until close().
  services.mailSender.start();
  services.webhooks.deliverer.start();

  let closed = false;
  const listenOn = (target: http.Server, port: number, host: string) =>
    new Promise<string>((resolve, reject) => {
      target.once("error", reject);
      target.listen(port, host, () => {
        const address = target.address();
        const bound = typeof address === "object" && address ? address.port : port;
        resolve(`http://${host.includes(":") ? `[${host}]` : host}:${bound}`);
      });
    });
  const instance: App = {
    config,
    database,
    services,
    server,
    listen: async () => {
      if (metricsServer) instance.metricsUrl = await listenOn(metricsServer, config.metricsPort!, config.metricsHost);
      return listenOn(server, config.port, config.host);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const stop of stopJobs) stop();
      await apollo.stop();
      for (const target of [server, metricsServer]) {
        if (!target?.listening) continue;
        const closing = new Promise<void>((resolve) => target.close(() => resolve()));
        target.closeAllConnections();
        await closing;
      }
      await auditPruning.stop();
      await services.mailSender.stop();
      await services.webhooks.deliverer.stop();
      await services.hasher.close();
      await services.invalidationBus.close();
      await database.close();
      await restrictDataDir().catch(() => undefined);
      redis?.disconnect();
    },
  };
  return instance;
}
