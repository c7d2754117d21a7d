import type { Redis } from "ioredis";
import type { Config } from "./config";
import type { Clock } from "./common/clock";
import type { Database } from "./db/database";
import { SignInReader } from "./sessions/sign-in-read";
import type { Logger } from "./logger";
import { SecretBox } from "./common/secret-box";
import { KeyedHash } from "./common/keyed-hash";
import { PasswordHasher } from "./credentials/password-hasher";
import { CredentialService } from "./credentials/credential.service";
import { createAudit } from "./audit/create-audit";
import { AccountService } from "./accounts/account.service";
import { SigningKeys } from "./sessions/signing-keys";
import { AccessTokens } from "./sessions/access-tokens";
import { SessionService } from "./sessions/session.service";
import { LoginService } from "./sessions/login.service";
import { RefreshRotationService } from "./sessions/refresh-rotation.service";
import { SessionRevocationService } from "./sessions/session-revocation.service";
import { SessionPruner } from "./sessions/session-pruner";
import { PasswordChangeService } from "./credentials/password-change.service";
import { SecretPasskeyService } from "./credentials/secret-passkey.service";
import { createLimits } from "./limits/create-limits";
import { createMetrics } from "./metrics/metrics";
import { LocalInvalidationBus, NoInvalidationBus, RedisInvalidationBus } from "./sessions/invalidation-bus";
import { SessionCache } from "./sessions/session-cache";
import { RecentAuthentication } from "./sessions/recent-authentication";
import { ReauthenticationService } from "./sessions/reauthentication.service";

import { createMail } from "./mail/create-mail";
import { OneTimeTokens } from "./recovery/one-time-tokens";
import { EmailVerificationService } from "./recovery/email-verification.service";
import { PasswordResetService } from "./recovery/password-reset.service";
import { PasskeyResetService } from "./recovery/passkey-reset.service";
import path from "node:path";
import { ProfileService } from "./accounts/profile.service";
import { AvatarFiles } from "./accounts/avatar.files";
import { AvatarService } from "./accounts/avatar.service";
import { AccountDeletionService } from "./accounts/account-deletion.service";
import { RecoveryCodeService } from "./mfa/recovery-code.service";
import { SecondFactorService } from "./mfa/second-factor.service";
import { TwoFactorChallengeService } from "./mfa/two-factor-challenge.service";
import { TwoFactorEnrollmentService } from "./mfa/two-factor-enrollment.service";
import { TwoFactorLoginService } from "./mfa/two-factor-login.service";
import { TwoFactorDisableService } from "./mfa/two-factor-disable.service";
import { RecoveryCodeRegenerationService } from "./mfa/recovery-code-regeneration.service";
import { createOAuth } from "./oauth/create-oauth";
import { createPasskeys } from "./passkeys/create-passkeys";
import { AdminService } from "./admin/admin.service";
import { AdminBootstrap } from "./admin/admin-bootstrap";
import { UserSearchService } from "./admin/user-search.service";
import { createWebhookEvents, createWebhooks } from "./webhooks/create-webhooks";
import { SecurityNotices } from "./notices/security-notices";
import { EmailChangeService } from "./recovery/email-change.service";

