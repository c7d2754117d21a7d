import type { Redis } from "ioredis";
import type { GraphQLResolveInfo } from "graphql";
import type { Config } from "./config";
import type { Clock } from "./common/clock";
import type { Database } from "./db/database";
import type { Logger } from "./logger";
import { createAudit } from "./audit";
import { createSessions, clearAuthCookies, signedInFromPart, accessTokenFrom } from "./sessions";
import { createSignIn } from "./sign-in";
import { createCredentials, type SessionRevoker } from "./credentials";
import { createAccounts, NOTICE_RECIPIENT_SQL, UserStore, lockUser, readNewAccount, type EmailChangeFlow, type UserLoaderSources, SignInMethods, lockLiveUser } from "./accounts";
import { TwoFactorStore, TwoFactorLoginService, createMfa } from "./mfa";
import type { PrismaClient } from "./generated/prisma/client";
import { createLimits } from "./limits";
import { createMetrics } from "./metrics";

import { createMail } from "./mail";
import { createEmailVerification, createRecovery } from "./recovery";
import { createOAuth, OAuthAccountStore, type OAuthUsers } from "./oauth";
import { createPasskeys, PasskeyStore } from "./passkeys";
import { createEmailCode } from "./email-code";
import { createAdmin, ImpersonationService } from "./admin";
import { createWebhookEvents, createWebhooks } from "./webhooks";
import { createNotices } from "./notices";
import { createSessionEvents } from "./session-events";
import { createOAuthClients, createProviderFeature, endBrowserSessionOnLogout, type InteractionSignIn } from "./provider";
import { isDisabledAt } from "./accounts";
import { createOrganizations } from "./organizations";
import { createPersonalAccessTokens } from "./personal-access-tokens";
import { createMagicLinks } from "./magic-link";

/**
 * What accounts' per-request loaders read, each batch from the store of its table: profiles
 * (accounts), the second factor's state (mfa), provider links (oauth).
 */
export function userLoaderSources(prisma: PrismaClient): UserLoaderSources {
  const users = new UserStore(prisma);
  const twoFactors = new TwoFactorStore(prisma);
  const providerLinks = new OAuthAccountStore(prisma);
  const passkeys = new PasskeyStore(prisma);
  return {
    profilesOf: (userIds) => users.profilesOf(userIds),
    twoFactorEnabledAmong: (userIds) => twoFactors.enabledAmong(userIds),
    linkedProvidersOf: (userIds) => providerLinks.providersOf(userIds),
    passkeyCountsOf: (userIds) => passkeys.countsForUsers(userIds),
  };
}

