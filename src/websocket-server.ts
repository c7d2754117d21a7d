import type http from "node:http";
import type { Duplex } from "node:stream";
import proxyaddr from "proxy-addr";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { Context as WsContext } from "graphql-ws";
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";
import type { Config } from "./config";
import type { Logger } from "./logger";
import type { Services } from "./services";
import type { GraphQLContext, HttpRequest } from "./graphql/context";
import { createErrorFormatter } from "./graphql/format-error";
import { measureOperation, queryLimitRules } from "./graphql/query-limits.plugin";
import { createUserLoaders } from "./accounts";
import { readCookie } from "./sessions";
import { CloseCode, type LiveConnection } from "./session-events";
import { randomToken } from "./common/tokens";
import { isDatabaseUnavailable } from "./db/errors";

/** Largest message a client may send; a subscription document is small. Larger ones close the socket (1009). */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024;
/** A socket that has not sent connection_init by then is closed (4408). */
const CONNECTION_INIT_TIMEOUT_MS = 10_000;
const ACCESS_COOKIE = "lk_access";

export interface WebSocketServerOptions {
  server: http.Server;
  schema: GraphQLSchema;
  services: Services;
  config: Config;
  logger: Logger;
  /** The origins CORS lets read /graphql: a cookie-authenticated socket must come from one of them. */
  allowedOrigins: ReadonlySet<string>;
}

interface Extra {
  socket: WebSocket;
  request: http.IncomingMessage;
  ip: string;
  requestId: string;
  live?: LiveConnection;
}

/** Over WebSocket only subscriptions: queries and mutations go over HTTP, with its limits and plugins. */
const subscriptionsOnlyRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === OperationTypeNode.SUBSCRIPTION) return;
    context.reportError(new GraphQLError("Only subscription operations are served over WebSocket; send queries and mutations over HTTP", { nodes: node }));
  },
});

/** The token and how it came: connectionParams.authorization ("Bearer <token>"), else the lk_access cookie. */
function credentialsOf(ctx: Pick<WsContext<Record<string, unknown> | undefined>, "connectionParams">, request: http.IncomingMessage): { token?: string; byCookie: boolean; malformed: boolean } {
  const authorization = ctx.connectionParams?.authorization;
  if (authorization !== undefined) {
    const match = typeof authorization === "string" ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
    return match ? { token: match[1], byCookie: false, malformed: false } : { byCookie: false, malformed: true };
  }
  const cookie = readCookie(request, ACCESS_COOKIE);
  return { token: cookie, byCookie: cookie !== undefined, malformed: false };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, the graphql-transport-ws protocol Apollo
 * Client's GraphQLWsLink speaks) on /graphql of the HTTP server. Authenticated on
 * connection_init with the same door as HTTP:
 * - `connectionParams.authorization: "Bearer <token>"`, else the lk_access cookie of the upgrade
 *   request; a cookie counts only when the request's Origin is one CORS allows (or absent, as from
 *   a non-browser client): otherwise the socket is closed with 4403 (cross-site WebSocket hijacking);
 * - a token given but not valid (expired, revoked, malformed): closed with 4401, so a client
 *   refreshes and reconnects; no token: the connection opens, and subscriptions answer
 *   UNAUTHENTICATED;
 * - when the access token expires, the connection closes with 4401.
 * Documents get the HTTP limits (tokens, depth, aliases, cost) and errors the same formatting.
 */
