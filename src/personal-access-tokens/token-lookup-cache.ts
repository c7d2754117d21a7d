import { InvalidatedCache, type InvalidationBus } from "../sessions";
import type { TokenRequestRow } from "./personal-access-token.store";

/**
 * What the per-request lookup of a personal access token read (the token row and its user),
 * kept briefly in memory by token hash so a request with a token usually costs no database
 * round trip. Only the lookup is cached: the service checks revocation, expiry, the account and
 * the staff scopes on every request, from this row. Used only while the invalidation bus is
 * healthy; a revoked token and every change to a user are announced as `{ userId }`, which
 * drops all of that user's tokens on every process (the sessions' InvalidatedCache rules).
 */
export class TokenLookupCache {
  private readonly cache: InvalidatedCache<TokenRequestRow>;

  constructor(
    private readonly bus: InvalidationBus,
    ttlMs: number,
    maxEntries = 50_000,
  ) {
    this.cache = new InvalidatedCache<TokenRequestRow>(bus, ttlMs, (row) => [row.token.userId], maxEntries);
    bus.subscribe(
      // Session-only invalidations, session activity and client changes leave nothing stale here.
      (message) => {
        if ("userId" in message && typeof message.userId === "string") this.forgetUser(message.userId);
      },
      () => this.cache.forgetAll(),
    );
  }

  get enabled(): boolean {
    return this.cache.enabled;
  }

  get(tokenHash: string): TokenRequestRow | undefined {
    return this.cache.get(tokenHash);
  }

  /** Taken before reading a token from the database, handed back to set() (InvalidatedCache.snapshot). */
  snapshot(): number | undefined {
    return this.cache.snapshot();
  }

  set(tokenHash: string, value: TokenRequestRow, since: number | undefined): void {
    this.cache.set(tokenHash, value, since);
  }

  /**
   * The cached token's last use was written (or is being written): later requests compare with
   * this one, so the throttled write is not repeated on each of them.
   */
  noteUse(tokenHash: string, at: Date): void {
    this.cache.update(tokenHash, (row) => ({ ...row, token: { ...row.token, lastUsedAt: at } }));
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
    this.cache.forgetUser(userId);
  }

  /** How many tokens and users are filed (the bounds tests). */
  sizes(): { entries: number; users: number } {
    return this.cache.sizes();
  }
}
