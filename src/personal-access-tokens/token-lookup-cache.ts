import type { InvalidationBus } from "../sessions";
import type { TokenRequestRow } from "./personal-access-token.store";

// An invalidation may be announced inside the transaction that makes the change, before it
// commits, so a read in between still sees the old row. For this long after an announcement the
// user's tokens are not cached at all: longer than any transaction stays open (Prisma's
// interactive transactions time out after 5 s), as in the session cache.
const INVALIDATION_HOLD_MS = 6_000;

/**
 * What the per-request lookup of a personal access token read (the token row and its user),
 * kept briefly in memory by token hash so a request with a token usually costs no database
 * round trip. Only the lookup is cached: the service checks revocation, expiry, the account and
 * the staff scopes on every request, from this row. Used only while the invalidation bus is
 * healthy; a revoked token and every change to a user are announced as `{ userId }`, which
 * drops all of that user's tokens on every process.
 */
export class TokenLookupCache {
  /** By token hash, in the order they were cached, so the expired ones are always at the front. */
  private readonly entries = new Map<string, { value: TokenRequestRow; cachedAt: number }>();
  /** Cached token hashes by owner, so a change to a user drops that user's tokens only. */
  private readonly hashesByUser = new Map<string, Set<string>>();
  /** Bumped whenever invalidations may have been missed (the bus went down). */
  private generation = 0;
  /** Users announced lately, until when their tokens must not be cached. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly bus: InvalidationBus,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {
    bus.subscribe(
      // Session-only invalidations, session activity and client changes leave nothing stale here.
      (message) => {
        if ("userId" in message && typeof message.userId === "string") this.forgetUser(message.userId);
      },
      () => this.onUnhealthy(),
    );
  }

  get enabled(): boolean {
    return this.ttlMs > 0 && this.bus.healthy();
  }

  get(tokenHash: string): TokenRequestRow | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (Date.now() - entry.cachedAt > this.ttlMs) {
      this.remove(tokenHash);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Taken before reading a token from the database, handed back to set(). A read that began
   * while the bus was down, or across an outage, may predate a revocation nobody heard about:
   * it must not be cached.
   */
  snapshot(): number | undefined {
    return this.enabled ? this.generation : undefined;
  }

  set(tokenHash: string, value: TokenRequestRow, since: number | undefined): void {
    if (!this.enabled || since !== this.generation) return;
    if (this.isHeld(value.token.userId)) return;
    const now = Date.now();
    this.remove(tokenHash); // re-cached entries move to the back
    this.sweepExpired(now);
    if (this.entries.size >= this.maxEntries) this.remove(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { value, cachedAt: now });
    const hashes = this.hashesByUser.get(value.token.userId);
    if (hashes) hashes.add(tokenHash);
    else this.hashesByUser.set(value.token.userId, new Set([tokenHash]));
  }

  /**
   * The cached token's last use was written (or is being written): later requests compare with
   * this one, so the throttled write is not repeated on each of them.
   */
  noteUse(tokenHash: string, at: Date): void {
    const entry = this.entries.get(tokenHash);
    if (entry) entry.value = { ...entry.value, token: { ...entry.value.token, lastUsedAt: at } };
  }

  /** A token of this user was revoked: forgets the user's tokens here and tells every other process. */
  invalidateUser(userId: string): void {
    this.forgetUser(userId);
    this.bus.publish({ userId });
  }

  /**
   * Forgets the user's tokens in this process only, and caches none of theirs for a while: for a
   * change already announced on the bus by someone else (the session cache announces every change
   * to a user), heard here before the bus echoes it back.
   */
  forgetUser(userId: string): void {
    this.hold(userId);
    for (const tokenHash of [...(this.hashesByUser.get(userId) ?? [])]) this.remove(tokenHash);
  }

  /** Invalidations may have been missed: forget everything, and every read in flight. */
  private onUnhealthy(): void {
    this.generation++;
    this.entries.clear();
    this.hashesByUser.clear();
  }

  private remove(tokenHash: string): void {
    const entry = this.entries.get(tokenHash);
    if (!entry) return;
    this.entries.delete(tokenHash);
    const userId = entry.value.token.userId;
    const hashes = this.hashesByUser.get(userId);
    hashes?.delete(tokenHash);
    if (hashes?.size === 0) this.hashesByUser.delete(userId);
  }

  /** Drops expired entries from the front; each is looked at once, so this costs O(1) per set. */
  private sweepExpired(now: number): void {
    for (const [tokenHash, entry] of this.entries) {
      if (now - entry.cachedAt <= this.ttlMs) break;
      this.remove(tokenHash);
    }
  }

  private isHeld(userId: string): boolean {
    const until = this.held.get(userId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.held.delete(userId);
    return false;
  }

  private hold(userId: string): void {
    const now = Date.now();
    // Bounded by the invalidations of the last few seconds; drop the expired ones as we go.
    if (this.held.size >= this.maxEntries) for (const [key, until] of this.held) if (until <= now) this.held.delete(key);
    // Still full (a flood of invalidations): turn the cache off rather than forget a hold.
    if (this.held.size >= this.maxEntries) this.onUnhealthy();
    this.held.delete(userId);
    this.held.set(userId, now + INVALIDATION_HOLD_MS);
  }
}