/** Wires the feature services together; one instance per server process. */
export function createServices(db: Database, config: Config, clock: Clock, logger: Logger, redis?: Redis) {
  const prisma = db.prisma;
  const metrics = createMetrics();
  const mail = createMail({ prisma, config, clock, logger });
  metrics.bindSources({
    activeSessions: () => sessions.countActive(),
    outboxDepth: mail.outboxDepth,
  });
  // The audit trail's listeners, made before it: every audited change also writes its webhook
  // event, and security notices by mail, in the event's own statement; a change to a user drops
  // what the session cache and the token cache hold for them (both built further down).
  const webhookEvents = createWebhookEvents({ prisma, clock, accounts: { newAccount: readNewAccount } });
  const notices = createNotices({
    outbox: mail.store,
    recipient: NOTICE_RECIPIENT_SQL,
    newDeviceDeliveries: (event, now, name, when) => webhookEvents.events.deliveries(event, now, name, when),
  });
  const { audit, auditLog, auditRetention } = createAudit({
    prisma,
    clock,
    retentionMs: config.auditRetentionMs,
    statementListeners: [webhookEvents.events, notices],
    // The session cache announces the change on the bus to every process (the token caches of
    // the others hear it there); this process's token cache forgets the user's tokens at once.
    userChangeListeners: [
      { userChanged: (userId) => sessionCache.invalidateUser(userId) },
      { userChanged: (userId) => tokenLookupCache.forgetUser(userId) },
    ],
    // Committed sign-ins, for live session events (built further down).
    eventListeners: [
      { eventRecorded: (entry) => signIns.eventRecorded(entry) },
      // Logout everywhere, revoked sessions, a disabled or deleted account, a password reset: the
      // account's OpenID Provider sessions and refresh tokens end too (built further down).
      { eventRecorded: (entry) => oidcProvider.revocation.eventRecorded(entry) },
    ],
  });
  const { rateLimits, rateLimiter, lockout } = createLimits({
    prisma, sql: db.sql, config, clock, logger, audit, metrics, redis, recentSignIns: { signedInFromPart },
  });
  const webhooks = createWebhooks({ prisma, config, clock, logger, audit, events: webhookEvents });

  // Some features below call ones built after them (a lower layer cannot import a higher one):
  // these ports reach the later-built services when they are called, never while wiring.
  const sessionRevoker: SessionRevoker = { revokeAllForUser: (tx, userId, reason, except) => sessions.revokeAllForUser(tx, userId, reason, except) };
  const emailChangeFlow: EmailChangeFlow = {
    request: (tx, current, email, origin) => emailChange.request(tx, current, email, origin),
    cancel: (tx, userId) => emailChange.cancel(tx, userId),
  };

  const { hasher, credentials, store: credentialStore, passwordChange, secretPasskeys } = createCredentials({
    prisma, config, clock, audit, lockout, lockUser, sessions: sessionRevoker,
  });
  const verification = createEmailVerification({ prisma, config, clock, audit, outbox: mail.outbox, templates: mail.templates });
  const emailVerification = verification.emailVerification;
  // Reauthentication (sessions) checks second-factor codes, and turning the second factor off
  // voids the sign-in's open challenges (sign-in is built after sessions).
  const mfa = createMfa({
    prisma, config, clock, audit, lockout,
    challenges: { voidAllForUser: (tx, userId) => twoFactorChallenges.voidAllForUser(tx, userId) },
  });
  const secondFactor = mfa.secondFactor;
  // The account's ways in, each counted, listed and removed by the store of its table.
  const passkeyStore = new PasskeyStore(prisma);
  const oauthAccountStore = new OAuthAccountStore(prisma);
  const waysIn = new SignInMethods({
    passwords: credentialStore,
    passkeys: passkeyStore,
    providers: oauthAccountStore,
    secondFactor: mfa.disable,
  });
  const secureCookies = config.env !== "development";
  const { users: userStore, accounts, profiles, avatarStorage, avatars, accountDeletion, clearSignInCookies } = createAccounts({
    prisma,
    config,
    clock,
    audit,
    lockout,
    credentials,
    emailVerification,
    emailChange: emailChangeFlow,
    sessions: sessionRevoker,
    // What the features above accounts keep about a person, erased with the account.
    erasers: [
      (tx, userId) => waysIn.removeAll(tx, userId),
      (tx, userId) => verification.tokenStore.deleteAllForUser(tx, userId),
      (tx, userId) => personalAccessTokens.eraseAll(tx, userId),
      (tx, userId) => emailCode.eraseForUser(tx, userId),
      (tx, userId) => magicLinks.store.deleteAllForUser(tx, userId),
    ],
    clearSignInCookies: (res) => clearAuthCookies(res, secureCookies),
    // Organizations are built after accounts: reached when a sign-up from an invitation runs.
    invitations: {
      invitedAddress: (tx, token) => organizations.invitations.invitedAddress(tx, token),
      join: async (tx, user, token, origin) => {
        await organizations.invitations.acceptIn(tx, { user, origin }, token);
      },
    },
  });
  const { organizations } = createOrganizations({
    prisma, clock, audit, outbox: mail.outbox, templates: mail.templates,
    policy: { appUrl: config.appUrl, ttlMs: config.organizationInvitationTtlMs, perOrganization: rateLimits.INVITATIONS ?? null },
  });
  const {
    signingKeys, accessTokens, invalidationBus, cache: sessionCache, sessions, refreshRotation, sessionRevocation, sessionPruner, recentAuth, reauthentication,
    activeOrganization,
  } = createSessions({
    prisma, sql: db.sql, databaseKind: db.kind, redis, config, clock, logger, audit, metrics, lockout, credentials, secondFactor, organizations,
  });
  // Token lookups are cached like sessions: on the same bus, for as long, only while it is healthy.
  const { personalAccessTokens, tokenLookupCache } = createPersonalAccessTokens({
    prisma, sql: db.sql, clock, audit, logger, bus: invalidationBus, cacheTtlMs: config.sessionCacheTtlMs,
    onLookup: (result) => metrics.personalAccessTokenCache.inc({ result }),
  });
  const { signIn, passwordSignIn, challenges: twoFactorChallenges, registration } = createSignIn({
    prisma, sql: db.sql, config, clock, audit, metrics, lockout, credentials, sessions, twoFactor: mfa.twoFactors, accounts,
  });
  // Provider sign-in reads and creates accounts through accounts' store; its lock refuses a deleted account.
  const oauthUsers: OAuthUsers = {
    findVerifiedOwner: (email) => userStore.findVerifiedOwner(email),
    hasVerifiedHolder: (email) => userStore.hasVerifiedHolder(email),
    addressOf: (tx, userId) => userStore.addressOf(tx, userId),
    findById: (tx, userId) => userStore.findById(tx, userId),
    takenUsernames: (normalized) => userStore.takenUsernames(normalized),
    insert: (tx, row) => userStore.insert(tx, row),
    lock: (tx, userId) => lockLiveUser(tx, userId),
  };
  const { passwordReset, passkeyReset, emailChange } = createRecovery({
    prisma, config, clock, audit, outbox: mail.outbox, templates: mail.templates, verification, accounts, credentials, sessions, lockout, waysIn, rateLimits,
  });
  const twoFactorLogin = new TwoFactorLoginService(twoFactorChallenges, secondFactor, accounts, signIn, lockout);
  const oauth = createOAuth({
    prisma, config, clock, logger, audit, emailVerification, login: signIn, metrics, accountStore: oauthAccountStore, users: oauthUsers, waysIn,
  });
  const passkeys = createPasskeys({
    prisma, config, clock, logger, audit, accounts, login: signIn, metrics, sessions, reauthentication, store: passkeyStore, waysIn,
    lockUser: (tx, userId) => lockLiveUser(tx, userId),
    readAddress: (tx, userId) => userStore.addressOf(tx, userId),
  });
  // Sign-in by a code mailed to the account's verified address.
  const { emailCode } = createEmailCode({
    prisma, config, clock, audit, accounts, signIn, metrics, outbox: mail.outbox, templates: mail.templates, rateLimits,
  });
  // Sign-in by e-mailed link: sign-up by link creates accounts through accounts' store.
  const magicLinks = createMagicLinks({
    prisma, config, clock, audit, outbox: mail.outbox, templates: mail.templates, accounts, signIn, challenges: twoFactorChallenges,
    twoFactor: mfa.twoFactors, rateLimits, waysIn,
    users: { takenUsernames: (normalized) => userStore.takenUsernames(normalized), insert: (tx, row) => userStore.insert(tx, row) },
  });
  // Live session events: the same door as HTTP's context builder (context-builder.ts).
  const { sessionEvents, signIns } = createSessionEvents({
    bus: invalidationBus,
    clock,
    logger,
    viewerFor: async (token) => {
      const claims = await accessTokens.verify(token);
      return claims ? sessions.viewerFor(claims) : undefined;
    },
    // A deleted account reads as none: its sessions ended with it.
    readAccount: (userId) => userStore.findLive(userId),
    activeSessionIds: async (userId) => (await sessions.listActive(userId)).map((session) => session.id),
    recheckIntervalMs: config.sessionEventsRecheckIntervalMs,
    maxConnectionsPerSession: 10,
  });
  const { admin, adminBootstrap, userSearch } = createAdmin({
    prisma, clock, audit, users: userStore, accounts, sessions: sessionRevoker,
    support: {
      accounts, profiles, deletion: accountDeletion, sessionList: sessions, passwordReset,
      // A first password is set at the account owner's pace: the verification link's lifetime.
      setPasswordLinkTtlMs: config.emailVerificationTtlMs,
    },
  });
  // Latchkey as an OpenID Provider for other apps; app.ts starts its engine once the keys are loaded.
  const oidcProvider = createProviderFeature({
    prisma,
    sql: db.sql,
    enabled: config.oidcProvider.enabled,
    settings: {
      publicUrl: config.publicUrl,
      appSecret: config.appSecret,
      sessionMaxLifetimeMs: config.sessionMaxLifetimeMs,
      accessTokenTtlSeconds: Math.floor(config.oidcProvider.accessTokenTtlMs / 1000),
      refreshTokenTtlSeconds: Math.floor(config.oidcProvider.refreshTokenTtlMs / 1000),
    },
    accounts: {
      read: (userId) => userStore.providerAccountOf(db.sql, userId),
      readAlong: { column: (id) => userStore.providerAccountColumn(id), parse: (value) => userStore.providerAccountFromColumn(value) },
      organizationOf: (sessionId, userId) => activeOrganization.current(sessionId, userId),
    },
    bus: invalidationBus,
    isDisabledAt,
    keys: signingKeys,
    clock,
    logger,
    // A confirmed provider logout also ends the browser's Latchkey session (its cookies now, the session just after).
    onEndSession: endBrowserSessionOnLogout((req, res) => {
      clearAuthCookies(res, secureCookies);
      const token = accessTokenFrom(req);
      if (!token) return;
      const origin = { ip: req.socket.remoteAddress ?? null, userAgent: req.headers["user-agent"] ?? null };
      void (async () => {
        const claims = await accessTokens.verify(token);
        const viewer = claims ? await sessions.viewerFor(claims) : undefined;
        if (viewer) await sessionRevocation.logout(viewer, origin);
      })().catch((error: unknown) => logger.warn({ err: error }, "ending the Latchkey session after a provider logout failed"));
    }),
  });
  // The OpenID Provider's clients (ADMIN) and the consents users gave them.
  const { oauthClients, authorizedApps, grantStore } = createOAuthClients({
    prisma,
    clock,
    audit,
    onClientChanged: (clientId) => oidcProvider.clientChanged(clientId),
  });
  // The provider's sign-in pages sign in through the same services as the GraphQL login.
  const oidcSignIn: InteractionSignIn = {
    login: (input, origin) => passwordSignIn.login(input, origin),
    verifyTwoFactor: async (challengeToken, code, origin) => (await twoFactorLogin.verify(challengeToken, code, origin)).payload,
    rateLimit: async (fieldName, args, origin) => {
      for (const rule of rateLimiter.rulesFor(fieldName)) {
        const wait = await rateLimiter.hit(rule, { ip: origin.ip }, args, { fieldName } as GraphQLResolveInfo);
        if (wait !== undefined) {
          metrics.rateLimited.inc({ field: fieldName });
          return wait;
        }
      }
      return undefined;
    },
    signedInUser: async (token) => {
      const claims = await accessTokens.verify(token);
      const viewer = claims ? await sessions.viewerFor(claims) : undefined;
      return viewer ? { id: viewer.user.id, sessionId: viewer.sessionId, impersonated: Boolean(viewer.impersonatorId) } : undefined;
    },
  };
  const impersonation = new ImpersonationService(prisma, userStore, sessions, audit, Math.floor(config.accessTokenTtlMs / 1000));
  return {
    publicUrl: config.publicUrl,
    clock,
    secureCookies,
    prisma,
    hasher,
    invalidationBus,
    metrics,
    rateLimiter,
    lockout,
    audit,
    credentials,
    accounts,
    userStore,
    userLoaderSources: userLoaderSources(prisma),
    clearSignInCookies,
    signingKeys,
    accessTokens,
    sessions,
    signIn,
    passwordSignIn,
    registration,
    refreshRotation,
    sessionRevocation,
    sessionPruner,
    recentAuth,
    reauthentication,
    personalAccessTokens,
    passwordChange,
    secretPasskeys,
    outbox: mail.outbox,
    mailSender: mail.sender,
    emailVerification,
    emailChange,
    passwordReset,
    passkeyReset,
    profiles,
    avatarStorage,
    avatars,
    accountDeletion,
    twoFactorChallenges,
    twoFactorLogin,
    mfa,
    oauth,
    passkeys,
    emailCode,
    auditLog,
    auditRetention,
    admin,
    adminBootstrap,
    userSearch,
    impersonation,
    webhooks,
    sessionEvents,
    oidcProvider,
    /** The running OpenID Provider engine (oidc-provider), once app.ts started it; undefined when disabled. */
    oidcSignIn,
    /** The consents users gave the provider's clients: the consent page reuses a live one. */
    oidcGrants: grantStore,
    /** What the consent page calls an account: its username. */
    oidcAccountName: async (userId: string) => (await userStore.findLive(userId))?.username,
    get oidc() {
      return oidcProvider.host()?.provider;
    },
    oauthClients,
    authorizedApps,
    organizations,
    activeOrganization,
    magicLinks,
  };
}

export type Services = ReturnType<typeof createServices>;

// Resolvers reach these as `ctx.services.<name>`, typed without importing this module.
declare module "./graphql/context" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the registry is exactly the services
  interface ServiceRegistry extends Services {}
}
