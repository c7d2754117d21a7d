import { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * A Redis client that fails fast instead of queueing commands while Redis is away, so
 * callers can fall back to their local behaviour; reconnects on its own.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let down = false;
  client.on("error", (error) => {
    if (!down) logger.warn({ err: { message: error.message } }, "redis unavailable");
    down = true;
  });
  client.on("ready", () => {
    if (down) logger.info("redis available again");
    down = false;
  });
  return client;
}
