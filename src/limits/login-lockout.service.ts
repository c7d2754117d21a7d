import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { utc } from "../db/sql-time";

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

export interface FailureCounts {
  recent: number;
  day: number;
  latest: Date | null;
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

  /** `accountKey` as a SQL expression, for a statement that finds the user id itself. */
  static accountKeySql(userId: Prisma.Sql, normalizedIdentifier: string): Prisma.Sql {
    return Prisma.sql`CASE WHEN ${userId} IS NULL THEN ${LoginLockoutService.accountKey(undefined, normalizedIdentifier)}::text ELSE 'user:' || ${userId} END`;
  }

  async state(accountKey: string, ip: string | null, userId?: string): Promise<LockState> {
    const now = this.clock.now();
    const [row] = await this.prisma.$queryRaw<FailureCounts[]>`
      SELECT * FROM ${this.failureCounts(Prisma.sql`${accountKey}::text`, Prisma.sql`${userId ?? null}::text`, ip, now)} counts`;
    return this.evaluate(row, now);
  }

  /**
   * The failures that decide a lock, as a subquery over SQL expressions for the account key and
   * user id, so sign-in can read them in the same statement as the user (LATERAL). Failures
   * from elsewhere do not count against an IP the account recently signed in from.
   */
  failureCounts(accountKey: Prisma.Sql, userId: Prisma.Sql, ip: string | null, now: Date): Prisma.Sql {
    const since = new Date(now.getTime() - DAY_MS);
    const recentSince = new Date(now.getTime() - this.policy.windowMs);
    const trustedSince = new Date(now.getTime() - this.policy.trustedIpMs);
    return Prisma.sql`(
      SELECT count(*) FILTER (WHERE f."createdAt" > ${utc(recentSince)})::int AS recent, count(*)::int AS day, max(f."createdAt") AS latest
      FROM "LoginFailure" f
      WHERE f."accountKey" = ${accountKey} AND f."createdAt" > ${utc(since)}
        AND (f.ip = ${ip}::text OR NOT EXISTS (
          SELECT 1 FROM "Session" s WHERE s."userId" = ${userId} AND s.ip = ${ip}::text AND s."createdAt" > ${utc(trustedSince)}))
    )`;
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

  /** Whether the counts mean a lock at `now`, and for how much longer. */
  evaluate(row: FailureCounts | undefined, now: Date): LockState {
    if (!row || !row.latest || row.recent < this.policy.threshold) return { locked: false, retryAfterSeconds: 0 };
    const level = Math.floor(row.day / this.policy.threshold) - 1;
    const lockMs = Math.min(this.policy.baseMs * 2 ** Math.min(level, 30), this.policy.maxMs);
    const remaining = row.latest.getTime() + lockMs - now.getTime();
    return remaining > 0 ? { locked: true, retryAfterSeconds: Math.ceil(remaining / 1000) } : { locked: false, retryAfterSeconds: 0 };
  }
}
