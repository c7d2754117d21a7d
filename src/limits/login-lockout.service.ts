import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";

export interface LockoutPolicy {
  /** Failures within `windowMs` that lock the account. */
  threshold: number;
  windowMs: number;
  /** First lock lasts `baseMs`; each further `threshold` failures in a day doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** An IP the account signed in from within this long is judged only by its own failures. */
  trustedIpMs: number;
}

export interface LockState {
  locked: boolean;
  retryAfterSeconds: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Brute-force lockout per account. Failures are keyed by account, or by the identifier tried
 * when no account matches, so "locked" is said of unknown accounts too and reveals nothing.
 * A lock cannot keep the owner out for long: it is capped, and an IP the owner recently
 * signed in from counts only its own failures, so an attacker elsewhere cannot lock it.
 */
export class LoginLockoutService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly policy: LockoutPolicy,
  ) {}

  static accountKey(userId: string | undefined, normalizedIdentifier: string): string {
    return userId ? `user:${userId}` : `unknown:${normalizedIdentifier}`;
  }

  async state(accountKey: string, ip: string | null, userId?: string): Promise<LockState> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - DAY_MS);
    const recentSince = new Date(now.getTime() - this.policy.windowMs);
    const trustedSince = new Date(now.getTime() - this.policy.trustedIpMs);
    const [row] = await this.prisma.$queryRaw<Array<{ recent: number; day: number; latest: Date | null }>>`
      WITH trusted AS (
        SELECT EXISTS (
          SELECT 1 FROM "Session" s
          WHERE ${userId ?? null}::text IS NOT NULL AND s."userId" = ${userId ?? null} AND s.ip = ${ip} AND s."createdAt" > ${trustedSince}
        ) AS yes
      )
      SELECT count(*) FILTER (WHERE f."createdAt" > ${recentSince})::int AS recent,
             count(*)::int AS day,
             max(f."createdAt") AS latest
      FROM "LoginFailure" f, trusted
      WHERE f."accountKey" = ${accountKey} AND f."createdAt" > ${since}
        AND (NOT trusted.yes OR f.ip = ${ip})`;
    return this.evaluate(row, now);
  }

  /** Records a failure; returns the state after it (a lock may start now). */
  async recordFailure(accountKey: string, ip: string | null, userId?: string): Promise<LockState> {
    await this.prisma.loginFailure.create({ data: { accountKey, userId: userId ?? null, ip, createdAt: this.clock.now() } });
    return this.state(accountKey, ip, userId);
  }

  /** Failures older than a day no longer count for anything. */
  async prune(): Promise<number> {
    const { count } = await this.prisma.loginFailure.deleteMany({
      where: { createdAt: { lt: new Date(this.clock.now().getTime() - DAY_MS) } },
    });
    return count;
  }

  private evaluate(row: { recent: number; day: number; latest: Date | null } | undefined, now: Date): LockState {
    if (!row || !row.latest || row.recent < this.policy.threshold) return { locked: false, retryAfterSeconds: 0 };
    const level = Math.floor(row.day / this.policy.threshold) - 1;
    const lockMs = Math.min(this.policy.baseMs * 2 ** Math.min(level, 30), this.policy.maxMs);
    const remaining = row.latest.getTime() + lockMs - now.getTime();
    return remaining > 0 ? { locked: true, retryAfterSeconds: Math.ceil(remaining / 1000) } : { locked: false, retryAfterSeconds: 0 };
  }
}
