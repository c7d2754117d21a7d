import type http from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import proxyaddr from "proxy-addr";
import type { Logger } from "pino";
import { ErrorCode } from "../common/app-error";
import type { GraphQLContext, HttpRequest } from "./context";
import { nulCharacterError } from "./nul-guard";

/** A connect-style middleware that works on node's own request and response (helmet, cors, the request log). */
export type NodeMiddleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;

export interface GraphqlHttpOptions {
  apollo: ApolloServer<GraphQLContext>;
  context: (args: { req: HttpRequest; res: http.ServerResponse }) => Promise<GraphQLContext>;
  /** Run first, in order, as express runs them for /graphql (headers, request log, CORS). */
  middleware: NodeMiddleware[];
  maxBodyBytes: number;
  maxBatchOperations: number;
  /** Proxies in front (config.trustProxy); the same rule as express's hop count. */
  trustProxy: number;
  logger: Logger;
}

/** A batch (a JSON array of operations) longer than allowed, as the error to answer; else undefined. */
export function batchTooLongError(body: unknown, max: number): { errors: unknown[] } | undefined {
  if (!Array.isArray(body) || body.length <= max) return undefined;
  return { errors: [{ message: `A batch may hold at most ${max} operations`, extensions: { code: ErrorCode.BAD_USER_INPUT } }] };
}

/** The answer to a request that failed before GraphQL (body too large or malformed, or a fault of ours), never a stack trace. */
export function requestErrorBody(status: number): { errors: unknown[] } {
  const [message, code] =
    status === 413
      ? ["Request body too large", ErrorCode.PAYLOAD_TOO_LARGE]
      : status < 500
        ? ["Malformed request", ErrorCode.BAD_USER_INPUT]
        : ["Internal server error", ErrorCode.INTERNAL_SERVER_ERROR];
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * POST /graphql with a plain JSON body, served from node:http without express. On a cheap
 * operation express's own request handling cost more than Apollo and the resolvers together
 * (bench/RESULTS.md: a bare Apollo Server answered 2.5 times as many requests without it).
 * The same middleware run first, the body gets the same limit and checks (size, strict JSON,
 * batch length, NUL characters) and the same error answers. Everything else (GET and the IDE,
 * multipart uploads, CORS preflight, compressed or non-UTF-8 bodies, other paths) goes to
 * `fallback`, the express app.
 */
export function graphqlOverHttp(options: GraphqlHttpOptions, fallback: http.RequestListener): http.RequestListener {
  const hops = options.trustProxy;
  const trust = (_address: string, index: number) => index < hops;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.setHeader("content-length", Buffer.byteLength(text));
    res.end(text);
  };

  const execute = async (req: HttpRequest, res: http.ServerResponse, body: unknown) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers, search: query === -1 ? "" : url.slice(query), body },
      context: () => options.context({ req, res }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.setHeader("content-length", Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const readBody = (req: HttpRequest, res: http.ServerResponse) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > options.maxBodyBytes) return send(res, 413, requestErrorBody(413));
    const chunks: Buffer[] = [];
    let received = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      received += chunk.length;
      if (received > options.maxBodyBytes) {
        refused = true;
        send(res, 413, requestErrorBody(413));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString("utf8").trim();
      let body: unknown = {};
      if (text.length > 0) {
        // Strict, as express.json: only an object or an array of operations.
        if (text[0] !== "{" && text[0] !== "[") return send(res, 400, requestErrorBody(400));
        try {
          body = JSON.parse(text);
        } catch {
          return send(res, 400, requestErrorBody(400));
        }
      }
      const refusal = batchTooLongError(body, options.maxBatchOperations) ?? nulCharacterError(body);
      if (refusal) return send(res, 400, refusal);
      execute(req, res, body).catch((error) => {
        options.logger.error({ err: error, reqId: req.id }, "unhandled request error");
        if (!res.headersSent) send(res, 500, requestErrorBody(500));
        else res.destroy();
      });
    });
    req.on("error", () => {
      refused = true;
      if (!res.headersSent) send(res, 400, requestErrorBody(400));
    });
  };

  return (req, res) => {
    if (!isPlainJsonPost(req)) return fallback(req, res);
    const request = req as HttpRequest;
    request.ip = proxyaddr(req, trust);
    let index = 0;
    const next = (error?: unknown) => {
      if (error) {
        options.logger.error({ err: error, reqId: request.id }, "unhandled request error");
        return send(res, 500, requestErrorBody(500));
      }
      const middleware = options.middleware[index++];
      if (middleware) middleware(req, res, next);
      else readBody(request, res);
    };
    next();
  };
}

/** POST /graphql whose body is JSON in UTF-8, not compressed: the requests the plain path takes. */
function isPlainJsonPost(req: http.IncomingMessage): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  const query = url.indexOf("?");
  if ((query === -1 ? url : url.slice(0, query)) !== "/graphql") return false;
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
  const [type, ...parameters] = (req.headers["content-type"] ?? "").split(";");
  if (type.trim().toLowerCase() !== "application/json") return false;
  return parameters.every((parameter) => {
    const [name, value] = parameter.split("=").map((part) => part.trim().toLowerCase());
    return name !== "charset" || value === "utf-8" || value === "utf8" || value === '"utf-8"';
  });
}
