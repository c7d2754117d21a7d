import type { BusMessage, InvalidationBus } from "../sessions";

export interface RecheckTimings {
  /**
   * After a message about a watched session or user, the state is read again this many ms
   * later, at each offset: invalidations are announced before their transaction commits (see
   * sessions/session-cache.ts), so the first reads may still see the old state. The last offset
   * lies past the longest a transaction stays open.
   */
  afterMessageMs: readonly number[];
  /** Every watcher also rechecks this often, whatever it heard: the fallback without a channel. */
  intervalMs: number;
}

/** Longer than any transaction stays open (Prisma's interactive transactions time out after 5 s). */
export const DEFAULT_AFTER_MESSAGE_MS = [0, 50, 150, 300, 600, 1_000, 2_000, 3_500, 6_500] as const;

/** One party interested in a session or a user: `check` reads the committed state and reports what changed. */
export class Watch {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly interval: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    readonly keys: readonly string[],
    private readonly check: () => Promise<void>,
    private readonly timings: RecheckTimings,
    private readonly onStop: (watch: Watch) => void,
  ) {
    this.interval = setInterval(() => void this.run(), timings.intervalMs);
    this.interval.unref();
  }

  /** Something about it was announced: recheck now and along the schedule. */
  heard(): void {
    if (this.stopped) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const offset of this.timings.afterMessageMs) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.run();
      }, offset);
      timer.unref();
      this.timers.add(timer);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.interval);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.onStop(this);
  }

  /** One check at a time; a check asked for meanwhile runs right after. Failures wait for the next one. */
  private async run(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      await this.check();
    } catch {
      // The database may be away: the schedule or the interval tries again.
    } finally {
      this.running = false;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.run();
      }
    }
  }
}

/** "s:<sessionId>" and "u:<userId>", as watches name what they watch. */
export const sessionKey = (sessionId: string) => `s:${sessionId}`;
export const userKey = (userId: string) => `u:${userId}`;

/**
 * Routes the invalidation bus's messages (this process's and, through Redis, every other's) to
 * the watches they concern. A message only says "look again": what a watch reports comes from
 * the database, so it is what committed.
 */
export class SessionEventHub {
  private readonly watches = new Map<string, Set<Watch>>();
  private closed = false;

  constructor(
    bus: InvalidationBus,
    private readonly timings: RecheckTimings,
  ) {
    bus.subscribe(
      (message) => this.heard(message),
      () => undefined,
    );
  }

  watch(keys: readonly string[], check: () => Promise<void>): Watch {
    const watch = new Watch(keys, check, this.timings, (stopped) => this.forget(stopped));
    if (this.closed) {
      watch.stop();
      return watch;
    }
    for (const key of keys) {
      const set = this.watches.get(key);
      if (set) set.add(watch);
      else this.watches.set(key, new Set([watch]));
    }
    return watch;
  }

  close(): void {
    this.closed = true;
    for (const set of [...this.watches.values()]) for (const watch of [...set]) watch.stop();
  }

  private heard(message: BusMessage): void {
    if ("oauthClientId" in message) return;
    const key = "sessionId" in message ? sessionKey(message.sessionId) : userKey("userId" in message ? message.userId : message.sessionsOf);
    for (const watch of [...(this.watches.get(key) ?? [])]) watch.heard();
  }

  private forget(watch: Watch): void {
    for (const key of watch.keys) {
      const set = this.watches.get(key);
      set?.delete(watch);
      if (set?.size === 0) this.watches.delete(key);
    }
  }
}
