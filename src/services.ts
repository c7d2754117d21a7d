import type { Config } from "./config";
import type { Clock } from "./common/clock";
import type { Database } from "./db/database";
import { SecretBox } from "./common/secret-box";
import { PasswordHasher } from "./credentials/password-hasher";
import { CredentialService } from "./credentials/credential.service";
import { AuditService } from "./audit/audit.service";
import { AccountService } from "./accounts/account.service";
import { SigningKeys } from "./sessions/signing-keys";
import { AccessTokens } from "./sessions/access-tokens";
import { SessionService } from "./sessions/session.service";
import { LoginService } from "./sessions/login.service";
import { RefreshRotationService } from "./sessions/refresh-rotation.service";
import { SessionRevocationService } from "./sessions/session-revocation.service";
import { SessionPruner } from "./sessions/session-pruner";
import { PasswordChangeService } from "./credentials/password-change.service";
import { RecoveryCodeService } from "./mfa/recovery-code.service";
import { SecondFactorService } from "./mfa/second-factor.service";
import { TwoFactorChallengeService } from "./mfa/two-factor-challenge.service";
import { TwoFactorEnrollmentService } from "./mfa/two-factor-enrollment.service";
import { TwoFactorLoginService } from "./mfa/two-factor-login.service";
import { TwoFactorDisableService } from "./mfa/two-factor-disable.service";
import { RecoveryCodeRegenerationService } from "./mfa/recovery-code-regeneration.service";

/** Wires the feature services together; one instance per server process. */
export function createServices(db: Database, config: Config, clock: Clock) {
  const prisma = db.prisma;
  const hasher = new PasswordHasher({ algorithm: config.passwordHash, bcryptCost: config.bcryptCost });
  const audit = new AuditService(prisma, clock);
  const credentials = new CredentialService(prisma, hasher, clock);
  const accounts = new AccountService(prisma, credentials, audit, clock);
  const signingKeys = new SigningKeys(prisma, new SecretBox(config.appSecret, "signing-keys"), clock, config.accessTokenMaxTtlMs);
  const accessTokens = new AccessTokens(signingKeys, clock, config.jwtIssuer, config.jwtAudience);
  const sessions = new SessionService(prisma, accessTokens, clock, {
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    idleTimeoutMs: config.sessionIdleTimeoutMs,
  });
  const twoFactorChallenges = new TwoFactorChallengeService(prisma, audit, clock);
  const login = new LoginService(prisma, accounts, credentials, sessions, audit, clock, {
    defaultAccessTtlMs: config.accessTokenTtlMs,
    maxAccessTtlMs: config.accessTokenMaxTtlMs,
  }, twoFactorChallenges);
  const refreshRotation = new RefreshRotationService(prisma, sessions, audit, clock, {
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    defaultAccessTtlMs: config.accessTokenTtlMs,
  });
  const sessionRevocation = new SessionRevocationService(prisma, sessions, audit);
  const sessionPruner = new SessionPruner(prisma, clock, { idleTimeoutMs: config.sessionIdleTimeoutMs });
  const passwordChange = new PasswordChangeService(prisma, credentials, sessions, audit);
  const recoveryCodes = new RecoveryCodeService(prisma, clock);
  const twoFactorSecrets = new SecretBox(config.appSecret, "two-factor-secrets");
  const secondFactor = new SecondFactorService(prisma, twoFactorSecrets, recoveryCodes, audit, clock);
  const twoFactorEnrollment = new TwoFactorEnrollmentService(prisma, twoFactorSecrets, secondFactor, recoveryCodes, audit, clock, {
    issuer: config.twoFactorIssuer,
  });
  const twoFactorLogin = new TwoFactorLoginService(twoFactorChallenges, secondFactor, accounts, login);
  const twoFactorDisable = new TwoFactorDisableService(prisma, secondFactor, recoveryCodes, twoFactorChallenges, audit);
  const recoveryCodeRegeneration = new RecoveryCodeRegenerationService(prisma, secondFactor, recoveryCodes, audit);
  return {
    publicUrl: config.publicUrl,
    secureCookies: config.env !== "development",
    prisma,
    audit,
    credentials,
    accounts,
    signingKeys,
    accessTokens,
    sessions,
    login,
    refreshRotation,
    sessionRevocation,
    sessionPruner,
    passwordChange,
    twoFactorChallenges,
    twoFactorEnrollment,
    twoFactorLogin,
    twoFactorDisable,
    recoveryCodeRegeneration,
  };
}

export type Services = ReturnType<typeof createServices>;
