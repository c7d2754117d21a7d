import http from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import cors from "cors";
import helmet from "helmet";
import type { GraphQLResolveInfo, GraphQLSchema } from "graphql";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import graphqlUploadExpress from "graphql-upload/graphqlUploadExpress.mjs";
import type { Redis } from "ioredis";
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { Database } from "./db/database";
import type { Services } from "./services";
import { createContextBuilder } from "./context-builder";
import { createErrorFormatter } from "./graphql/format-error";
import { rejectNulCharacters } from "./graphql/nul-guard";
import { graphqlIde } from "./graphql/ide";
import type { GraphQLContext } from "./graphql/context";
import { queryLimitRules, queryLimitsPlugin } from "./graphql/query-limits.plugin";
import { subscriptionsOverHttpRule } from "./graphql/subscriptions-over-http.rule";
import { retryAfterPlugin } from "./graphql/retry-after.plugin";
import { sessionHintPlugin } from "./graphql/session-hint.plugin";
import { batchTooLongError, graphqlOverHttp, requestErrorBody, type NodeMiddleware } from "./graphql/graphql-http";
import { graphqlMetricsPlugin, metricsOnMainPort, metricsRoute } from "./metrics";
import { avatarRoute } from "./accounts";
import { requestLog, type RequestWithId } from "./common/request-log";
import { tracingEnabled } from "./tracing/spans";
import { graphqlTracingPlugin } from "./tracing/graphql-tracing.plugin";
import { requestLogPlugin } from "./graphql/request-log.plugin";
import { readinessRoute, redisCheck } from "./readiness.route";
import { attachWebSocketServer } from "./websocket-server";
import { interactionRoutes, providerRoute } from "./provider";
import { magicLinkPage } from "./magic-link";

export interface HttpServerOptions {
  config: Config;
  logger: Logger;
  /** /readyz pings it. */
  database: Pick<Database, "ping">;
  /** /readyz pings it too, when configured. */
  redis?: Pick<Redis, "ping" | "status" | "on">;
  services: Services;
  schema: GraphQLSchema;
}

export interface HttpServer {
  server: http.Server;
  /** Starts listening (and the metrics port, with METRICS_PORT); resolves to the base URL. */
  listen(): Promise<string>;
  /** With METRICS_PORT, the base URL /metrics is served on, once listening. */
  metricsUrl?: string;
  /** Stops taking requests: Apollo drains the operations in flight, then every connection closes. */
  stop(): Promise<void>;
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

function listenOn(target: http.Server, port: number, host: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    target.once("error", reject);
    target.listen(port, host, () => {
      const address = target.address();
      const bound = typeof address === "object" && address ? address.port : port;
      resolve(`http://${host.includes(":") ? `[${host}]` : host}:${bound}`);
    });
  });
}

