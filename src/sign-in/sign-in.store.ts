import { Prisma, type TwoFactorMethod, type User } from "../generated/prisma/client";
import type { SqlRunner } from "../db/direct-sql";
import { markSignedInPart, signInLookupPart, userColumns, userWithPasswordFromRow, type UserWithPassword, type UserWithPasswordRow } from "../accounts";
import { passwordColumns, passwordJoin } from "../credentials";
import { LoginLockoutService, type FailureCounts } from "../limits";
import type { TwoFactorState } from "./two-factor-state";
import type { SignInMethodName } from "./sign-in-method";

// The statement's parts from the owners of their tables, built once.
const USER_COLUMNS = userColumns("u");
const PASSWORD_JOIN = passwordJoin("u", "c");
const PASSWORD_COLUMNS = passwordColumns("c");

/** The one-statement password read, as it came back (see SignInReader). */
export interface SignInReadRow {
  /** The account the identifier names, with its current password hash; null when none (or deleted). */
  user: UserWithPassword | null;
  counts: FailureCounts;
  /** The lockout key the attempt counts under: the account's, or `unknown:<identifier>`. */
  accountKey: string;
  twoFactorMethod: TwoFactorMethod | null;
  /** The matched account's id, as the lockout claim recorded it. */
  userId: string | null;
  /** The failure row claimed for this attempt; null when the counts lock the account. */
  claimId: string | null;
}

// The user's columns come from a LEFT JOIN: all null when no account matched.
type FoundRow = { [K in keyof UserWithPasswordRow]: UserWithPasswordRow[K] | null } & FailureCounts & {
  accountKey: string;
  userId: string | null;
  twoFactorMethod: TwoFactorMethod | null;
  claimId: string | null;
};

/**
 * The sign-in's statements that span features. This store owns no table: it assembles each
 * statement from the parts the owning stores give (the user and its password from accounts and
 * credentials, the lockout counts and claim from limits, the two-factor state from mfa, the
 * session rows from sessions), so that a sign-in stays one round trip.
 */
export class SignInStore {
  constructor(
    private readonly sql: SqlRunner,
    private readonly lockout: LoginLockoutService,
    private readonly twoFactor: TwoFactorState,
  ) {}

  /**
   * The user the identifier names with its password hash, the lockout counts and the two-factor
   * state in a single statement, which also claims the attempt on the lockout unless the counts
   * lock the account. An unknown identifier still yields a row and a claim.
   */
  async read(identifier: string, ip: string | null, now: Date): Promise<SignInReadRow> {
    const userId = Prisma.sql`u.id`;
    const accountKey = LoginLockoutService.accountKeySql(userId, identifier.trim().toLowerCase());
    const [row] = await this.sql<FoundRow>`
      WITH found AS (
        SELECT ${USER_COLUMNS}, ${PASSWORD_COLUMNS}, ${accountKey} AS "accountKey", u.id AS "userId",
               ${this.twoFactor.enabledMethodSql(userId)} AS "twoFactorMethod",
               counts.recent, counts.day, counts.latest
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL ${signInLookupPart(identifier)} ON true
        ${PASSWORD_JOIN}
        CROSS JOIN LATERAL ${this.lockout.failureCounts(accountKey, userId, ip, now)} counts
      ), ${this.lockout.claimPart("found", ip, now)}
      SELECT found.*, (SELECT id FROM claimed_attempt) AS "claimId" FROM found`;
    const { recent, day, latest, accountKey: key, userId: foundId, twoFactorMethod, claimId, ...userRow } = row;
    // A matched row has every user column; an unmatched one has none.
    const user = userRow.id === null ? null : userWithPasswordFromRow(userRow as UserWithPasswordRow);
    return { user, counts: { recent, day, latest }, accountKey: key, userId: foundId, twoFactorMethod, claimId };
  }

  /**
   * Writes a sign-in in one statement: `session` (the session's CTEs), the user's last-login
   * stamp and `method` (User.lastSignInMethod), `audit` (the event's CTEs) and, when given, `release` (the lockout claim's delete).
   * Returns the user as it now is. `run` is the driver, or a transaction's runner.
   */
  async complete(
    run: SqlRunner,
    parts: { userId: string; now: Date; method: SignInMethodName; session: Prisma.Sql; audit: Prisma.Sql; release?: Prisma.Sql },
  ): Promise<User> {
    const [signedIn] = await run<User>`
      WITH ${parts.session}, ${markSignedInPart(parts.userId, parts.now, parts.method)}, ${parts.audit}${parts.release ? Prisma.sql`, ${parts.release}` : Prisma.empty}
      SELECT * FROM signed_in`;
    return signedIn;
  }
}
