import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const UNLOGGED_PATHS = new Set(["/healthz", "/readyz"]);

const pathOf = (url: string) => {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
};

export type RequestWithId = IncomingMessage & { id?: string; originalUrl?: string };

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
    if (!UNLOGGED_PATHS.has(req.url ?? "")) {
      // "close" follows "finish", and also comes alone when the caller went away mid-answer.
      res.once("close", () => {
        const entry = {
          // The path only: a GET's query string can carry an operation with its secrets.
          req: { id, method: req.method, url: pathOf(req.originalUrl ?? req.url ?? "") },
          res: { statusCode: res.statusCode },
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        };
        if (!res.writableFinished) accessLog.info(entry, "request aborted");
        else if (res.statusCode >= 500) accessLog.error(entry, "request errored");
        else accessLog.info(entry, "request completed");
      });
    }
    next();
  };
}
