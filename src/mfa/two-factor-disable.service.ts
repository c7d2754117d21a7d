import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { SecondFactorService } from "./second-factor.service";
import type { BackupCodeService } from "./backup-code.service";
import type { LoginLockoutService } from "../limits";
import type { SecondFactorSource } from "../accounts";
import type { TwoFactorStore } from "./two-factor.store";

/** The open sign-in challenges of a user, voided when the second factor goes. */
export interface OpenTwoFactorChallenges {
  voidAllForUser(tx: Prisma.TransactionClient, userId: string): Promise<void>;
}

/**
 * disableTwoFactor: a current code (authenticator or recovery) turns it off and forgets the
 * secret. A reset by e-mail also removes one turned on before the address was proven.
 */
export class TwoFactorDisableService implements SecondFactorSource {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: TwoFactorStore,
    private readonly secondFactor: SecondFactorService,
    private readonly backupCodes: BackupCodeService,
    private readonly challenges: OpenTwoFactorChallenges,
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
      await this.store.deleteForUser(tx, userId);
      await this.backupCodes.deleteAll(tx, userId);
      await this.challenges.voidAllForUser(tx, userId);
      await this.audit.record(
        { type: AuditEventType.TWO_FACTOR_DISABLED, userId, origin, metadata: { method: twoFactor.method, provedWith: accepted.method } },
        tx,
      );
      return true;
    });
    if (!done) throw Errors.wrongTwoFactorCode();
  }

  /** For a reset by e-mail (see SignInMethods.removeAddedBefore): the settings and their backup codes go together. */
  async removeEnabledBefore(tx: Prisma.TransactionClient, userId: string, provenAt: Date | null): Promise<boolean> {
    if (!(await this.store.removeEnabledBefore(tx, userId, provenAt))) return false;
    await this.backupCodes.deleteAll(tx, userId);
    return true;
  }

  async removeAll(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await this.store.deleteForUser(tx, userId);
    await this.backupCodes.deleteAll(tx, userId);
  }
}
