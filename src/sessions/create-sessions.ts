import type { Redis } from "ioredis";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import type { Logger } from "../logger";
import { SecretBox } from "../common/secret-box";
import type { SqlRunner } from "../db/direct-sql";
import type { AuditService } from "../audit";
import type { Metrics } from "../metrics";
import type { LoginLockoutService } from "../limits";
import type { CredentialService } from "../credentials";
import { SessionStore } from "./session.store";
import { RefreshTokenStore } from "./refresh-token.store";
import { SigningKeyStore } from "./signing-key.store";
import { SigningKeys } from "./signing-keys";
import { AccessTokens } from "./access-tokens";
import { LocalInvalidationBus, NoInvalidationBus, RedisInvalidationBus } from "./invalidation-bus";
import { SessionCache } from "./session-cache";
import { SessionService } from "./session.service";
import { RefreshRotationService } from "./refresh-rotation.service";
import { SessionRevocationService } from "./session-revocation.service";
import { SessionPruner } from "./session-pruner";
import { RecentAuthentication } from "./recent-authentication";
import { ReauthenticationService } from "./reauthentication.service";
import type { SecondFactorCheck } from "./second-factor-check";
import type { OrganizationService } from "../organizations";
import { ActiveOrganizationService } from "./active-organization.service";

export interface SessionsDependencies {
  prisma: PrismaClient;
  /** The driver, for the hot statements (the session check, refresh rotation). */
  sql: SqlRunner;
  /** Which database: the embedded one is a single process, so invalidations need no channel. */
  databaseKind: "pglite" | "postgres";
  redis?: Redis;
  config: Pick<
    Config,
    | "appSecret" | "accessTokenTtlMs" | "accessTokenMaxTtlMs" | "jwtIssuer" | "jwtAudience" | "redisPrefix" | "sessionCacheTtlMs"
    | "refreshTokenTtlMs" | "sessionIdleTimeoutMs" | "sessionMaxLifetimeMs" | "refreshReuseIntervalMs" | "reauthMaxAgeMs"
  >;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  metrics: Metrics;
  lockout: LoginLockoutService;
  credentials: CredentialService;
  /** mfa's code check, for reauthenticate with a code. */
  secondFactor: SecondFactorCheck;
  /** Membership checks for setActiveOrganization. */
  organizations: Pick<OrganizationService, "roleOf">;
}

/** Wires sessions: signing keys and access tokens, the session check and its cache, refresh, sign-out, reauthentication. */
export function createSessions(deps: SessionsDependencies) {
  const { prisma, config, clock, logger, audit, redis } = deps;
  const store = new SessionStore(prisma, deps.sql);
  const refreshTokenStore = new RefreshTokenStore(prisma, deps.sql);
  const signingKeys = new SigningKeys(new SigningKeyStore(prisma), new SecretBox(config.appSecret, "signing-keys"), clock, config.accessTokenMaxTtlMs);
  const accessTokens = new AccessTokens(signingKeys, clock, config.jwtIssuer, config.jwtAudience);
  const invalidationBus = redis
    ? new RedisInvalidationBus(redis, config.redisPrefix, logger)
    : deps.databaseKind === "pglite"
      ? new LocalInvalidationBus()
      : new NoInvalidationBus();
  const cache = new SessionCache(invalidationBus, config.sessionCacheTtlMs);
  const sessions = new SessionService(
    store,
    refreshTokenStore,
    accessTokens,
    clock,
    { refreshTokenTtlMs: config.refreshTokenTtlMs, idleTimeoutMs: config.sessionIdleTimeoutMs, maxLifetimeMs: config.sessionMaxLifetimeMs },
    cache,
    (result) => deps.metrics.sessionCache.inc({ result }),
  );
  const refreshRotation = new RefreshRotationService(prisma, refreshTokenStore, sessions, audit, clock, {
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    defaultAccessTtlMs: config.accessTokenTtlMs,
    reuseIntervalMs: config.refreshReuseIntervalMs,
  }, logger);
  return {
    signingKeys,
    accessTokens,
    invalidationBus,
    cache,
    sessions,
    refreshRotation,
    sessionRevocation: new SessionRevocationService(prisma, sessions, audit),
    sessionPruner: new SessionPruner(store, refreshTokenStore, clock, { idleTimeoutMs: config.sessionIdleTimeoutMs }),
    recentAuth: new RecentAuthentication(clock, config.reauthMaxAgeMs),
    activeOrganization: new ActiveOrganizationService(store, deps.organizations, cache),
    reauthentication: new ReauthenticationService(prisma, sessions, deps.credentials, deps.secondFactor, deps.lockout, audit),
  };
}
