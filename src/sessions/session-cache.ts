import type { User } from "../generated/prisma/client";
import type { InvalidationBus, Invalidation } from "./invalidation-bus";
import { InvalidatedCache } from "./invalidated-cache";

export interface CachedSession {
  user: User;
  sessionUserId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  lastSeenAt: Date;
  authenticatedAt: Date;
  createdAt: Date;
  /** The ADMIN who started the session as its user (impersonateUser); null for the user's own sign-ins. */
  impersonatorId: string | null;
  /** The active organization while the user belongs to it, and the role there (dropped with the user's entries on a membership change). */
  organizationId: string | null;
  organizationRole: "OWNER" | "ADMIN" | "MEMBER" | null;
}

/**
 * Session and user state kept briefly in memory so the context builder needs no database
 * round trip per request. Used only while the invalidation bus is healthy; every revocation
 * and every change to a user is announced on the bus and drops the entries everywhere. An
 * impersonated session is filed under its ADMIN too: demoting or disabling them drops it.
 */
export class SessionCache {
  private readonly cache: InvalidatedCache<CachedSession>;

  constructor(
    private readonly bus: InvalidationBus,
    ttlMs: number,
    maxEntries = 50_000,
  ) {
    this.cache = new InvalidatedCache<CachedSession>(bus, ttlMs, (session) => [session.sessionUserId, session.impersonatorId], maxEntries);
    bus.subscribe(
      // Session activity (a sign-in) and client changes leave nothing stale here.
      (message) => {
        if ("sessionId" in message || "userId" in message) this.apply(message);
      },
      () => this.cache.forgetAll(),
    );
  }

  get enabled(): boolean {
    return this.cache.enabled;
  }

  get(sessionId: string): CachedSession | undefined {
    return this.cache.get(sessionId);
  }

  /** Taken before reading a session from the database, handed back to set() (InvalidatedCache.snapshot). */
  snapshot(): number | undefined {
    return this.cache.snapshot();
  }

  set(sessionId: string, value: CachedSession, since: number | undefined): void {
    this.cache.set(sessionId, value, since);
  }

  /** How many sessions and users are filed (the bounds tests). */
  sizes(): { entries: number; users: number } {
    return this.cache.sizes();
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
  }

  private apply(message: Invalidation): void {
    if ("sessionId" in message) this.cache.forgetKey(message.sessionId);
    else this.cache.forgetUser(message.userId);
  }
}
