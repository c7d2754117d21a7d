import type { Request, Response } from "express";
import type { Redis } from "ioredis";
import type { Logger } from "./logger";

/** A dependency /readyz asks: resolves when it answers. */
export type ReadinessCheck = () => Promise<unknown>;

const TIMEOUT_MS = 2_000;
const MAX_REASON = 120;

function withTimeout(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class TimeoutError extends Error {}

/**
 * Redis answers a ping. While the client reconnects, the reason is its state and its last
 * connection error, rather than the client's message about its offline queue.
 */
export function redisCheck(redis: Pick<Redis, "ping" | "status" | "on">): ReadinessCheck {
  let lastError: unknown;
  redis.on("error", (error) => (lastError = error));
  redis.on("ready", () => (lastError = undefined));
  return async () => {
    if (redis.status !== "ready") throw new Error(`not connected (${redis.status}${lastError ? `: ${shortReason(lastError)}` : ""})`);
    await redis.ping();
  };
}

/**
 * The innermost error code along an error's causes: the driver's ECONNREFUSED or SQLSTATE
 * says more than the P2010 ("raw query failed") Prisma wraps it in.
 */
function codeOf(error: unknown): string | undefined {
  let found: string | undefined;
  let current = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const fields = current as { code?: unknown; kind?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    for (const value of [fields.kind, fields.code]) {
      if (typeof value === "string" && /^[A-Za-z0-9_]{2,40}$/.test(value) && value !== "postgres") found = value;
    }
    current = fields.cause ?? fields.meta?.driverAdapterError;
  }
  return found;
}

/**
 * Why a dependency failed, short enough for a probe's body: a timeout, the error's code, or
 * the last line of its message with any URL (which could hold a password) left out.
 */
export function shortReason(error: unknown): string {
  if (error instanceof TimeoutError) return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = codeOf(error);
  if (code) return code;
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n").map((part) => part.trim()).filter(Boolean).pop() ?? "error";
  const safe = line.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*/g, "<url>").replace(/\S+:\S+@\S+/g, "<address>");
  return safe.length > MAX_REASON ? `${safe.slice(0, MAX_REASON)}...` : safe;
}

/**
 * GET /readyz: 200 while every dependency answers within 2 s, else 503; the body names each
 * check, `ok` or `failed: <reason>`, so whoever looks at an unready instance sees why. They are
 * asked at once. A change between ready and unready is logged once per process (the probes
 * themselves are logged at debug by the request log).
 */
export function readinessRoute(checks: Record<string, ReadinessCheck>, logger: Logger) {
  const names = Object.keys(checks);
  let wasReady: boolean | undefined;
  return async (_req: Request, res: Response) => {
    const outcomes = await Promise.allSettled(names.map((name) => withTimeout(checks[name](), TIMEOUT_MS)));
    const results: Record<string, string> = {};
    let ready = true;
    outcomes.forEach((outcome, index) => {
      if (outcome.status === "fulfilled") results[names[index]] = "ok";
      else {
        ready = false;
        results[names[index]] = `failed: ${shortReason(outcome.reason)}`;
      }
    });
    if (ready !== wasReady) {
      if (!ready) logger.warn({ checks: results }, "not ready");
      else if (wasReady === false) logger.info({ checks: results }, "ready again");
      wasReady = ready;
    }
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unready", checks: results });
  };
}
