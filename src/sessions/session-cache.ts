import type { User } from "../generated/prisma/client";
import type { InvalidationBus, Invalidation } from "./invalidation-bus";

export interface CachedSession {
  user: User;
  sessionUserId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  lastSeenAt: Date;
}

// A revocation written inside a transaction commits a moment after we announce it; a second
// announcement clears anything re-read from the database in between.
const SECOND_INVALIDATION_DELAY_MS = 300;

/**
 * Session and user state kept briefly in memory so the context builder needs no database
 * round trip per request. Used only while the invalidation bus is healthy; every revocation
 * and every change to a user is announced on the bus and drops the entries everywhere.
 */
export class SessionCache {
  private readonly entries = new Map<string, { value: CachedSession; cachedAt: number }>();

  constructor(
    private readonly bus: InvalidationBus,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {
    bus.subscribe(
      (message) => this.apply(message),
      () => this.entries.clear(),
    );
  }

  get enabled(): boolean {
    return this.ttlMs > 0 && this.bus.healthy();
  }

  get(sessionId: string): CachedSession | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (Date.now() - entry.cachedAt > this.ttlMs) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.value;
  }

  set(sessionId: string, value: CachedSession): void {
    if (!this.enabled) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(sessionId, { value, cachedAt: Date.now() });
  }

  invalidateSession(sessionId: string): void {
    this.announce({ sessionId });
  }

  invalidateUser(userId: string): void {
    this.announce({ userId });
  }

  private announce(message: Invalidation): void {
    this.apply(message);
    this.bus.publish(message);
    setTimeout(() => {
      this.apply(message);
      this.bus.publish(message);
    }, SECOND_INVALIDATION_DELAY_MS).unref();
  }

  private apply(message: Invalidation): void {
    if ("sessionId" in message) {
      this.entries.delete(message.sessionId);
      return;
    }
    for (const [sessionId, entry] of this.entries) {
      if (entry.value.sessionUserId === message.userId) this.entries.delete(sessionId);
    }
  }
}