export function attachWebSocketServer({ server, schema, services, config, logger, allowedOrigins }: WebSocketServerOptions): { stop(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  const hops = config.trustProxy;
  const trust = (_address: string, index: number) => index < hops;
  const perAddress = new Map<string, number>();
  const format = createErrorFormatter(logger, { hideSuggestions: !config.introspection });
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((error) => format(error.toJSON(), error));
  const rules = [...specifiedRules, ...queryLimitRules({ maxDepth: config.queryMaxDepth, maxAliases: config.queryMaxAliases }), subscriptionsOnlyRule];

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined);
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/graphql") return refuseUpgrade(socket, 404, "Not Found");
    const ip = proxyaddr(req, trust);
    const held = perAddress.get(ip) ?? 0;
    if (held >= config.wsMaxConnectionsPerIp) return refuseUpgrade(socket, 429, "Too Many Requests");
    perAddress.set(ip, held + 1);
    const release = () => {
      const left = (perAddress.get(ip) ?? 1) - 1;
      if (left <= 0) perAddress.delete(ip);
      else perAddress.set(ip, left);
    };
    let upgraded = false;
    socket.once("close", () => {
      if (!upgraded) release();
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      ws.once("close", release);
      // A client's oversized or malformed frame is its own fault: ws closes the socket (1009,
      // 1002) and emits the error, which graphql-ws would print to the console as an internal
      // error. It is logged here at debug instead.
      ws.on("error", (error) => logger.debug({ err: { message: error.message }, ip }, "WebSocket closed on a bad frame"));
      const once = ws.once.bind(ws);
      ws.once = ((event: string, listener: (...args: unknown[]) => void) => (event === "error" ? ws : once(event, listener))) as typeof ws.once;
      wss.emit("connection", ws, req);
    });
  };
  server.on("upgrade", onUpgrade);

  const disposable = useServer<Record<string, unknown> | undefined, Record<PropertyKey, unknown>>(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        const extra = ctx.extra as unknown as Extra;
        extra.ip = proxyaddr(extra.request, trust);
        extra.requestId = randomToken().slice(0, 16);
        const { token, byCookie, malformed } = credentialsOf(ctx, extra.request);
        if (malformed) {
          extra.socket.close(CloseCode.UNAUTHORIZED, "Unauthorized");
          return false;
        }
        if (!token) return true;
        const origin = extra.request.headers.origin;
        if (byCookie && origin !== undefined && !allowedOrigins.has(origin)) {
          extra.socket.close(CloseCode.FORBIDDEN, "Forbidden origin");
          return false;
        }
        let viewer;
        try {
          viewer = await services.sessionEvents.authenticate(token);
        } catch (error) {
          if (!isDatabaseUnavailable(error)) logger.error({ err: error }, "WebSocket authentication failed");
          extra.socket.close(1013, "Try again later");
          return false;
        }
        if (!viewer) {
          extra.socket.close(CloseCode.UNAUTHORIZED, "Unauthorized");
          return false;
        }
        // Gone while its token was checked: onClose has run already, so nothing may be left watching.
        if (extra.socket.readyState !== extra.socket.OPEN) return false;
        const live = services.sessionEvents.connect(viewer, token, { close: (code, reason) => extra.socket.close(code, reason) });
        if (!live) {
          extra.socket.close(CloseCode.TOO_MANY, "Too many connections");
          return false;
        }
        extra.live = live;
        return true;
      },
      onClose: (ctx) => {
        (ctx.extra as unknown as Extra).live?.closed();
      },
      onSubscribe: (ctx, _id, payload) => {
        const extra = ctx.extra as unknown as Extra;
        let document: DocumentNode;
        // The codes Apollo gives the same failures over HTTP; the formatter maps query-limit refusals to BAD_USER_INPUT.
        try {
          document = parse(payload.query, { maxTokens: config.queryMaxTokens });
        } catch (error) {
          const message = error instanceof GraphQLError ? error.message : "The document could not be parsed";
          return [new GraphQLError(message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) {
          return errors.map(
            (error) => new GraphQLError(error.message, { nodes: error.nodes, originalError: error.originalError ?? error, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError("Unable to identify the operation", { extensions: { code: "BAD_USER_INPUT" } })];
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        const variables = payload.variables ?? {};
        const { cost } = measureOperation(operation, fragments, variables);
        if (cost > config.queryMaxCost) {
          return [new GraphQLError(`Query cost ${cost} exceeds the limit of ${config.queryMaxCost}`, { extensions: { code: "BAD_USER_INPUT" } })];
        }
        const request = extra.request as HttpRequest;
        const context: GraphQLContext = {
          viewer: extra.live?.viewer,
          provenUserIds: new Set(extra.live ? [extra.live.viewer.user.id] : []),
          origin: { ip: extra.ip, userAgent: request.headers["user-agent"] ?? null, requestId: extra.requestId },
          requestId: extra.requestId,
          services,
          loaders: createUserLoaders(services.userLoaderSources),
          logger: logger.child({ reqId: extra.requestId }),
          req: request,
          res: undefined as unknown as http.ServerResponse,
          sessionRefreshable: false,
          connection: extra.live,
        };
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: variables, contextValue: context };
        return args;
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatAll(result.errors as readonly GraphQLError[]) } : undefined),
    },
    wss,
  );

  return {
    stop: async () => {
      server.off("upgrade", onUpgrade);
      services.sessionEvents.close();
      // "Going away": clients reconnect elsewhere. One that does not answer the close in time is cut off.
      for (const client of wss.clients) client.close(1001, "Going away");
      const cutOff = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 2_000);
      cutOff.unref();
      await disposable.dispose();
      clearTimeout(cutOff);
    },
  };
}
