import { TokenLookupCache } from "../src/personal-access-tokens/token-lookup-cache";
import type { TokenRequestRow } from "../src/personal-access-tokens/personal-access-token.store";
import type { BusListener, BusMessage, InvalidationBus } from "../src/sessions/invalidation-bus";
import type { User } from "../src/generated/prisma/client";

/** A bus whose health and messages the test controls. */
class ControlledBus implements InvalidationBus {
  up = true;
  readonly published: BusMessage[] = [];
  private listener: BusListener = () => undefined;
  private onUnhealthy: () => void = () => undefined;
  healthy(): boolean {
    return this.up;
  }
  publish(message: BusMessage): void {
    this.published.push(message);
  }
  subscribe(listener: BusListener, onUnhealthy: () => void): void {
    this.listener = listener;
    this.onUnhealthy = onUnhealthy;
  }
  hear(message: BusMessage): void {
    this.listener(message);
  }
  goDown(): void {
    this.up = false;
    this.onUnhealthy();
  }
  async close(): Promise<void> {}
}

const row = (userId: string, id = `t-${userId}`): TokenRequestRow => ({
  token: { id, userId, scopes: ["read:profile"], expiresAt: null, revokedAt: null, lastUsedAt: null, createdAt: new Date() },
  user: { id: userId } as User,
});

/** Runs `body` with Date.now under the test's control (the cache's TTL and holds read it). */
function withTime(body: (advance: (ms: number) => void) => void): void {
  const realNow = Date.now;
  let now = realNow();
  Date.now = () => now;
  try {
    body((ms) => (now += ms));
  } finally {
    Date.now = realNow;
  }
}

// The threats: a token served from memory after a revocation it should have heard, after the bus
// could have missed one, or long after its time; and a cache that grows without bound.
describe("the personal access token lookup cache's rules", () => {
  it("drops exactly the changed user's tokens, announces revocations, and caches none of theirs for a while", () => {
    withTime((advance) => {
      const bus = new ControlledBus();
      const cache = new TokenLookupCache(bus, 60_000);
      cache.set("h-a1", row("alice", "a1"), cache.snapshot());
      cache.set("h-a2", row("alice", "a2"), cache.snapshot());
      cache.set("h-b1", row("bob"), cache.snapshot());
      bus.hear({ userId: "alice" });
      expect([cache.get("h-a1"), cache.get("h-a2"), cache.get("h-b1")?.token.userId]).toEqual([undefined, undefined, "bob"]);
      // A read that raced the change (its transaction not yet committed) is not cached.
      cache.set("h-a1", row("alice", "a1"), cache.snapshot());
      expect(cache.get("h-a1")).toBeUndefined();
      advance(6_001);
      cache.set("h-a1", row("alice", "a1"), cache.snapshot());
      expect(cache.get("h-a1")?.token.id).toBe("a1");
      // A revocation here is told to every process, and holds here at once.
      cache.invalidateUser("alice");
      expect(bus.published).toEqual([{ userId: "alice" }]);
      expect(cache.get("h-a1")).toBeUndefined();
      // Session-only messages and others leave tokens be.
      bus.hear({ sessionId: "s1" });
      bus.hear({ sessionsOf: "bob" });
      bus.hear({ oauthClientId: "c1" });
      expect(cache.get("h-b1")?.token.userId).toBe("bob");
    });
  });

  it("answers nothing while the bus is unhealthy, and caches no read that began before an outage", () => {
    const bus = new ControlledBus();
    const cache = new TokenLookupCache(bus, 60_000);
    cache.set("h1", row("carol"), cache.snapshot());
    const before = cache.snapshot();
    bus.goDown();
    expect(cache.get("h1")).toBeUndefined();
    expect(cache.snapshot()).toBeUndefined();
    bus.up = true;
    // Back up: it starts empty, and the read taken before the outage is refused.
    expect(cache.get("h1")).toBeUndefined();
    cache.set("h1", row("carol"), before);
    expect(cache.get("h1")).toBeUndefined();
    cache.set("h1", row("carol"), cache.snapshot());
    expect(cache.get("h1")?.token.userId).toBe("carol");
  });

  it("forgets entries past their time and keeps at most its size", () => {
    withTime((advance) => {
      const cache = new TokenLookupCache(new ControlledBus(), 1_000, 3);
      cache.set("h1", row("u1"), cache.snapshot());
      advance(1_001);
      expect(cache.get("h1")).toBeUndefined();
      for (const n of [2, 3, 4, 5]) cache.set(`h${n}`, row(`u${n}`), cache.snapshot());
      expect(["h2", "h3", "h4", "h5"].map((hash) => cache.get(hash)?.token.userId)).toEqual([undefined, "u3", "u4", "u5"]);
    });
  });

  it("keeps the last use written, so the next request does not write it again", () => {
    const cache = new TokenLookupCache(new ControlledBus(), 60_000);
    cache.set("h1", row("dave"), cache.snapshot());
    const at = new Date("2026-12-07T12:00:00Z");
    cache.noteUse("h1", at);
    expect(cache.get("h1")?.token.lastUsedAt).toEqual(at);
  });

  it("caches nothing with a TTL of 0", () => {
    const cache = new TokenLookupCache(new ControlledBus(), 0);
    cache.set("h1", row("erin"), cache.snapshot());
    expect([cache.enabled, cache.get("h1")]).toEqual([false, undefined]);
  });
});
