import type { Redis } from "ioredis";
import type { Config } from "./config";
import type { Clock } from "./common/clock";
import type { Database } from "./db/database";
import type { Logger } from "./logger";
import { PasswordHasher } from "./credentials/password-hasher";
import { CredentialService } from "./credentials/credential.service";
import { AuditService } from "./audit/audit.service";
import { AccountService } from "./accounts/account.service";
import { createSessions } from "./sessions/create-sessions";
import { createSignIn } from "./sign-in/create-sign-in";
import { PasswordChangeService } from "./credentials/password-change.service";
import { SecretPasskeyService } from "./credentials/secret-passkey.service";
import { LoginLockoutService } from "./limits/login-lockout.service";
import { RateLimiter } from "./limits/rate-limiter";
import { MemoryCallCounter, RedisCallCounter } from "./limits/rate-limit-stores";
import { createMetrics } from "./metrics/metrics";

import { createMail } from "./mail/create-mail";
import { createEmailVerification, createRecovery } from "./recovery/create-recovery";
import path from "node:path";
import { ProfileService } from "./accounts/profile.service";
import { AvatarFiles } from "./accounts/avatar.files";
import { AvatarService } from "./accounts/avatar.service";
import { AccountDeletionService } from "./accounts/account-deletion.service";
import { TwoFactorLoginService } from "./mfa/two-factor-login.service";
import { createMfa } from "./mfa/create-mfa";
import { createOAuth } from "./oauth/create-oauth";
import { createPasskeys } from "./passkeys/create-passkeys";
import { PasskeyStore } from "./passkeys/passkey.store";
import { OAuthAccountStore } from "./oauth/oauth-account.store";
import { CredentialStore } from "./credentials/credential.store";
import { SignInMethods } from "./accounts/sign-in-methods";
import { UserDirectoryStore } from "./accounts/user-directory.store";
import type { UserFieldSources } from "./accounts/user.loaders";
import { AuditQueryService } from "./audit/audit-query.service";
import { AuditRetention } from "./audit/audit-retention";
import { AdminService } from "./admin/admin.service";
import { AdminBootstrap } from "./admin/admin-bootstrap";
import { UserSearchService } from "./admin/user-search.service";
import { createWebhooks } from "./webhooks/create-webhooks";
import { createNotices } from "./notices/create-notices";
import { NOTICE_RECIPIENT_SQL } from "./accounts/user-columns.sql";

/** Wires the feature services together; one instance per server process. */
export function createServices(db: Database, config: Config, clock: Clock, logger: Logger, redis?: Redis) {
  const prisma = db.prisma;
  const metrics = createMetrics();
  const mail = createMail({ prisma, config, clock, logger });
  metrics.bindSources({
    activeSessions: () => sessions.countActive(),
    outboxDepth: mail.outboxDepth,
  });
  const rateLimiter = new RateLimiter(
    redis ? new RedisCallCounter(redis, config.redisPrefix, logger) : new MemoryCallCounter(),
    config.rateLimits,
  );
  const hasher = new PasswordHasher({ algorithm: config.passwordHash, bcryptCost: config.bcryptCost });
  const audit = new AuditService(prisma, clock);
  const lockout = new LoginLockoutService(prisma, db.sql, clock, config.lockout, audit, metrics, logger);
  // Every audited change also writes its webhook event, in the same transaction.
  const webhooks = createWebhooks(prisma, config, clock, logger, audit);
  // Security notices by mail: one listener on the audit trail, writing in each event's statement.
  const notices = createNotices({
    outbox: mail.store,
    recipient: NOTICE_RECIPIENT_SQL,
    newDeviceDeliveries: (event, now, name, when) => webhooks.events.deliveries(event, now, name, when),
  });
  audit.statementListeners.push((entry, now) => notices.statementPart(entry, now));
  const credentials = new CredentialService(prisma, hasher, clock);
  const verification = createEmailVerification({ prisma, config, clock, audit, outbox: mail.outbox });
  const emailVerification = verification.emailVerification;
  const accounts = new AccountService(prisma, credentials, audit, clock, emailVerification);
  // Reauthentication (sessions) checks second-factor codes, and turning the second factor off
  // voids the sign-in's open challenges (sign-in is built after sessions): that port looks them
  // up when it is called.
  const mfa = createMfa({
    prisma, config, clock, audit, lockout,
    challenges: { voidAllForUser: (tx, userId) => twoFactorChallenges.voidAllForUser(tx, userId) },
  });
  const secondFactor = mfa.secondFactor;
  const {
    signingKeys, accessTokens, invalidationBus, cache: sessionCache, sessions, refreshRotation, sessionRevocation, sessionPruner, recentAuth, reauthentication,
  } = createSessions({
    prisma, sql: db.sql, databaseKind: db.kind, redis, config, clock, logger, audit, metrics, lockout, credentials, secondFactor,
  });
  audit.onUserEvent = (userId) => sessionCache.invalidateUser(userId);
  const { signIn, passwordSignIn, challenges: twoFactorChallenges } = createSignIn({
    prisma, sql: db.sql, config, clock, audit, metrics, lockout, credentials, sessions, twoFactor: mfa.twoFactors,
  });
  const passwordChange = new PasswordChangeService(prisma, credentials, sessions, audit, lockout);
  const secretPasskeys = new SecretPasskeyService(prisma, credentials, audit);
  // The account's ways in, each counted, listed and removed by the store of its table.
  const passkeyStore = new PasskeyStore(prisma);
  const oauthAccountStore = new OAuthAccountStore(prisma);
  const waysIn = new SignInMethods({
    passwords: new CredentialStore(),
    passkeys: passkeyStore,
    providers: oauthAccountStore,
    secondFactor: mfa.disable,
  });
  const userDirectory = new UserDirectoryStore(prisma);
  // The user fields whose rows live in mfa's and oauth's tables, for the per-request loaders.
  const userFieldSources: UserFieldSources = {
    twoFactorEnabledAmong: (userIds) => mfa.twoFactors.enabledAmong(userIds),
    linkedProvidersOf: (userIds) => oauthAccountStore.providersOf(userIds),
  };
  const { passwordReset, passkeyReset, emailChange } = createRecovery({
    prisma, config, clock, audit, outbox: mail.outbox, verification, accounts, credentials, sessions, lockout, waysIn,
  });
  const profiles = new ProfileService(prisma, audit, clock, { emailChange });
  const avatarFiles = new AvatarFiles(path.join(config.dataDir, "avatars"));
  const avatars = new AvatarService(prisma, avatarFiles, audit, clock, config.maxAvatarBytes, config.avatarMaxPixels);
  const accountDeletion = new AccountDeletionService(prisma, credentials, sessions, avatars, audit, clock, lockout, waysIn);
  const twoFactorLogin = new TwoFactorLoginService(twoFactorChallenges, secondFactor, accounts, signIn, lockout);
  const oauth = createOAuth({
    prisma, config, clock, logger, audit, emailVerification, login: signIn, metrics, accountStore: oauthAccountStore, users: userDirectory, waysIn,
  });
  const passkeys = createPasskeys({
    prisma, config, clock, logger, audit, accounts, login: signIn, metrics, sessions, reauthentication, store: passkeyStore, waysIn,
    lockUser: (tx, userId) => userDirectory.lock(tx, userId),
    readAddress: (tx, userId) => userDirectory.addressOf(tx, userId),
  });
  const auditLog = new AuditQueryService(prisma);
  const auditRetention = new AuditRetention(prisma, clock, config.auditRetentionMs);
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
    signIn,
    passwordSignIn,
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
    twoFactorLogin,
    mfa,
    userFieldSources,
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
