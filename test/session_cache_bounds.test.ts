import { SessionCache, type CachedSession } from "../src/sessions/session-cache";
import { LocalInvalidationBus } from "../src/sessions/invalidation-bus";
import type { User } from "../src/generated/prisma/client";

// The per-process session cache under a long-running mix: a change to one user must cost that
// user's entries, not a walk over every cached session, and entries past their time must not
// pile up until the size cap (a soak showed both as rising CPU and heap).
const session = (userId: string): CachedSession => ({
  user: { id: userId } as User,
  sessionUserId: userId,
  revokedAt: null,
  expiresAt: new Date(Date.now() + 3_600_000),
  lastSeenAt: new Date(),
  authenticatedAt: new Date(),
  createdAt: new Date(),
  impersonatorId: null,
  organizationId: null,
  organizationRole: null,
});

describe("session cache bounds", () => {
  it("drops exactly the sessions of a changed user and keeps the others", () => {
    const cache = new SessionCache(new LocalInvalidationBus(), 60_000);
    const since = cache.snapshot();
    cache.set("a1", session("alice"), since);
    cache.set("a2", session("alice"), since);
    cache.set("b1", session("bob"), since);
    cache.invalidateUser("alice");
    expect(cache.get("a1")).toBeUndefined();
    expect(cache.get("a2")).toBeUndefined();
    expect(cache.get("b1")?.sessionUserId).toBe("bob");
    // Held for a few seconds after the change: a read that raced it is not cached again.
    cache.set("a1", session("alice"), cache.snapshot());
    expect(cache.get("a1")).toBeUndefined();
  });

  it("sweeps expired entries as new ones arrive instead of keeping them until the cap", () => {
    const realNow = Date.now;
    let now = realNow();
    Date.now = () => now;
    try {
      const cache = new SessionCache(new LocalInvalidationBus(), 1_000, 10_000);
      for (let i = 0; i < 500; i++) cache.set(`old${i}`, session(`user${i}`), cache.snapshot());
      now += 1_001;
      cache.set("fresh", session("someone"), cache.snapshot());
      expect(cache.sizes()).toEqual({ entries: 1, users: 1 });
      expect(cache.get("fresh")?.sessionUserId).toBe("someone");
    } finally {
      Date.now = realNow;
    }
  });
});
