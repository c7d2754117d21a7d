import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Probes and scrapes come every few seconds from machines: their lines are debug, and the
// listener that writes them is not even added unless debug is on.
const QUIET_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

const pathOf = (url: string) => {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
};

/** One GraphQL operation of the request, as the access line names it. */
export interface LoggedOperation {
  /** null for an anonymous operation. */
  name: string | null;
  /** query, mutation or subscription; absent when the operation never resolved (a parse or validation error). */
  type?: string;
}

/**
 * What the GraphQL layer adds to the access line (graphql/request-log.plugin.ts): plain fields
 * on the request object, so that naming them costs no child logger and no lookup.
 */
export interface RequestLogFields {
  id?: string;
  /** The operations of the request, in the order the request gave them (a batch has several). */
  operations?: Array<LoggedOperation | undefined>;
  /** The signed-in caller's user id: never a token or a username. */
  userId?: string;
}

export type RequestWithId = IncomingMessage & RequestLogFields & { originalUrl?: string };

/**
 * Adds the operation fields to the access line: `operationName` and `operationType` as strings
 * for one operation; for a batch, arrays in the batch's order (null where an operation has no
 * name or never resolved).
 */
function addOperations(entry: Record<string, unknown>, operations: Array<LoggedOperation | undefined>): void {
  if (operations.length === 1) {
    const [only] = operations;
    if (!only) return;
    entry.operationName = only.name;
    if (only.type) entry.operationType = only.type;
    return;
  }
  entry.operationName = operations.map((operation) => operation?.name ?? null);
  entry.operationType = operations.map((operation) => operation?.type ?? null);
}

/**
 * Gives every request an id (the caller's X-Request-Id when it is safe to echo, else a UUID)
 * and writes one line when the response has gone out. pino-http did the same through a child
 * logger per request, which cost about a tenth of a cheap request's CPU; one call on a shared
 * logger costs a fraction of that and yields the same fields.
 */
export function requestLog(logger: Logger) {
  // These lines hold only the fields below, none of them a secret, so they skip the path
  // redaction every other line goes through (two thirds of the cost of writing one).
  const accessLog = logger.child({}, { redact: [] });
  return (req: RequestWithId, res: ServerResponse, next: () => void) => {
    const started = process.hrtime.bigint();
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader("x-request-id", id);
    const quiet = QUIET_PATHS.has(pathOf(req.url ?? ""));
    if (!quiet || accessLog.isLevelEnabled("debug")) {
      // "close" follows "finish", and also comes alone when the caller went away mid-answer.
      res.once("close", () => {
        const entry: Record<string, unknown> = {
          // The path only: a GET's query string can carry an operation with its secrets.
          req: { id, method: req.method, url: pathOf(req.originalUrl ?? req.url ?? "") },
          res: { statusCode: res.statusCode },
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        };
        if (req.operations) addOperations(entry, req.operations);
        if (req.userId) entry.userId = req.userId;
        // An unready /readyz is a 503 too: the readiness route logs the change of state once.
        if (quiet) accessLog.debug(entry, "request completed");
        else if (!res.writableFinished) accessLog.info(entry, "request aborted");
        else if (res.statusCode >= 500) accessLog.error(entry, "request errored");
        else accessLog.info(entry, "request completed");
      });
    }
    next();
  };
}
