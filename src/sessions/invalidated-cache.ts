import type { InvalidationBus } from "./invalidation-bus";

// An invalidation may be announced inside the transaction that makes the change, before it
// commits, so a read in between still sees the old row. For this long after an announcement the
// key (or user) is not cached at all: longer than any transaction stays open (Prisma's
// interactive transactions time out after 5 s), so whatever is cached afterwards was read after
// the commit.
const INVALIDATION_HOLD_MS = 6_000;

/**
 * What the per-request caches (sessions, personal access tokens) share: rows kept briefly in
 * memory by key, filed under the users they belong to so a change to a user drops theirs only,
 * used only while the invalidation bus is healthy (when it is not, nothing is cached and every
 * read in flight is forgotten), each entry for at most `ttlMs`, at most `maxEntries` of them.
 * The owner decides which bus messages drop what (forgetKey, forgetUser).
 */
export class InvalidatedCache<V> {
  /** In the order they were cached, so the expired ones are always at the front. */
  private readonly entries = new Map<string, { value: V; cachedAt: number }>();
  /** Cached keys by user. */
  private readonly keysByUser = new Map<string, Set<string>>();
  /** Bumped whenever invalidations may have been missed (the bus went down). */
  private generation = 0;
  /** "k:<key>" / "u:<userId>" announced lately, until when they must not be cached. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly bus: Pick<InvalidationBus, "healthy">,
    private readonly ttlMs: number,
    /** The users an entry is filed under (its owner, and for an impersonated session its ADMIN). */
    private readonly usersOf: (value: V) => Array<string | null>,
    private readonly maxEntries = 50_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.bus.healthy();
  }

  get(key: string): V | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.cachedAt > this.ttlMs) {
      this.remove(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Taken before reading from the database, handed back to set(). A read that began while the
   * bus was down, or across an outage, may predate a revocation nobody heard about: it must not
   * be cached.
   */
  snapshot(): number | undefined {
    return this.enabled ? this.generation : undefined;
  }

  set(key: string, value: V, since: number | undefined): void {
    if (!this.enabled || since !== this.generation) return;
    const users = this.usersOf(value).filter((user): user is string => user !== null);
    if (this.isHeld(`k:${key}`) || users.some((user) => this.isHeld(`u:${user}`))) return;
    const now = Date.now();
    this.remove(key); // re-cached entries move to the back
    this.sweepExpired(now);
    if (this.entries.size >= this.maxEntries) this.remove(this.entries.keys().next().value!);
    this.entries.set(key, { value, cachedAt: now });
    for (const user of users) this.file(user, key);
  }

  /** How many entries and users are filed (the bounds tests). */
  sizes(): { entries: number; users: number } {
    return { entries: this.entries.size, users: this.keysByUser.size };
  }

  /** Replaces a cached entry's value in place (same users), keeping its age. */
  update(key: string, change: (value: V) => V): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = change(entry.value);
  }

  /** Drops one entry, and caches none under that key for a while. */
  forgetKey(key: string): void {
    this.hold(`k:${key}`);
    this.remove(key);
  }

  /** Drops every entry filed under the user, and caches none of theirs for a while. */
  forgetUser(userId: string): void {
    this.hold(`u:${userId}`);
    for (const key of [...(this.keysByUser.get(userId) ?? [])]) this.remove(key);
  }

  /** Invalidations may have been missed: forget everything, and every read in flight. */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
    this.keysByUser.clear();
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const user of this.usersOf(entry.value)) if (user !== null) this.unfile(user, key);
  }

  private file(userId: string, key: string): void {
    const keys = this.keysByUser.get(userId);
    if (keys) keys.add(key);
    else this.keysByUser.set(userId, new Set([key]));
  }

  private unfile(userId: string, key: string): void {
    const keys = this.keysByUser.get(userId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByUser.delete(userId);
  }

  /** Drops expired entries from the front; each is looked at once, so this costs O(1) per set. */
  private sweepExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.cachedAt <= this.ttlMs) break;
      this.remove(key);
    }
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
    // Bounded by the invalidations of the last few seconds; drop the expired ones as we go.
    if (this.held.size >= this.maxEntries) for (const [held, until] of this.held) if (until <= now) this.held.delete(held);
    // Still full (a flood of invalidations): turn the cache off rather than forget a hold.
    if (this.held.size >= this.maxEntries) this.forgetAll();
    this.held.delete(key);
    this.held.set(key, now + INVALIDATION_HOLD_MS);
  }
}
