import { Errors } from "../common/app-error";
import type { AuditOrigin } from "../audit";
import type { AccountService } from "../accounts";
import type { AuthPayloadData, SignInService, TwoFactorChallengeService } from "../sign-in";
import type { SecondFactorService } from "./second-factor.service";
import type { LoginLockoutService } from "../limits";

/** Raised inside the sign-in transaction when a concurrent request spent the same code first. */
class CodeAlreadySpent extends Error {}

/**
 * verifyTwoFactorLogin: the second step of a sign-in. The right code spends the challenge and
 * the code in the transaction that starts the session; a wrong (or already used) code counts
 * against the challenge, and the fifth voids it. Every code is also claimed on the account's
 * lockout before it is checked, like a password: whoever has the password could otherwise open
 * challenge after challenge and guess the six digits.
 */
export class TwoFactorLoginService {
  constructor(
    private readonly challenges: TwoFactorChallengeService,
    private readonly secondFactor: SecondFactorService,
    private readonly accounts: AccountService,
    private readonly signIn: SignInService,
    private readonly lockout: LoginLockoutService,
  ) {}

  async verify(challengeToken: string, code: string, origin: AuditOrigin): Promise<{ payload: AuthPayloadData; cookie: boolean }> {
    const challenge = await this.challenges.open(challengeToken);
    const user = await this.accounts.findById(challenge.userId);
    if (!user) throw Errors.invalidTwoFactorChallenge();
    if (this.signIn.isDisabled(user)) throw Errors.accountDisabled(user.disabledUntil);
    // Turned off since the password step: the challenge no longer stands for anything.
    const twoFactor = await this.secondFactor.enabled(user.id);
    if (!twoFactor) throw Errors.invalidTwoFactorChallenge();

    const verdict = await this.lockout.claim(user.id, origin.ip);
    if (!verdict.allowed) throw Errors.accountLocked(verdict.lock.retryAfterSeconds);
    const accepted = await this.secondFactor.check(twoFactor, code).catch(async (error: unknown) => {
      await this.lockout.release(verdict.attempt);
      throw error;
    });
    if (accepted) {
      try {
        // The claim is released in the sign-in's own statement.
        const payload = await this.signIn.completeSignIn(
          user.id,
          challenge.terms.accessTtlSeconds,
          origin,
          async (tx) => {
            if (!(await this.challenges.consume(tx, challenge.id))) throw Errors.invalidTwoFactorChallenge();
            if (!(await accepted.consume(tx, origin, "LOGIN"))) throw new CodeAlreadySpent();
            return { twoFactorMethod: accepted.method };
          },
          // The first step's method: the second factor completes that sign-in.
          { secretAttempt: verdict.attempt, method: challenge.terms.method },
        );
        return { payload, cookie: challenge.terms.cookie };
      } catch (error) {
        if (!(error instanceof CodeAlreadySpent)) {
          await this.lockout.release(verdict.attempt);
          throw error;
        }
      }
    }
    // The claim stays as the failure.
    await this.lockout.reportFailure(verdict, origin);
    await this.challenges.recordFailure(challenge, origin);
    throw Errors.invalidTwoFactorCode();
  }
}
