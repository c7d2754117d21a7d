import type { PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { SecondFactorService } from "./second-factor.service";
import type { RecoveryCodeService } from "./recovery-code.service";
import type { TwoFactorChallengeService } from "../sign-in/two-factor-challenge.service";
import type { LoginLockoutService } from "../limits/login-lockout.service";

/** disableTwoFactor: a current code (authenticator or recovery) turns it off and forgets the secret. */
export class TwoFactorDisableService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secondFactor: SecondFactorService,
    private readonly recoveryCodes: RecoveryCodeService,
    private readonly challenges: TwoFactorChallengeService,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockoutService,
  ) {}

  async disable(userId: string, code: string, origin: AuditOrigin): Promise<void> {
    const twoFactor = await this.secondFactor.enabled(userId);
    if (!twoFactor) throw Errors.twoFactorNotEnabled();
    // A guessed code counts toward the account's lockout, like a failed sign-in.
    const accepted = await this.lockout.withAttempt(userId, origin, () => this.secondFactor.check(twoFactor, code));
    if (!accepted) throw Errors.wrongTwoFactorCode();
    const done = await this.prisma.$transaction(async (tx) => {
      if (!(await accepted.consume(tx, origin, "DISABLE"))) return false;
      await tx.twoFactor.deleteMany({ where: { userId } });
      await this.recoveryCodes.deleteAll(tx, userId);
      await this.challenges.voidAllForUser(tx, userId);
      await this.audit.record(
        { type: AuditEventType.TWO_FACTOR_DISABLED, userId, origin, metadata: { method: twoFactor.method, provedWith: accepted.method } },
        tx,
      );
      return true;
    });
    if (!done) throw Errors.wrongTwoFactorCode();
  }
}
