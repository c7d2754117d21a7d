import type { Redis } from "ioredis";
import type { Config } from "./config";
import type { Clock } from "./common/clock";
import type { Database } from "./db/database";
import type { Logger } from "./logger";
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
import { LoginLockoutService } from "./limits/login-lockout.service";
import { RateLimiter } from "./limits/rate-limiter";
import { MemoryRateLimitStore, RedisRateLimitStore } from "./limits/rate-limit-stores";
import { createMetrics } from "./metrics/metrics";

import { createMail } from "./mail/create-mail";
import { OneTimeTokens } from "./recovery/one-time-tokens";
import { EmailVerificationService } from "./recovery/email-verification.service";
import { PasswordResetService } from "./recovery/password-reset.service";
import { PasskeyResetService } from "./recovery/passkey-reset.service";
import { createOAuth } from "./oauth/create-oauth";

/** Wires the feature services together; one instance per server process. */
export function createServices(db: Database, config: Config, clock: Clock, logger: Logger, redis?: Redis) {
  const prisma = db.prisma;
  const metrics = createMetrics();
  metrics.bindSources({
    activeSessions: () => prisma.session.count({ where: { revokedAt: null, expiresAt: { gt: clock.now() } } }),
    outboxDepth: () => prisma.outboxMail.count({ where: { sentAt: null, failedAt: null } }),
  });
  const rateLimiter = new RateLimiter(
    redis ? new RedisRateLimitStore(redis, config.redisPrefix, logger) : new MemoryRateLimitStore(),
    config.rateLimits,
  );
  const lockout = new LoginLockoutService(prisma, clock, config.lockout);
  const hasher = new PasswordHasher({ algorithm: config.passwordHash, bcryptCost: config.bcryptCost });
  const audit = new AuditService(prisma, clock);
  const credentials = new CredentialService(prisma, hasher, clock);
  const mail = createMail(prisma, config, clock, logger);
  const oneTimeTokens = new OneTimeTokens(prisma, clock);
  const emailVerification = new EmailVerificationService(prisma, oneTimeTokens, mail.outbox, audit, clock, {
    publicUrl: config.publicUrl,
    ttlMs: config.emailVerificationTtlMs,
  });
  const accounts = new AccountService(prisma, credentials, audit, clock, emailVerification);
  const signingKeys = new SigningKeys(prisma, new SecretBox(config.appSecret, "signing-keys"), clock, config.accessTokenMaxTtlMs);
  const accessTokens = new AccessTokens(signingKeys, clock, config.jwtIssuer, config.jwtAudience);
  const sessions = new SessionService(prisma, accessTokens, clock, {
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    idleTimeoutMs: config.sessionIdleTimeoutMs,
  });
  const login = new LoginService(prisma, accounts, credentials, sessions, audit, clock, {
    defaultAccessTtlMs: config.accessTokenTtlMs,
    maxAccessTtlMs: config.accessTokenMaxTtlMs,
  }, lockout, metrics, logger);
  const refreshRotation = new RefreshRotationService(prisma, sessions, audit, clock, {
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    defaultAccessTtlMs: config.accessTokenTtlMs,
  }, logger);
  const sessionRevocation = new SessionRevocationService(prisma, sessions, audit);
  const sessionPruner = new SessionPruner(prisma, clock, { idleTimeoutMs: config.sessionIdleTimeoutMs });
  const passwordChange = new PasswordChangeService(prisma, credentials, sessions, audit);
  const passwordReset = new PasswordResetService(prisma, oneTimeTokens, mail.outbox, credentials, sessions, audit, {
    publicUrl: config.publicUrl,
    ttlMs: config.passwordResetTtlMs,
    requireVerifiedEmail: config.resetRequiresVerifiedEmail,
  });
  const passkeyReset = new PasskeyResetService(prisma, oneTimeTokens, credentials, sessions, audit);
  const oauth = createOAuth({ prisma, config, clock, logger, audit, emailVerification, login, metrics });
  return {
    publicUrl: config.publicUrl,
    secureCookies: config.env !== "development",
    prisma,
    metrics,
    rateLimiter,
    lockout,
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
    outbox: mail.outbox,
    mailSender: mail.sender,
    emailVerification,
    passwordReset,
    passkeyReset,
    oauth,
  };
}

export type Services = ReturnType<typeof createServices>;