/** Wires the feature services together; one instance per server process. */
export function createServices(db: Database, config: Config, clock: Clock, logger: Logger, redis?: Redis) {
  const prisma = db.prisma;
  const metrics = createMetrics();
  metrics.bindSources({
    activeSessions: () => prisma.session.count({ where: { revokedAt: null, expiresAt: { gt: clock.now() } } }),
    outboxDepth: () => prisma.outboxMail.count({ where: { sentAt: null, failedAt: null } }),
  });
  const hasher = new PasswordHasher({ algorithm: config.passwordHash, bcryptCost: config.bcryptCost });
  const invalidationBus = redis
    ? new RedisInvalidationBus(redis, config.redisPrefix, logger)
    : db.kind === "pglite"
      ? new LocalInvalidationBus()
      : new NoInvalidationBus();
  const sessionCache = new SessionCache(invalidationBus, config.sessionCacheTtlMs);
  // The audit trail's listeners, made before it: every audited change also writes its webhook
  // event, and security notices by mail, in the event's own statement; a change to a user drops
  // what the session cache holds for them.
  const webhookEvents = createWebhookEvents({ prisma, clock });
  const notices = new SecurityNotices((event, now, name, when) => webhookEvents.events.deliveries(event, now, name, when));
  const { audit, auditLog, auditRetention } = createAudit({
    prisma,
    clock,
    retentionMs: config.auditRetentionMs,
    statementListeners: [webhookEvents.events, notices],
    userChangeListeners: [{ userChanged: (userId) => sessionCache.invalidateUser(userId) }],
  });
  const { rateLimiter, lockout } = createLimits({ prisma, sql: db.sql, config, clock, logger, audit, metrics, redis });
  const webhooks = createWebhooks({ prisma, config, clock, logger, audit, events: webhookEvents });
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
  const sessions = new SessionService(
    prisma,
    db.sql,
    accessTokens,
    clock,
    { refreshTokenTtlMs: config.refreshTokenTtlMs, idleTimeoutMs: config.sessionIdleTimeoutMs, maxLifetimeMs: config.sessionMaxLifetimeMs },
    sessionCache,
    (result) => metrics.sessionCache.inc({ result }),
  );
  const twoFactorChallenges = new TwoFactorChallengeService(prisma, audit, clock);
  const signInReader = new SignInReader(db.sql, lockout, clock);
  const login = new LoginService(prisma, db.sql, signInReader, credentials, sessions, audit, clock, {
    defaultAccessTtlMs: config.accessTokenTtlMs,
    maxAccessTtlMs: config.accessTokenMaxTtlMs,
  }, lockout, metrics, logger, twoFactorChallenges);
  const refreshRotation = new RefreshRotationService(prisma, db.sql, sessions, audit, clock, {
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    defaultAccessTtlMs: config.accessTokenTtlMs,
    reuseIntervalMs: config.refreshReuseIntervalMs,
  }, logger);
  const sessionRevocation = new SessionRevocationService(prisma, sessions, audit);
  const sessionPruner = new SessionPruner(prisma, clock, { idleTimeoutMs: config.sessionIdleTimeoutMs });
  const passwordChange = new PasswordChangeService(prisma, credentials, sessions, audit, lockout);
  const secretPasskeys = new SecretPasskeyService(prisma, credentials, audit);
  const passwordReset = new PasswordResetService(prisma, oneTimeTokens, mail.outbox, credentials, sessions, audit, clock, {
    publicUrl: config.publicUrl,
    ttlMs: config.passwordResetTtlMs,
    requireVerifiedEmail: config.resetRequiresVerifiedEmail,
    providerNames: new Map(config.oauthProviders.map((provider) => [provider.id, provider.name])),
  });
  const passkeyReset = new PasskeyResetService(prisma, oneTimeTokens, credentials, sessions, audit, lockout);
  // A new e-mail address replaces the current one only once the link sent to it is followed.
  const emailChange = new EmailChangeService(prisma, oneTimeTokens, mail.outbox, audit, clock, {
    publicUrl: config.publicUrl,
    ttlMs: config.emailVerificationTtlMs,
    perAccount: config.rateLimits.EMAIL_CHANGE ?? null,
    perRecipient: config.rateLimits.EMAIL_CHANGE_RECIPIENT ?? null,
  });
  const profiles = new ProfileService(prisma, audit, clock, { emailChange });
  const avatarFiles = new AvatarFiles(path.join(config.dataDir, "avatars"));
  const avatars = new AvatarService(prisma, avatarFiles, audit, clock, config.maxAvatarBytes, config.avatarMaxPixels);
  const accountDeletion = new AccountDeletionService(prisma, credentials, sessions, avatars, audit, clock, lockout);
  const recoveryCodes = new RecoveryCodeService(prisma, clock, new KeyedHash(config.appSecret, "recovery-codes"));
  const twoFactorSecrets = new SecretBox(config.appSecret, "two-factor-secrets");
  const secondFactor = new SecondFactorService(prisma, twoFactorSecrets, recoveryCodes, audit, clock);
  const twoFactorEnrollment = new TwoFactorEnrollmentService(prisma, twoFactorSecrets, secondFactor, recoveryCodes, audit, clock, {
    issuer: config.twoFactorIssuer,
  }, lockout);
  const twoFactorLogin = new TwoFactorLoginService(twoFactorChallenges, secondFactor, accounts, login, lockout);
  const twoFactorDisable = new TwoFactorDisableService(prisma, secondFactor, recoveryCodes, twoFactorChallenges, audit, lockout);
  const recoveryCodeRegeneration = new RecoveryCodeRegenerationService(prisma, secondFactor, recoveryCodes, audit, lockout);
  const recentAuth = new RecentAuthentication(clock, config.reauthMaxAgeMs);
  const reauthentication = new ReauthenticationService(prisma, sessions, credentials, secondFactor, lockout, audit);
  const oauth = createOAuth({ prisma, config, clock, logger, audit, emailVerification, login, metrics });
  const passkeys = createPasskeys({ prisma, config, clock, logger, audit, accounts, login, metrics, sessions, reauthentication });
  const admin = new AdminService(prisma, sessions, audit, clock);
  const adminBootstrap = new AdminBootstrap(prisma, accounts);
  const userSearch = new UserSearchService(prisma);
  return {
    publicUrl: config.publicUrl,
    secureCookies: config.env !== "development",
    prisma,
    hasher,
    invalidationBus,
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
    recentAuth,
    reauthentication,
    passwordChange,
    secretPasskeys,
    outbox: mail.outbox,
    mailSender: mail.sender,
    emailVerification,
    emailChange,
    passwordReset,
    passkeyReset,
    profiles,
    avatarFiles,
    avatars,
    accountDeletion,
    twoFactorChallenges,
    twoFactorEnrollment,
    twoFactorLogin,
    twoFactorDisable,
    recoveryCodes,
    recoveryCodeRegeneration,
    oauth,
    passkeys,
    auditLog,
    auditRetention,
    admin,
    adminBootstrap,
    userSearch,
    webhooks,
  };
}

export type Services = ReturnType<typeof createServices>;