/** The HTTP surface: /graphql (and its WebSocket subscriptions), /healthz, /readyz, /metrics, /avatars and the JWKS. */
export async function createHttpServer({ config, logger, database, redis, services, schema }: HttpServerOptions): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  const securityHeaders = helmet({
    // The IDE page sets its own policy; everything else is JSON or images.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: config.env === "development" ? false : { maxAge: 15552000, includeSubDomains: true },
    crossOriginResourcePolicy: { policy: "same-site" },
  });
  const accessLog = requestLog(logger);
  app.use(accessLog);
  app.use(securityHeaders);
  // A hop count: the client is the address the outermost trusted proxy appended (see config.ts).
  app.set("trust proxy", config.trustProxy);
  // JSON POSTs to /graphql skip express (see graphql-http.ts); the rest of the routes follow.
  let graphqlPost: http.RequestListener = app;
  // The OpenID Provider's own paths (discovery, /oidc/...) go straight to its engine (koa), with
  // its own headers: express's request handling would add more than the engine costs on a
  // client-credentials grant. Everything else goes to /graphql's handler or express.
  const engine = providerRoute(services.oidcProvider.host(), { hsts: config.env !== "development", accessLog });
  const server = http.createServer((req, res) => engine(req, res, () => graphqlPost(req, res)));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  // Not ready while the database, or Redis when configured, does not answer (the contract);
  // without Redis the process still serves, on its fallbacks.
  app.get("/readyz", readinessRoute({ database: () => database.ping(), ...(redis ? { redis: redisCheck(redis) } : {}) }, logger));
  // Prometheus text: see metrics-route.ts for where it is served and to whom.
  const metrics = metricsRoute(services.metrics, config.metricsToken);
  if (metricsOnMainPort(config)) app.get("/metrics", metrics);
  let metricsServer: http.Server | undefined;
  if (config.metricsPort !== undefined) {
    const metricsApp = express();
    metricsApp.disable("x-powered-by");
    // Scrapes here are logged as on the main port: at debug.
    metricsApp.use(accessLog);
    metricsApp.get("/metrics", metrics);
    metricsServer = http.createServer(metricsApp);
  }
  app.get("/.well-known/jwks.json", (_req, res) => {
    res.setHeader("cache-control", "public, max-age=300");
    res.json(services.signingKeys.jwks());
  });
  app.get("/avatars/:file", avatarRoute(services.avatarStorage));
  // The page a mailed sign-in link opens (GET shows a button, POST signs in with cookies).
  app.use(
    magicLinkPage({
      service: services.magicLinks.service,
      secret: config.appSecret,
      secureCookies: services.secureCookies,
      publicOrigin: new URL(config.publicUrl).origin,
      allowedOrigins: services.magicLinks.allowedOrigins,
      // The same limits as the GraphQL signInWithMagicLink.
      rateLimit: async (origin) => {
        for (const rule of services.rateLimiter.rulesFor("signInWithMagicLink")) {
          const wait = await services.rateLimiter.hit(rule, { ip: origin.ip }, {}, { fieldName: "signInWithMagicLink" } as GraphQLResolveInfo);
          if (wait !== undefined) return wait;
        }
        return undefined;
      },
    }),
  );
  // The OpenID Provider's sign-in and consent pages (its interaction URL) and their stylesheet and script.
  app.use(
    interactionRoutes({
      provider: () => services.oidc,
      signIn: services.oidcSignIn,
      accountName: services.oidcAccountName,
      grantIdsFor: (accountId, clientId) => services.oidcGrants.grantIdsFor(accountId, clientId, { liveAt: services.clock.now() }),
      secret: config.appSecret,
      secureCookies: services.secureCookies,
      logger,
    }),
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    // Without introspection the schema is not public: error messages suggest no names either.
    formatError: createErrorFormatter(logger, { hideSuggestions: !config.introspection }),
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
    // The app owns shutdown (see app.ts): stop taking requests, then the jobs, then the database.
    stopOnTerminationSignals: false,
    // A document is bounded in tokens before it is validated: graphql-js's own rules are linear
    // in it except OverlappingFieldsCanBeMerged, which compares same-named fields pairwise.
    parseOptions: { maxTokens: config.queryMaxTokens },
    validationRules: [...queryLimitRules({ maxDepth: config.queryMaxDepth, maxAliases: config.queryMaxAliases }), subscriptionsOverHttpRule],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      // No field carries cache hints (answers about accounts are never cacheable); without this,
      // Apollo's cache-control plugin would still hook every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      queryLimitsPlugin({ maxCost: config.queryMaxCost }),
      graphqlMetricsPlugin(services.metrics),
      // Only with tracing on: otherwise not a hook more per operation.
      ...(tracingEnabled() ? [graphqlTracingPlugin<GraphQLContext>()] : []),
      requestLogPlugin(),
      retryAfterPlugin(),
      sessionHintPlugin(),
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

  const allowedOrigins = new Set([new URL(config.publicUrl).origin, new URL(config.appUrl).origin, ...config.corsOrigins]);
  const graphqlCors = cors({
    origin: (origin, done) => done(null, !origin || allowedOrigins.has(origin)),
    credentials: true,
    // Not a CORS-safelisted header: without this a front end on another origin could not read it.
    exposedHeaders: ["Retry-After"],
  });
  const context = createContextBuilder(services, logger);
  // Subscriptions: WebSocket upgrades of /graphql (graphql-ws); other paths' upgrades are refused.
  const webSockets = attachWebSocketServer({ server, schema, services, config, logger, allowedOrigins });
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
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const declared = (error as { status?: unknown } | null | undefined)?.status;
    const status = typeof declared === "number" && declared >= 400 && declared < 500 ? declared : 500;
    if (status >= 500) logger.error({ err: error, reqId: (req as RequestWithId).id }, "unhandled request error");
    res.status(status).json(requestErrorBody(status));
  });

  const httpServer: HttpServer = {
    server,
    listen: async () => {
      if (metricsServer) httpServer.metricsUrl = await listenOn(metricsServer, config.metricsPort!, config.metricsHost);
      return listenOn(server, config.port, config.host);
    },
    stop: async () => {
      // Subscribers are told "going away" (1001) and reconnect elsewhere; then HTTP drains.
      await webSockets.stop();
      await apollo.stop();
      for (const target of [server, metricsServer]) {
        if (!target?.listening) continue;
        const closing = new Promise<void>((resolve) => target.close(() => resolve()));
        target.closeAllConnections();
        await closing;
      }
    },
  };
  return httpServer;
}
