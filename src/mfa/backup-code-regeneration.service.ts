import type { PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { SecondFactorService } from "./second-factor.service";
import type { BackupCodeService } from "./backup-code.service";
import type { LoginLockoutService } from "../limits";

/** regenerateRecoveryCodes: a current code replaces every old backup (recovery) code with 10 new ones. */
export class BackupCodeRegenerationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secondFactor: SecondFactorService,
    private readonly backupCodes: BackupCodeService,
    private readonly audit: AuditService,
    private readonly lockout: LoginLockoutService,
  ) {}

  async regenerate(userId: string, code: string, origin: AuditOrigin): Promise<string[]> {
    const twoFactor = await this.secondFactor.enabled(userId);
    if (!twoFactor) throw Errors.twoFactorNotEnabled();
    // A guessed code counts toward the account's lockout, like a failed sign-in.
    const accepted = await this.lockout.withAttempt(userId, origin, () => this.secondFactor.check(twoFactor, code));
    if (!accepted) throw Errors.wrongTwoFactorCode();
    const codes = await this.prisma.$transaction(async (tx) => {
      if (!(await accepted.consume(tx, origin, "REGENERATE_RECOVERY_CODES"))) return undefined;
      const issued = await this.backupCodes.replaceAll(tx, userId);
      await this.audit.record(
        { type: AuditEventType.RECOVERY_CODES_REGENERATED, userId, origin, metadata: { provedWith: accepted.method } },
        tx,
      );
      return issued;
    });
    if (!codes) throw Errors.wrongTwoFactorCode();
    return codes;
  }
}
