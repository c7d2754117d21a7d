import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import { KeyedHash } from "../common/keyed-hash";
import { SecretBox } from "../common/secret-box";
import type { AuditService } from "../audit";
import type { LoginLockoutService } from "../limits";
import { TwoFactorStore } from "./two-factor.store";
import { BackupCodeStore } from "./backup-code.store";
import { BackupCodeService } from "./backup-code.service";
import { SecondFactorService } from "./second-factor.service";
import { TwoFactorEnrollmentService } from "./two-factor-enrollment.service";
import { TwoFactorDisableService, type OpenTwoFactorChallenges } from "./two-factor-disable.service";
import { BackupCodeRegenerationService } from "./backup-code-regeneration.service";

export interface MfaDependencies {
  prisma: PrismaClient;
  config: Pick<Config, "appSecret" | "twoFactorIssuer">;
  clock: Clock;
  audit: AuditService;
  lockout: LoginLockoutService;
  /** The sign-in's pending second steps, voided when two-factor authentication is turned off. */
  challenges: OpenTwoFactorChallenges;
}

/** Wires two-factor authentication: the stores, the code check, enrollment, turning it off, backup codes. */
export function createMfa(deps: MfaDependencies) {
  const { prisma, clock, audit, lockout } = deps;
  const twoFactors = new TwoFactorStore(prisma);
  // The keys and boxes keep their original names: they derive what is already stored.
  const backupCodes = new BackupCodeService(new BackupCodeStore(prisma), clock, new KeyedHash(deps.config.appSecret, "recovery-codes"));
  const secrets = new SecretBox(deps.config.appSecret, "two-factor-secrets");
  const secondFactor = new SecondFactorService(twoFactors, secrets, backupCodes, audit, clock);
  return {
    twoFactors,
    backupCodes,
    secondFactor,
    enrollment: new TwoFactorEnrollmentService(prisma, twoFactors, secrets, secondFactor, backupCodes, audit, clock, {
      issuer: deps.config.twoFactorIssuer,
    }, lockout),
    disable: new TwoFactorDisableService(prisma, twoFactors, secondFactor, backupCodes, deps.challenges, audit, lockout),
    backupCodeRegeneration: new BackupCodeRegenerationService(prisma, secondFactor, backupCodes, audit, lockout),
  };
}

export type Mfa = ReturnType<typeof createMfa>;
