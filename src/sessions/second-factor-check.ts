import type { Prisma, TwoFactor, TwoFactorMethod } from "../generated/prisma/client";
import type { AuditOrigin } from "../audit";

/** A code that matched; nothing is spent until `consume` runs in the caller's transaction. */
export interface MatchedCode {
  method: TwoFactorMethod | "RECOVERY_CODE";
  /** Spends the code; false when a concurrent request spent it first. */
  consume(tx: Prisma.TransactionClient, origin: AuditOrigin, purpose: "REAUTHENTICATE"): Promise<boolean>;
}

/**
 * How reauthenticate checks a second-factor code. mfa's SecondFactorService provides it: mfa
 * sits above sessions, so the composition passes it in.
 */
export interface SecondFactorCheck {
  /** The user's active two-factor settings, or null when it is off. */
  enabled(userId: string): Promise<TwoFactor | null>;
  /** Matches a code against the active settings (from `enabled`). */
  check(settings: TwoFactor, code: string): Promise<MatchedCode | undefined>;
}
