import { Prisma } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { SqlRunner } from "../db/direct-sql";
import { USER_COLUMNS } from "../accounts/user-columns.sql";
import { PASSWORD_COLUMNS, PASSWORD_JOIN, signInMatch, userWithPassword, type UserWithPassword, type UserWithPasswordRow } from "../accounts/account.service";
import { LoginLockoutService, type AttemptVerdict, type FailureCounts } from "../limits/login-lockout.service";
import type { OtpMethod } from "../mfa/otp";

/** Everything a password sign-in decides on before and after the hash, as of one moment. */
export interface SignInState {
  /** The account the identifier names, with its current password hash; null when none (or deleted). */
  user: UserWithPassword | null;
  /** The password check claimed on the account's lockout (or the identifier's, when no account matches). */
  verdict: AttemptVerdict;
  /** The account's two-factor method when it is on, else null. */
  twoFactorMethod: OtpMethod | null;
}

/**
 * The read of a password sign-in: the user with its password hash, the lockout counts and
 * the two-factor state come back from a single statement, which also claims the password check
 * on the lockout (a failure row, deleted again on success) unless the account is locked. A
 * second statement confirms the claim against the claims made concurrently (see
 * LoginLockoutService). An unknown identifier still yields a row and a claim, under
 * `unknown:<identifier>`, so the lockout answer and the work done are the same for accounts
 * that do not exist.
 */
export class SignInReader {
  constructor(
    private readonly sql: SqlRunner,
    private readonly lockout: LoginLockoutService,
    private readonly clock: Clock,
  ) {}

  async read(identifier: string, ip: string | null): Promise<SignInState> {
    const now = this.clock.now();
    const accountKey = LoginLockoutService.accountKeySql(Prisma.sql`u.id`, identifier.trim().toLowerCase());
    const [row] = await this.sql<UserWithPasswordRow & FailureCounts & { accountKey: string; twoFactorMethod: OtpMethod | null; claimId: string | null }>`
      WITH found AS (
        SELECT ${USER_COLUMNS}, ${PASSWORD_COLUMNS}, ${accountKey} AS "accountKey", u.id AS "userId",
               CASE WHEN tf."enabledAt" IS NOT NULL THEN tf.method::text END AS "twoFactorMethod",
               counts.recent, counts.day, counts.latest
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (SELECT * FROM "User" u WHERE ${signInMatch(identifier)} AND u."deletedAt" IS NULL LIMIT 1) u ON true
        ${PASSWORD_JOIN}
        LEFT JOIN "TwoFactor" tf ON tf."userId" = u.id
        CROSS JOIN LATERAL ${this.lockout.failureCounts(accountKey, Prisma.sql`u.id`, ip, now)} counts
      ), ${this.lockout.claimPart("found", ip, now)}
      SELECT found.*, (SELECT id FROM claimed_attempt) AS "claimId" FROM found`;
    const { recent, day, latest, accountKey: key, twoFactorMethod, claimId, userId, ...userRow } = row as typeof row & { userId: string | null };
    const claimed = claimId ? { id: claimId, accountKey: key, userId, ip, at: now } : null;
    return {
      user: userRow.id ? userWithPassword(userRow as UserWithPasswordRow) : null,
      verdict: await this.lockout.confirm(claimed, { recent, day, latest }, now),
      twoFactorMethod,
    };
  }
}
