import { Prisma } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { SqlRunner } from "../db/direct-sql";
import { USER_COLUMNS } from "../accounts/user-columns.sql";
import { PASSWORD_COLUMNS, PASSWORD_JOIN, signInMatch, userWithPassword, type UserWithPassword, type UserWithPasswordRow } from "../accounts/account.service";
import { LoginLockoutService, type FailureCounts, type LockState } from "../limits/login-lockout.service";
import type { OtpMethod } from "../mfa/otp";

/** Everything a password sign-in decides on before and after the hash, as of one moment. */
export interface SignInState {
  /** The account the identifier names, with its current password hash; null when none (or deleted). */
  user: UserWithPassword | null;
  /** The key failures are counted under: the account, or the identifier tried when no account matches. */
  accountKey: string;
  lock: LockState;
  /** The account's two-factor method when it is on, else null. */
  twoFactorMethod: OtpMethod | null;
}

/**
 * The one read of a password sign-in: the user with its password hash, the lockout counts and
 * the two-factor state come back from a single statement, so a sign-in costs one round trip
 * before the hash (it was three). An unknown identifier still yields a row, with the counts
 * under `unknown:<identifier>`, so the lockout answer is the same for accounts that do not exist.
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
    const [row] = await this.sql<UserWithPasswordRow & FailureCounts & { accountKey: string; twoFactorMethod: OtpMethod | null }>`
      SELECT ${USER_COLUMNS}, ${PASSWORD_COLUMNS}, ${accountKey} AS "accountKey",
             CASE WHEN tf."enabledAt" IS NOT NULL THEN tf.method::text END AS "twoFactorMethod",
             counts.recent, counts.day, counts.latest
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (SELECT * FROM "User" u WHERE ${signInMatch(identifier)} AND u."deletedAt" IS NULL LIMIT 1) u ON true
      ${PASSWORD_JOIN}
      LEFT JOIN "TwoFactor" tf ON tf."userId" = u.id
      CROSS JOIN LATERAL ${this.lockout.failureCounts(accountKey, Prisma.sql`u.id`, ip, now)} counts`;
    const { recent, day, latest, accountKey: key, twoFactorMethod, ...userRow } = row;
    return {
      user: userRow.id ? userWithPassword(userRow as UserWithPasswordRow) : null,
      accountKey: key,
      lock: this.lockout.evaluate({ recent, day, latest }, now),
      twoFactorMethod,
    };
  }
}
