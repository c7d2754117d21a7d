import QRCode from "qrcode";
import type { PrismaClient, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { SecretBox } from "../common/secret-box";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { newOtpSecret, otpauthUrl, type OtpMethod } from "./otp";
import { SecondFactorService } from "./second-factor.service";
import type { BackupCodeService } from "./backup-code.service";
import type { LoginLockoutService } from "../limits";
import type { TwoFactorStore } from "./two-factor.store";

export interface EnrollmentData {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}

/**
 * Enrollment: a new secret is stored encrypted but stays inactive until a code from it is
 * confirmed; confirming turns two-factor authentication on and issues the recovery codes.
 * While it is on, enrolling again is refused: changing the factor must go through
 * disableTwoFactor, which asks for a code from the current one.
 */
export class TwoFactorEnrollmentService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: TwoFactorStore,
    private readonly secrets: SecretBox,
    private readonly secondFactor: SecondFactorService,
    private readonly backupCodes: BackupCodeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: { issuer: string },
    private readonly lockout: LoginLockoutService,
  ) {}

  /** Starts (or restarts) an enrollment; the secret is returned this once and never again. */
  async begin(user: Pick<User, "id" | "username">, method: OtpMethod): Promise<EnrollmentData> {
    const secret = newOtpSecret();
    const pending = { method, secretEncrypted: this.secrets.seal(secret), counter: 0n, createdAt: this.clock.now() };
    // Replaces an unconfirmed enrollment; the enabledAt condition keeps an active one untouched.
    if (!(await this.store.replacePending(user.id, pending)) && !(await this.store.createPending(user.id, pending))) {
      throw Errors.twoFactorAlreadyEnabled();
    }
    const url = otpauthUrl(method, secret, this.options.issuer, user.username);
    return { secret, otpauthUrl: url, qrCodeDataUrl: await QRCode.toDataURL(url, { errorCorrectionLevel: "M" }) };
  }

  /** Turns two-factor authentication on with a code from the pending secret; returns the recovery codes, once. */
  async confirm(userId: string, code: string, origin: AuditOrigin): Promise<string[]> {
    const row = await this.store.find(userId);
    if (!row) throw Errors.noTwoFactorEnrollment();
    if (row.enabledAt) throw Errors.twoFactorAlreadyEnabled();
    // A guessed code counts toward the account's lockout, like a failed sign-in.
    const matched = await this.lockout.withAttempt(userId, origin, () => this.secondFactor.matchOtp(row, code));
    if (matched === undefined) throw Errors.wrongTwoFactorCode();

    const codes = await this.prisma.$transaction(async (tx) => {
      // Only the enrollment this code was checked against, and only once.
      if (!(await this.store.enable(tx, row, SecondFactorService.counterAfter(row.method, matched), this.clock.now()))) return undefined;
      const issued = await this.backupCodes.replaceAll(tx, userId);
      await this.audit.record({ type: AuditEventType.TWO_FACTOR_ENABLED, userId, origin, metadata: { method: row.method } }, tx);
      return issued;
    });
    if (!codes) throw Errors.wrongTwoFactorCode();
    return codes;
  }
}
