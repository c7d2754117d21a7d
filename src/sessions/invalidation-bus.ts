import type { Redis } from "ioredis";
import type { Logger } from "pino";

/** "Forget what you know about this session / this user": sent on every revocation or change. */
export type Invalidation = { sessionId: string } | { userId: string };

/**
 * "This user's sessions changed without anything to forget": a sign-in committed. Caches ignore
 * it; live session events (session-events/) recheck the user's sessions.
 */
export interface SessionActivity {
  sessionsOf: string;
}

/**
 * "This OpenID Provider client changed or went" (updated, secret rotated, deleted): processes
 * that keep clients in memory (provider/) forget it. Sessions ignore it.
 */
export interface ClientChange {
  oauthClientId: string;
}

export type BusMessage = Invalidation | SessionActivity | ClientChange;

export type BusListener = (message: BusMessage) => void;

export interface InvalidationBus {
  /** True while every process that might cache is sure to hear invalidations. */
  healthy(): boolean;
  publish(message: BusMessage): void;
  /** Every subscriber hears every message, in the order they subscribed. */
  subscribe(listener: BusListener, onUnhealthy: () => void): void;
  close(): Promise<void>;
}

/** Tells each subscriber of this process; a listener's failure does not keep the others from hearing. */
class LocalListeners {
  private readonly listeners: BusListener[] = [];
  add(listener: BusListener): void {
    this.listeners.push(listener);
  }
  tell(message: BusMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // a listener's own bug must not stop the invalidation reaching the others
      }
    }
  }
}

/** One process holds the database (the embedded PGlite): telling ourselves is enough. */
export class LocalInvalidationBus implements InvalidationBus {
  private readonly listeners = new LocalListeners();
  healthy(): boolean {
    return true;
  }
  publish(message: BusMessage): void {
    this.listeners.tell(message);
  }
  subscribe(listener: BusListener): void {
    this.listeners.add(listener);
  }
  async close(): Promise<void> {}
}

/**
 * No channel (PostgreSQL without Redis, several processes possible): never cache. Messages
 * still reach this process's own subscribers (live session events hear the changes made here;
 * other processes' changes reach them only by their periodic recheck).
 */
export class NoInvalidationBus implements InvalidationBus {
  private readonly listeners = new LocalListeners();
  healthy(): boolean {
    return false;
  }
  publish(message: BusMessage): void {
    this.listeners.tell(message);
  }
  subscribe(listener: BusListener): void {
    this.listeners.add(listener);
  }
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
  private readonly listeners = new LocalListeners();
  private readonly unhealthyListeners: Array<() => void> = [];

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

  publish(message: BusMessage): void {
    // While Redis is away no process caches (their buses are unhealthy too): nothing to tell
    // them. This process's own subscribers (live session events) still hear it at once; with
    // Redis up they hear it as Redis echoes it back.
    if (!this.healthy()) this.listeners.tell(message);
    this.publisher.publish(this.channel, JSON.stringify(message)).catch((error: Error) => {
      this.logger.debug({ err: { message: error.message } }, "could not publish a session invalidation");
    });
  }

  subscribe(listener: BusListener, onUnhealthy: () => void): void {
    this.listeners.add(listener);
    this.unhealthyListeners.push(onUnhealthy);
    if (this.unhealthyListeners.length > 1) return;
    // The Redis side is set up once, for every subscriber.
    const unhealthy = () => {
      for (const notify of this.unhealthyListeners) notify();
    };
    this.subscriber.on("message", (_channel: string, raw: string) => {
      let message: BusMessage;
      try {
        message = JSON.parse(raw) as BusMessage;
      } catch {
        unhealthy();
        return;
      }
      this.listeners.tell(message);
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
      unhealthy();
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
