import type { Prisma, TwoFactor } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { SecretBox } from "../common/secret-box";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { matchHotp, matchTotp, normalizeOtpCode, type OtpMethod } from "./otp";
import type { BackupCodeService } from "./backup-code.service";
import type { CheckedTwoFactor, TwoFactorStore } from "./two-factor.store";

export type SecondFactorMethod = OtpMethod | "RECOVERY_CODE";
/** What a code was spent on, for the audit trail. */
export type CodePurpose = "LOGIN" | "DISABLE" | "REGENERATE_RECOVERY_CODES" | "REAUTHENTICATE";

/** A code that matched. Nothing is spent until `consume` runs inside the caller's transaction. */
export interface AcceptedCode {
  method: SecondFactorMethod;
  /** The user's enrolled method (TOTP or HOTP), whichever kind of code matched. */
  enrolledMethod: OtpMethod;
  /** Spends the code; false when a concurrent request spent it first (then roll back). */
  consume(tx: Prisma.TransactionClient, origin: AuditOrigin, purpose: CodePurpose): Promise<boolean>;
}

/**
 * Checks a second-factor code of a user with two-factor authentication on: a TOTP/HOTP code
 * from their authenticator or one of their recovery codes. A code is accepted once: TOTP
 * remembers the last accepted time step, HOTP the next expected counter, and both move
 * forward with a conditional update, so two simultaneous uses of one code give one success.
 */
export class SecondFactorService {
  constructor(
    private readonly store: TwoFactorStore,
    private readonly secrets: SecretBox,
    private readonly backupCodes: BackupCodeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The user's active two-factor settings, or null when it is off (a pending enrollment is not on). */
  enabled(userId: string): Promise<TwoFactor | null> {
    return this.store.findEnabled(userId);
  }

  /** Matches a code against the user's active settings (from `enabled`); nothing is spent yet. */
  async check(row: TwoFactor, code: string): Promise<AcceptedCode | undefined> {
    const userId = row.userId;
    const matched = await this.matchOtp(row, code);
    if (matched !== undefined) {
      return { method: row.method, enrolledMethod: row.method, consume: (tx) => this.advance(tx, row, matched) };
    }
    const backupCodeId = await this.backupCodes.findUnused(userId, code);
    if (!backupCodeId) return undefined;
    return {
      method: "RECOVERY_CODE",
      enrolledMethod: row.method,
      consume: async (tx, origin, purpose) => {
        if (!(await this.backupCodes.consume(tx, backupCodeId))) return false;
        await this.audit.record({ type: AuditEventType.TWO_FACTOR_RECOVERY_CODE_USED, userId, origin, metadata: { purpose } }, tx);
        return true;
      },
    };
  }

  /**
   * The TOTP time step or HOTP counter value an authenticator code belongs to, if it is valid
   * for this row (enabled or pending) and not yet used; nothing is spent.
   */
  async matchOtp(row: CheckedTwoFactor, code: string): Promise<bigint | undefined> {
    const digits = normalizeOtpCode(code);
    if (!digits) return undefined;
    const secret = this.secrets.open(row.secretEncrypted);
    return row.method === "TOTP"
      ? matchTotp(secret, digits, this.clock.now(), row.counter)
      : matchHotp(secret, digits, row.counter);
  }

  /** The counter stored after accepting `matched`: TOTP keeps the step, HOTP expects the next value. */
  static counterAfter(method: OtpMethod, matched: bigint): bigint {
    return method === "TOTP" ? matched : matched + 1n;
  }

  /** Moves the row past `matched` unless a concurrent request already did. */
  private advance(tx: Prisma.TransactionClient, row: CheckedTwoFactor, matched: bigint): Promise<boolean> {
    return this.store.advance(tx, row, matched, SecondFactorService.counterAfter(row.method, matched));
  }
}
