import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ConfigError, type ConfigProblem } from "./config/config-error";
import { readConfigVariables, type ConfigValues, type ConfigVariableName } from "./config/config-variables";
import type { OAuthProviderConfig } from "./config/oauth-provider-config";
import type { Env, RateLimit } from "./config/variable-parsers";

export { ConfigError };
export { loadEnvFile } from "./config/env-file";
export type { ConfigProblem };
export type { OAuthProviderConfig, RateLimit };

export type PasswordHashAlgorithm = "argon2id" | "bcrypt";

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Server processes `npm start` runs (node:cluster); 1 runs the server in this process. */
  workers: number;
  databaseUrl?: string;
  /** PostgreSQL: connections this process's pool keeps at most. */
  databasePoolSize: number;
  /** PostgreSQL: longest wait for a new connection. */
  databaseConnectTimeoutMs: number;
  /** PostgreSQL: longest a statement may run; 0 means no limit. */
  databaseStatementTimeoutMs: number;
  /** PostgreSQL: keep statements prepared per connection (off behind a transaction-mode PgBouncer). */
  databasePreparedStatements: boolean;
  dataDir: string;
  redisUrl?: string;
  appSecret: string;
  publicUrl: string;
  /** The base of the links in mails (APP_URL, default publicUrl). */
  appUrl: string;
  accessTokenTtlMs: number;
  accessTokenMaxTtlMs: number;
  refreshTokenTtlMs: number;
  sessionIdleTimeoutMs: number;
  /** How recent a session's last proof of identity must be for sensitive mutations. */
  reauthMaxAgeMs: number;
  /** A session ends this long after sign-in, however often it refreshes. */
  sessionMaxLifetimeMs: number;
  /** The OpenID Provider for other apps (OIDC_PROVIDER_ENABLED and its token lifetimes). */
  oidcProvider: { enabled: boolean; accessTokenTtlMs: number; refreshTokenTtlMs: number };
  /** A just-retired refresh token presented again this soon yields its successor again (0: off). */
  refreshReuseIntervalMs: number;
  passwordHash: PasswordHashAlgorithm;
  bcryptCost: number;
  smtpUrl?: string;
  mailFrom: string;
  /** A folder of replacement mail templates, read at start (mail/load-mail-templates.ts). */
  mailTemplatesDir?: string;
  /** Tries per outgoing mail before it is marked failed. */
  mailMaxAttempts: number;
  /** How often the background sender looks for due mail. */
  mailPollIntervalMs: number;
  passwordResetTtlMs: number;
  /** Lifetime of a mailed sign-in code (requestEmailCode). */
  emailCodeTtlMs: number;
  emailVerificationTtlMs: number;
  /** Lifetime of an organization invitation link. */
  organizationInvitationTtlMs: number;
  /** true: password-reset mail goes only to verified addresses. */
  resetRequiresVerifiedEmail: boolean;
  /** Lifetime of a sign-in link (requestMagicLink). */
  magicLinkTtlMs: number;
  /** true: a sign-in link for an unknown address signs up. */
  magicLinkSignup: boolean;
  admin?: { username: string; password: string; email?: string };
  corsOrigins: string[];
  logLevel: string;
  /** `pretty`: readable lines for development (pino-pretty); `json` otherwise. */
  logFormat: "json" | "pretty";
  /** Proxies in front that append to X-Forwarded-For (0: none; the socket's address is the client's). */
  trustProxy: number;
  queryMaxDepth: number;
  maxAvatarBytes: number;
  /** Largest avatar canvas (width x height) decoded; larger ones are refused from the header. */
  avatarMaxPixels: number;
  /** Where uploaded avatars are kept: DATA_DIR/avatars, or a table every host reads. */
  avatarStorage: "filesystem" | "database";
  jwtIssuer: string;
  ideEnabled: boolean;
  /** How often background maintenance (pruning, key refresh) runs. */
  maintenanceIntervalMs: number;
  introspection: boolean;
  sessionCacheTtlMs: number;
  redisPrefix: string;
  /**
   * RATE_LIMIT_<KEY> settings as given, by key (null: off); unset keys are absent. The limits
   * feature knows the keys and fills in their defaults (rateLimitsWithDefaults in
   * src/limits/rate-limit-rules.ts): read limits from there, not from here.
   */
  rateLimitOverrides: Record<string, RateLimit | null>;
  lockout: { threshold: number; windowMs: number; baseMs: number; maxMs: number; trustedIpMs: number };
  queryMaxAliases: number;
  queryMaxCost: number;
  /** Tokens per GraphQL document; longer ones are refused before they are validated. */
  queryMaxTokens: number;
  maxBatchOperations: number;
  maxJsonBodyBytes: number;
  /** WebSocket connections one client address may hold at once. */
  wsMaxConnectionsPerIp: number;
  /** How often a live subscription rechecks its session and account without a message. */
  sessionEventsRecheckIntervalMs: number;
  jwtAudience: string;
  /** The issuer name authenticator apps show beside two-factor accounts. */
  twoFactorIssuer: string;
  /** Social sign-in providers from OIDC_PROVIDERS (JSON), presets filled in. */
  oauthProviders: OAuthProviderConfig[];
  /** Audit events older than this are pruned; 0 keeps them forever. */
  auditRetentionMs: number;
  /** How long one webhook delivery attempt may take. */
  webhookTimeoutMs: number;
  /** How often the background deliverer looks for due webhook deliveries. */
  webhookPollIntervalMs: number;
  /** Deliveries are retried this long; an endpoint failing this long is disabled. */
  webhookRetryWindowMs: number;
  /** true: webhook URLs may point at private, loopback and link-local addresses. */
  webhookAllowPrivate: boolean;
  /** /metrics on a port of its own (0: any free port), off the main port; undefined: not. */
  metricsPort?: number;
  /** Where the metrics port listens (loopback unless set). */
  metricsHost: string;
  /** /metrics only with `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Passkeys: the relying party's id (a host name), its display name, the page origins allowed. */
  webauthn: { rpId: string; rpName: string; origins: string[] };
  /** OpenTelemetry export (OTEL_EXPORTER_OTLP_ENDPOINT); undefined: no tracing, nothing loaded. */
  tracing?: { tracesUrl: string; serviceName: string };
}

