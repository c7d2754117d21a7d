import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Counts calls per key in fixed windows: a key's window starts with its first call and lasts
 * `windowMs`; up to `max` calls in it pass. Each call is counted atomically, so simultaneous
 * calls (aliases, batches, parallel requests, other processes) cannot all see the same count.
 */
export interface CallCounter {
  /** Counts one call; returns the milliseconds until the window ends when it is over `max`. */
  count(key: string, max: number, windowMs: number): Promise<number | undefined>;
}

/**
 * In-process counter, for one server process (and for a shared counter while it is away).
 * Entries expire with their window and the map is bounded, so a flood of distinct clients
 * cannot grow memory without limit (rate-limiter-flexible's memory limiter keeps every key
 * for its window, with a timer each).
 */
export class MemoryCallCounter implements CallCounter {
  private readonly entries = new Map<string, { calls: number; endsAt: number }>();

  constructor(private readonly maxEntries = 100_000) {}

  async count(key: string, max: number, windowMs: number): Promise<number | undefined> {
    const now = Date.now();
    let entry = this.entries.get(key);
    if (!entry || entry.endsAt <= now) {
      this.entries.delete(key);
      if (this.entries.size >= this.maxEntries) this.evict(now);
      entry = { calls: 0, endsAt: now + windowMs };
      this.entries.set(key, entry);
    }
    entry.calls += 1;
    return entry.calls > max ? entry.endsAt - now : undefined;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.endsAt <= now) this.entries.delete(key);
    // Still full: drop the oldest windows (Map keeps insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Shared counter in Redis (rate-limiter-flexible: one INCR and expiry in a Lua script), so
 * several server processes count together. While Redis is away it counts in process memory
 * instead, and returns to Redis by itself; each switch is logged once.
 */
export class RedisCallCounter implements CallCounter {
  private readonly fallback = new MemoryCallCounter();
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private inMemory = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  async count(key: string, max: number, windowMs: number): Promise<number | undefined> {
    if (this.redis.status === "ready") {
      try {
        await this.limiter(max, windowMs).consume(key);
        this.usingRedis();
        return undefined;
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          this.usingRedis();
          return Math.max(error.msBeforeNext, 1);
        }
        this.usingMemory(error);
      }
    } else this.usingMemory();
    return this.fallback.count(key, max, windowMs);
  }

  private limiter(max: number, windowMs: number): RateLimiterRedis {
    const id = `${max}/${windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        // Not the `rl:` keys of the earlier timestamp lists, which INCR would fail on.
        keyPrefix: `${this.prefix}rlc`,
        points: max,
        // Whole seconds (Redis expiry); a window under a second lasts one.
        duration: Math.max(1, Math.ceil(windowMs / 1000)),
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private usingMemory(error?: unknown): void {
    if (this.inMemory) return;
    this.inMemory = true;
    this.logger.warn(
      { err: error ? { message: (error as Error).message } : undefined },
      "Redis unavailable: rate limits are counted in this process's memory until it is back",
    );
  }

  private usingRedis(): void {
    if (!this.inMemory) return;
    this.inMemory = false;
    this.logger.info("Redis available again: rate limits are shared through Redis");
  }
}
