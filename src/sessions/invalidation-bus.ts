import type { Redis } from "ioredis";
import type { Logger } from "pino";

/** "Forget what you know about this session / this user": sent on every revocation or change. */
export type Invalidation = { sessionId: string } | { userId: string };

export interface InvalidationBus {
  /** True while every process that might cache is sure to hear invalidations. */
  healthy(): boolean;
  publish(message: Invalidation): void;
  subscribe(listener: (message: Invalidation) => void, onUnhealthy: () => void): void;
  close(): Promise<void>;
}

/** One process holds the database (the embedded PGlite): telling ourselves is enough. */
export class LocalInvalidationBus implements InvalidationBus {
  private listener?: (message: Invalidation) => void;
  healthy(): boolean {
    return true;
  }
  publish(message: Invalidation): void {
    this.listener?.(message);
  }
  subscribe(listener: (message: Invalidation) => void): void {
    this.listener = listener;
  }
  async close(): Promise<void> {}
}

/** No channel (PostgreSQL without Redis, several processes possible): never cache. */
export class NoInvalidationBus implements InvalidationBus {
  healthy(): boolean {
    return false;
  }
  publish(): void {}
  subscribe(): void {}
  async close(): Promise<void> {}
}

/**
 * Redis pub/sub between processes. While the subscriber connection is down the bus reports
 * unhealthy, so callers go to the database; when it comes back, caches start empty. Each
 * switch is logged once.
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly subscriber: Redis;
  private subscribed = false;
  private lost = false;
  private readonly channel: string;

  constructor(
    private readonly publisher: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}invalidate`;
    this.subscriber = publisher.duplicate({ enableOfflineQueue: true });
    this.subscriber.on("error", () => undefined);
  }

  healthy(): boolean {
    return this.subscribed && this.subscriber.status === "ready" && this.publisher.status === "ready";
  }

  publish(message: Invalidation): void {
    // While Redis is away no process caches (their buses are unhealthy too): nothing to tell.
    this.publisher.publish(this.channel, JSON.stringify(message)).catch((error: Error) => {
      this.logger.debug({ err: { message: error.message } }, "could not publish a session invalidation");
    });
  }

  subscribe(listener: (message: Invalidation) => void, onUnhealthy: () => void): void {
    this.subscriber.on("message", (_channel: string, raw: string) => {
      try {
        listener(JSON.parse(raw) as Invalidation);
      } catch {
        onUnhealthy();
      }
    });
    const resubscribe = () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscribed = true;
          if (!this.lost) return;
          this.lost = false;
          this.logger.info("Redis available again: sessions are cached, revocations announced through Redis");
        },
        () => undefined,
      );
    };
    this.subscriber.on("ready", resubscribe);
    this.subscriber.on("close", () => {
      this.subscribed = false;
      onUnhealthy();
      if (this.lost) return;
      this.lost = true;
      this.logger.warn("Redis unavailable: session cache off, every request checks revocation in the database");
    });
    if (this.subscriber.status === "ready") resubscribe();
  }

  async close(): Promise<void> {
    this.lost = true; // a deliberate close is not an outage to report
    this.subscriber.disconnect();
  }
}
