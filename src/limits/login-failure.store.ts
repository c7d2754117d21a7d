import { Prisma, type LoginFailure, type PrismaClient } from "../generated/prisma/client";
import { utc } from "../db/sql-time";
import { uuidv7At } from "../db/sql-ids";
import type { SqlRunner } from "../db/direct-sql";

/** The counts a lock is decided on (the columns of `countsPart`). */
export interface FailureCounts {
  recent: number;
  day: number;
  latest: Date | null;
}

/** The moments that bound the counted failures. */
export interface CountWindows {
  /** Failures after this count for the day (the lock's growth). */
  daySince: Date;
  /** Failures after this count for the threshold. */
  recentSince: Date;
  /** A sign-in from the same IP after this makes the IP trusted. */
  trustedSince: Date;
}

/** How counts lock an account: `threshold` recent failures lock for baseMs, doubling per threshold a day, at most maxMs. */
export interface LockRule {
  threshold: number;
  baseMs: number;
  maxMs: number;
}

/**
 * Whether an account signed in from an IP recently, as a SQL condition: the sessions feature
 * owns the Session table it reads and provides it; the composition passes it in.
 */
export interface RecentSignInSource {
  signedInFromPart(userId: Prisma.Sql, ip: string | null, since: Date): Prisma.Sql;
}

/** A claim as the claim statement returns it: the counts before it and its row id, or null when locked. */
export type ClaimRow = FailureCounts & { claimId: LoginFailure["id"] | null };

/**
 * Every statement on LoginFailure. The claim statements run on the direct driver (`sql`): they
 * are on the sign-in hot path.
 */
export class LoginFailureStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
    private readonly recentSignIns: RecentSignInSource,
  ) {}

  /** The account key (see LoginLockoutService.accountKey) as a SQL expression over a user id expression. */
  static accountKeyPart(userId: Prisma.Sql, unknownKey: string): Prisma.Sql {
    return Prisma.sql`CASE WHEN ${userId} IS NULL THEN ${unknownKey}::text ELSE 'user:' || ${userId} END`;
  }

  /**
   * The failures that decide a lock, as a subquery (columns recent, day, latest) over SQL
   * expressions for the account key and user id, so sign-in can read them in the same
   * statement as the user (LATERAL). Failures from elsewhere do not count against an IP the
   * account recently signed in from. `exceptId` leaves one row (an attempt's own claim) out.
   */
  countsPart(accountKey: Prisma.Sql, userId: Prisma.Sql, ip: string | null, windows: CountWindows, exceptId?: string): Prisma.Sql {
    return Prisma.sql`(
      SELECT count(*) FILTER (WHERE f."createdAt" > ${utc(windows.recentSince)})::int AS recent, count(*)::int AS day, max(f."createdAt") AS latest
      FROM "LoginFailure" f
      WHERE f."accountKey" = ${accountKey} AND f."createdAt" > ${utc(windows.daySince)}
        ${exceptId ? Prisma.sql`AND f.id <> ${exceptId}` : Prisma.empty}
        AND (f.ip = ${ip}::text OR NOT ${this.recentSignIns.signedInFromPart(userId, ip, windows.trustedSince)})
    )`;
  }

  /** Whether count columns lock the account at `now`, as a SQL condition for a statement to act on. */
  lockedPart(recent: Prisma.Sql, day: Prisma.Sql, latest: Prisma.Sql, rule: LockRule, now: Date): Prisma.Sql {
    const { threshold, baseMs, maxMs } = rule;
    return Prisma.sql`(${recent} >= ${threshold}::int AND ${latest} + least(
      ${baseMs}::float8 * power(2::float8, least(${day} / ${threshold}::int - 1, 30)), ${maxMs}::float8) * interval '1 millisecond' > ${utc(now)})`;
  }

  /**
   * CTE `claimed_attempt`: inserts the failure row for the first row of `source` (a CTE with
   * columns "accountKey", "userId", recent, day, latest: the counts before it) unless those
   * counts lock the account, returning its id.
   */
  claimPart(source: string, ip: string | null, rule: LockRule, now: Date): Prisma.Sql {
    // `source` is a CTE name written in code, never input.
    const from = Prisma.raw(source);
    return Prisma.sql`claimed_attempt AS (
      INSERT INTO "LoginFailure" (id, "accountKey", "userId", ip, "createdAt")
      SELECT ${uuidv7At(now)}, src."accountKey", src."userId", ${ip}::text, ${utc(now)}
      FROM ${from} src
      WHERE NOT ${this.lockedPart(Prisma.sql`src.recent`, Prisma.sql`src.day`, Prisma.sql`src.latest`, rule, now)}
      RETURNING id
    )`;
  }

  /** Counts and claims in one statement, on a known account key. */
  async claim(accountKey: string, userId: string | null, ip: string | null, rule: LockRule, windows: CountWindows, now: Date): Promise<ClaimRow> {
    const [row] = await this.sql<ClaimRow>`
      WITH src AS (
        SELECT ${accountKey}::text AS "accountKey", ${userId}::text AS "userId", counts.*
        FROM ${this.countsPart(Prisma.sql`${accountKey}::text`, Prisma.sql`${userId}::text`, ip, windows)} counts
      ), ${this.claimPart("src", ip, rule, now)}
      SELECT src.recent, src.day, src.latest, (SELECT id FROM claimed_attempt) AS "claimId" FROM src`;
    return row;
  }

  /** The counts on an account, leaving out the row `exceptId`. */
  async counts(accountKey: string, userId: string | null, ip: string | null, windows: CountWindows, exceptId?: string): Promise<FailureCounts> {
    const [row] = await this.sql<FailureCounts>`
      SELECT * FROM ${this.countsPart(Prisma.sql`${accountKey}::text`, Prisma.sql`${userId}::text`, ip, windows, exceptId)} counts`;
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.sql`DELETE FROM "LoginFailure" WHERE id = ${id}`;
  }

  /** `delete` as a CTE (`released_attempt`), to fold into a statement written anyway. */
  deletePart(id: string): Prisma.Sql {
    return Prisma.sql`released_attempt AS (DELETE FROM "LoginFailure" WHERE id = ${id} RETURNING id)`;
  }

  /** Returns how many failures older than `cutoff` were deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.loginFailure.deleteMany({ where: { createdAt: { lt: cutoff } } });
    return count;
  }
}