/** In development the secret is generated once and kept in DATA_DIR, so restarts keep keys readable. */
function appSecret(given: string | undefined, dataDir: string): string {
  if (given) return given;
  const file = path.join(dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(32).toString("base64url");
  writeFileSync(file, generated + "\n", { mode: 0o600 });
  return generated;
}

/** The rules between variables, each checked only when the variables it reads parsed. */
function crossVariableProblems(v: ConfigValues, parsed: (...names: ConfigVariableName[]) => boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const rule = (variable: ConfigVariableName, broken: boolean, problem: string) => {
    if (broken) problems.push({ variable, problem });
  };
  rule(
    "ACCESS_TOKEN_TTL",
    parsed("ACCESS_TOKEN_TTL", "ACCESS_TOKEN_MAX_TTL") && (v.ACCESS_TOKEN_TTL < 60_000 || v.ACCESS_TOKEN_TTL > v.ACCESS_TOKEN_MAX_TTL),
    "ACCESS_TOKEN_TTL must be at least 1m and at most ACCESS_TOKEN_MAX_TTL",
  );
  rule(
    "METRICS_PORT",
    parsed("METRICS_PORT", "PORT") && v.METRICS_PORT !== undefined && v.METRICS_PORT !== 0 && v.METRICS_PORT === v.PORT,
    "METRICS_PORT must differ from PORT",
  );
  rule(
    "APP_SECRET",
    parsed("APP_SECRET") && !v.APP_SECRET && v.NODE_ENV === "production",
    "APP_SECRET is required when NODE_ENV=production: set it to a random value of at least 32 characters (e.g. `openssl rand -base64 32`) and keep it",
  );
  return problems;
}

/** The traces URL: the signal's own endpoint, else the base endpoint's `/v1/traces` (the OTLP rule). */
function tracingSettings(endpoint: string | undefined, tracesEndpoint: string | undefined, serviceName: string): Config["tracing"] {
  const tracesUrl = tracesEndpoint ?? (endpoint ? `${endpoint}/v1/traces` : undefined);
  return tracesUrl ? { tracesUrl, serviceName } : undefined;
}

/**
 * Every environment variable the server reads, parsed and validated in one place: each one by
 * its row of CONFIG_VARIABLES (src/config/config-variables.ts), the rules between them here.
 * Throws one ConfigError listing every problem found.
 */
export function loadConfig(env: Env = process.env): Config {
  const { values: v, problems } = readConfigVariables(env);
  const failed = new Set(problems.map((entry) => entry.variable));
  problems.push(...crossVariableProblems(v, (...names) => names.every((name) => !failed.has(name))));
  if (problems.length > 0) throw ConfigError.of(problems);
  const mode = v.NODE_ENV;
  const publicUrl = v.PUBLIC_URL ?? `http://localhost:${v.PORT}`;
  // Passkeys are bound to a host name and accepted from the listed page origins; both default to
  // PUBLIC_URL's, which is where browser apps are served.
  const base = new URL(publicUrl);
  const admin =
    v.ADMIN_USERNAME && v.ADMIN_PASSWORD ? { username: v.ADMIN_USERNAME, password: v.ADMIN_PASSWORD, email: v.ADMIN_EMAIL } : undefined;

  return {
    env: mode,
    port: v.PORT,
    workers: v.WORKERS,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: v.DATABASE_CONNECT_TIMEOUT,
    databaseStatementTimeoutMs: v.DATABASE_STATEMENT_TIMEOUT,
    databasePreparedStatements: v.DATABASE_PREPARED_STATEMENTS,
    dataDir: v.DATA_DIR,
    redisUrl: v.REDIS_URL,
    appSecret: appSecret(v.APP_SECRET, v.DATA_DIR),
    publicUrl,
    appUrl: v.APP_URL ?? publicUrl,
    accessTokenTtlMs: v.ACCESS_TOKEN_TTL,
    accessTokenMaxTtlMs: v.ACCESS_TOKEN_MAX_TTL,
    refreshTokenTtlMs: v.REFRESH_TOKEN_TTL,
    sessionIdleTimeoutMs: v.SESSION_IDLE_TIMEOUT,
    reauthMaxAgeMs: v.REAUTH_MAX_AGE,
    sessionMaxLifetimeMs: v.SESSION_MAX_LIFETIME,
    oidcProvider: { enabled: v.OIDC_PROVIDER_ENABLED, accessTokenTtlMs: v.OIDC_ACCESS_TOKEN_TTL, refreshTokenTtlMs: v.OIDC_REFRESH_TOKEN_TTL },
    refreshReuseIntervalMs: v.REFRESH_REUSE_INTERVAL,
    passwordHash: v.PASSWORD_HASH,
    bcryptCost: v.BCRYPT_COST,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM,
    mailTemplatesDir: v.MAIL_TEMPLATES_DIR,
    mailMaxAttempts: v.MAIL_MAX_ATTEMPTS,
    mailPollIntervalMs: v.MAIL_POLL_INTERVAL,
    passwordResetTtlMs: v.PASSWORD_RESET_TTL,
    emailCodeTtlMs: v.EMAIL_CODE_TTL,
    emailVerificationTtlMs: v.EMAIL_VERIFICATION_TTL,
    organizationInvitationTtlMs: v.ORGANIZATION_INVITATION_TTL,
    resetRequiresVerifiedEmail: v.RESET_REQUIRES_VERIFIED_EMAIL,
    magicLinkTtlMs: v.MAGIC_LINK_TTL,
    magicLinkSignup: v.MAGIC_LINK_SIGNUP,
    admin,
    corsOrigins: v.CORS_ORIGINS,
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    trustProxy: v.TRUST_PROXY,
    queryMaxDepth: v.QUERY_MAX_DEPTH,
    maxAvatarBytes: v.MAX_AVATAR_BYTES,
    avatarMaxPixels: v.AVATAR_MAX_PIXELS,
    avatarStorage: v.AVATAR_STORAGE,
    jwtIssuer: publicUrl,
    ideEnabled: v.GRAPHQL_IDE,
    introspection: v.GRAPHQL_INTROSPECTION,
    redisPrefix: v.REDIS_PREFIX,
    sessionCacheTtlMs: v.SESSION_CACHE_TTL,
    rateLimitOverrides: v["RATE_LIMIT_<KEY>"],
    lockout: {
      threshold: v.LOGIN_LOCKOUT_THRESHOLD,
      windowMs: v.LOGIN_LOCKOUT_WINDOW,
      baseMs: v.LOGIN_LOCKOUT_BASE,
      maxMs: v.LOGIN_LOCKOUT_MAX,
      trustedIpMs: v.LOGIN_TRUSTED_IP_WINDOW,
    },
    queryMaxAliases: v.QUERY_MAX_ALIASES,
    queryMaxCost: v.QUERY_MAX_COST,
    queryMaxTokens: v.QUERY_MAX_TOKENS,
    maxBatchOperations: v.MAX_BATCH_OPERATIONS,
    maxJsonBodyBytes: v.MAX_JSON_BODY_BYTES,
    wsMaxConnectionsPerIp: v.WS_MAX_CONNECTIONS_PER_IP,
    sessionEventsRecheckIntervalMs: v.SESSION_EVENTS_RECHECK_INTERVAL,
    maintenanceIntervalMs: v.MAINTENANCE_INTERVAL,
    jwtAudience: v.JWT_AUDIENCE,
    twoFactorIssuer: v.TWO_FACTOR_ISSUER,
    oauthProviders: v.OIDC_PROVIDERS,
    auditRetentionMs: v.AUDIT_RETENTION,
    webhookTimeoutMs: v.WEBHOOK_TIMEOUT,
    webhookPollIntervalMs: v.WEBHOOK_POLL_INTERVAL,
    webhookRetryWindowMs: v.WEBHOOK_RETRY_WINDOW,
    webhookAllowPrivate: v.WEBHOOK_ALLOW_PRIVATE,
    webauthn: { rpId: v.WEBAUTHN_RP_ID || base.hostname, rpName: v.WEBAUTHN_RP_NAME, origins: v.WEBAUTHN_ORIGINS.length > 0 ? v.WEBAUTHN_ORIGINS : [base.origin] },
    metricsPort: v.METRICS_PORT,
    metricsHost: v.METRICS_HOST,
    metricsToken: v.METRICS_TOKEN,
    tracing: tracingSettings(v.OTEL_EXPORTER_OTLP_ENDPOINT, v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, v.OTEL_SERVICE_NAME),
  };
}
