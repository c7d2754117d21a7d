import type { Redis } from "ioredis";
import type { Logger } from "pino";

/** graphql-rate-limit's store contract: call timestamps per (client, field) identity. */
export interface Identity {
  readonly contextIdentity: string;
  readonly fieldIdentity: string;
}

export interface RateLimitStore {
  setForIdentity(identity: Identity, timestamps: readonly number[], windowMs?: number): Promise<void>;
  getForIdentity(identity: Identity): Promise<readonly number[]>;
}

const keyOf = (identity: Identity) => `${identity.contextIdentity}|${identity.fieldIdentity}`;

/**
 * In-process store. Unlike the library's own, entries expire with their window and the map
 * is bounded, so a flood of distinct clients cannot grow memory without limit.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly entries = new Map<string, { timestamps: readonly number[]; expiresAt: number }>();

  constructor(private readonly maxEntries = 100_000) {}

  async setForIdentity(identity: Identity, timestamps: readonly number[], windowMs = 60_000): Promise<void> {
    const key = keyOf(identity);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(key, { timestamps, expiresAt: Date.now() + windowMs });
  }

  async getForIdentity(identity: Identity): Promise<readonly number[]> {
    const entry = this.entries.get(keyOf(identity));
    if (!entry) return [];
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(keyOf(identity));
      return [];
    }
    return entry.timestamps;
  }

  private evict(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    // Still full: drop the oldest insertions (Map keeps insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Shared store in Redis, so several server processes count together. While Redis is away it
 * counts in process memory instead, and returns to Redis by itself; each switch is logged once.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly fallback = new MemoryRateLimitStore();
  private inMemory = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  async setForIdentity(identity: Identity, timestamps: readonly number[], windowMs = 60_000): Promise<void> {
    if (this.redis.status === "ready") {
      try {
        await this.redis.set(this.key(identity), JSON.stringify(timestamps), "PX", windowMs);
        return this.usingRedis();
      } catch (error) {
        this.usingMemory(error);
      }
    } else this.usingMemory();
    await this.fallback.setForIdentity(identity, timestamps, windowMs);
  }

  async getForIdentity(identity: Identity): Promise<readonly number[]> {
    if (this.redis.status === "ready") {
      try {
        const raw = await this.redis.get(this.key(identity));
        this.usingRedis();
        return raw ? (JSON.parse(raw) as number[]) : [];
      } catch (error) {
        this.usingMemory(error);
      }
    } else this.usingMemory();
    return this.fallback.getForIdentity(identity);
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

  private key(identity: Identity): string {
    return `${this.prefix}rl:${keyOf(identity)}`;
  }
}
