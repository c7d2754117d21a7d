import type { User } from "../generated/prisma/client";
import type { InvalidationBus, Invalidation } from "./invalidation-bus";

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

// A revocation written inside a transaction is announced before it commits, so a read in
// between still sees the session live. For this long after an announcement the session (or
// user) is not cached at all: longer than any transaction stays open (Prisma's interactive
// transactions time out after 5 s), so whatever is cached afterwards was read after the commit.
const INVALIDATION_HOLD_MS = 6_000;

/**
 * Session and user state kept briefly in memory so the context builder needs no database
 * round trip per request. Used only while the invalidation bus is healthy; every revocation
 * and every change to a user is announced on the bus and drops the entries everywhere.
 */
export class SessionCache {
  /** In the order they were cached, so the expired ones are always at the front. */
  private readonly entries = new Map<string, { value: CachedSession; cachedAt: number }>();
  /**
   * Cached session ids by user, so a change to a user drops that user's entries only. An
   * impersonated session is filed under its ADMIN too: demoting or disabling them drops it.
   */
  private readonly sessionsByUser = new Map<string, Set<string>>();
  /** Bumped whenever invalidations may have been missed (the bus went down). */
  private generation = 0;
  /** "s:<sessionId>" / "u:<userId>" announced lately, until when they must not be cached. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly bus: InvalidationBus,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {
    bus.subscribe(
      // Session activity (a sign-in) and client changes leave nothing stale here.
      (message) => {
        if ("sessionId" in message || "userId" in message) this.apply(message);
      },
      () => this.onUnhealthy(),
    );
  }

  /** Invalidations may have been missed: forget everything, and every read in flight. */
  private onUnhealthy(): void {
    this.generation++;
    this.entries.clear();
    this.sessionsByUser.clear();
  }

  private remove(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    this.unfile(entry.value.sessionUserId, sessionId);
    if (entry.value.impersonatorId) this.unfile(entry.value.impersonatorId, sessionId);
  }

  private file(userId: string, sessionId: string): void {
    const sessions = this.sessionsByUser.get(userId);
    if (sessions) sessions.add(sessionId);
    else this.sessionsByUser.set(userId, new Set([sessionId]));
  }

  private unfile(userId: string, sessionId: string): void {
    const sessions = this.sessionsByUser.get(userId);
    sessions?.delete(sessionId);
    if (sessions?.size === 0) this.sessionsByUser.delete(userId);
  }

  /** Drops expired entries from the front; each is looked at once, so this costs O(1) per set. */
  private sweepExpired(now: number): void {
    for (const [sessionId, entry] of this.entries) {
      if (now - entry.cachedAt <= this.ttlMs) break;
      this.remove(sessionId);
    }
  }

  get enabled(): boolean {
    return this.ttlMs > 0 && this.bus.healthy();
  }

  get(sessionId: string): CachedSession | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (Date.now() - entry.cachedAt > this.ttlMs) {
      this.remove(sessionId);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Taken before reading a session from the database, handed back to set(). A read that began
   * while the bus was down, or across an outage, may predate a revocation nobody heard about:
   * it must not be cached.
   */
  snapshot(): number | undefined {
    return this.enabled ? this.generation : undefined;
  }

  set(sessionId: string, value: CachedSession, since: number | undefined): void {
    if (!this.enabled || since !== this.generation) return;
    if (this.isHeld(`s:${sessionId}`) || this.isHeld(`u:${value.sessionUserId}`)) return;
    if (value.impersonatorId && this.isHeld(`u:${value.impersonatorId}`)) return;
    const now = Date.now();
    this.remove(sessionId); // re-cached entries move to the back
    this.sweepExpired(now);
    if (this.entries.size >= this.maxEntries) this.remove(this.entries.keys().next().value!);
    this.entries.set(sessionId, { value, cachedAt: now });
    this.file(value.sessionUserId, sessionId);
    if (value.impersonatorId) this.file(value.impersonatorId, sessionId);
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

  private isHeld(key: string): boolean {
    const until = this.held.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.held.delete(key);
    return false;
  }

  private hold(key: string): void {
    const now = Date.now();
    // Bounded by the revocations of the last few seconds; drop the expired ones as we go.
    if (this.held.size >= this.maxEntries) for (const [k, until] of this.held) if (until <= now) this.held.delete(k);
    // Still full (a flood of revocations): turn the cache off rather than forget a hold.
    if (this.held.size >= this.maxEntries) this.onUnhealthy();
    this.held.delete(key);
    this.held.set(key, now + INVALIDATION_HOLD_MS);
  }

  private apply(message: Invalidation): void {
    this.hold("sessionId" in message ? `s:${message.sessionId}` : `u:${message.userId}`);
    if ("sessionId" in message) {
      this.remove(message.sessionId);
      return;
    }
    for (const sessionId of [...(this.sessionsByUser.get(message.userId) ?? [])]) this.remove(sessionId);
  }
}
