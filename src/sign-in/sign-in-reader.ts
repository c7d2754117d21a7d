import type { Clock } from "../common/clock";
import type { UserWithPassword } from "../accounts";
import type { AttemptVerdict, LoginLockoutService } from "../limits";
import type { TwoFactorMethod } from "../generated/prisma/client";
import type { SignInStore } from "./sign-in.store";

/** Everything a password sign-in decides on before and after the hash, as of one moment. */
export interface SignInState {
  /** The account the identifier names, with its current password hash; null when none (or deleted). */
  user: UserWithPassword | null;
  /** The password check claimed on the account's lockout (or the identifier's, when no account matches). */
  verdict: AttemptVerdict;
  /** The account's two-factor method when it is on, else null. */
  twoFactorMethod: TwoFactorMethod | null;
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
    private readonly store: SignInStore,
    private readonly lockout: LoginLockoutService,
    private readonly clock: Clock,
  ) {}

  async read(identifier: string, ip: string | null): Promise<SignInState> {
    const now = this.clock.now();
    const row = await this.store.read(identifier, ip, now);
    const claimed = row.claimId ? { id: row.claimId, accountKey: row.accountKey, userId: row.userId, ip, at: now } : null;
    return {
      user: row.user,
      verdict: await this.lockout.confirm(claimed, row.counts, now),
      twoFactorMethod: row.twoFactorMethod,
    };
  }
}
