import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseDuration } from "./common/duration";
import { RATE_LIMIT_KEYS, RATE_LIMIT_RULES, SERVICE_RATE_LIMITS } from "./limits/rate-limit-rules";
import { parseOAuthProviders, type OAuthProviderConfig } from "./oauth/provider-config";

export type PasswordHashAlgorithm = "argon2id" | "bcrypt";

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Server processes `npm start` runs (node:cluster); 1 runs the server in this process. */
  workers: number;
  databaseUrl?: string;
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
  accessTokenTtlMs: number;
  accessTokenMaxTtlMs: number;
  refreshTokenTtlMs: number;
  sessionIdleTimeoutMs: number;
  /** How recent a session's last proof of identity must be for sensitive mutations. */
  reauthMaxAgeMs: number;
  /** A session ends this long after sign-in, however often it refreshes. */
  sessionMaxLifetimeMs: number;
  /** A just-retired refresh token presented again this soon yields its successor again (0: off). */
  refreshReuseIntervalMs: number;
  passwordHash: PasswordHashAlgorithm;
  bcryptCost: number;
  smtpUrl?: string;
  mailFrom: string;
  /** Tries per outgoing mail before it is marked failed. */
  mailMaxAttempts: number;
  /** How often the background sender looks for due mail. */
  mailPollIntervalMs: number;
  passwordResetTtlMs: number;
  emailVerificationTtlMs: number;
  /** true: password-reset mail goes only to verified addresses. */
  resetRequiresVerifiedEmail: boolean;
  admin?: { username: string; password: string; email?: string };
  corsOrigins: string[];
  logLevel: string;
  /** Proxies in front that append to X-Forwarded-For (0: none; the socket's address is the client's). */
  trustProxy: number;
  queryMaxDepth: number;
  maxAvatarBytes: number;
  /** Largest avatar canvas (width x height) decoded; larger ones are refused from the header. */
  avatarMaxPixels: number;
  jwtIssuer: string;
  ideEnabled: boolean;
  /** How often background maintenance (pruning, key refresh) runs. */
  maintenanceIntervalMs: number;
  introspection: boolean;
  sessionCacheTtlMs: number;
  redisPrefix: string;
  /** RATE_LIMIT_<KEY> overrides, by rule key. */
  rateLimits: Record<string, { max: number; windowMs: number } | null>;
  lockout: { threshold: number; windowMs: number; baseMs: number; maxMs: number; trustedIpMs: number };
  queryMaxAliases: number;
  queryMaxCost: number;
  /** Tokens per GraphQL document; longer ones are refused before they are validated. */
  queryMaxTokens: number;
  maxBatchOperations: number;
  maxJsonBodyBytes: number;
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
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function duration(env: Env, name: string, fallback: string): number {
  try {
    return parseDuration(env[name] ?? fallback);
  } catch (error) {
    throw new ConfigError(`${name}: ${(error as Error).message}`);
  }
}

function positiveDuration(env: Env, name: string, fallback: string): number {
  const value = duration(env, name, fallback);
  if (value <= 0) throw new ConfigError(`${name} must be longer than 0`);
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["true", "1", "yes"].includes(raw.toLowerCase())) return true;
  if (["false", "0", "no"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/**
 * TRUST_PROXY: false, true (one proxy) or the number of proxies in front. The client's address
 * is the entry the outermost trusted proxy appended to X-Forwarded-For, counted from the right:
 * entries further left were sent by the client and are not evidence of anything (taking the
 * leftmost, as express's `true` does, lets a caller pick its own IP and walk past IP limits).
 */
function proxyHops(env: Env): number {
  const raw = (env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (raw === "" || ["false", "no", "0"].includes(raw)) return 0;
  if (["true", "yes"].includes(raw)) return 1;
  if (/^[1-9]$/.test(raw)) return Number(raw);
  throw new ConfigError(`TRUST_PROXY must be true, false or the number of proxies in front (1-9), got "${env.TRUST_PROXY}"`);
}

/**
 * REFRESH_REUSE_INTERVAL: long enough for two tabs racing, short enough that a copied token is
 * still caught; at most a minute.
 */
function refreshReuseInterval(env: Env): number {
  const value = duration(env, "REFRESH_REUSE_INTERVAL", "10s");
  if (value > 60_000) throw new ConfigError("REFRESH_REUSE_INTERVAL must be at most 1m");
  return value;
}

/** "max/window" as in RATE_LIMIT_LOGIN=10/1m, or "off" (e.g. when a gateway in front limits instead). */
function rateLimits(env: Env): Config["rateLimits"] {
  const limits: Config["rateLimits"] = {};
  const defaults = Object.fromEntries([...Object.values(RATE_LIMIT_RULES).flat(), ...SERVICE_RATE_LIMITS].map((rule) => [rule.key, rule.defaultLimit]));
  for (const key of RATE_LIMIT_KEYS) {
    const name = `RATE_LIMIT_${key}`;
    const raw = env[name] || defaults[key];
    if (raw.trim().toLowerCase() === "off") {
      limits[key] = null;
      continue;
    }
    const match = /^(\d+)\/(\w+)$/.exec(raw.trim());
    if (!match || Number(match[1]) < 1) throw new ConfigError(`${name} must look like 10/1m, got "${raw}"`);
    limits[key] = { max: Number(match[1]), windowMs: duration({ [name]: match[2] }, name, match[2]) };
  }
  return limits;
}

function oauthProviders(env: Env, mode: Config["env"]): OAuthProviderConfig[] {
  try {
    return parseOAuthProviders(env.OIDC_PROVIDERS, { production: mode === "production" });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** In development the secret is generated once and kept in DATA_DIR, so restarts keep keys readable. */
function appSecret(env: Env, mode: Config["env"], dataDir: string): string {
  const given = env.APP_SECRET;
  if (given) {
    if (given.length < 32) throw new ConfigError("APP_SECRET must be at least 32 characters");
    return given;
  }
  if (mode === "production") throw new ConfigError("APP_SECRET is required when NODE_ENV=production");
  const file = path.join(dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(32).toString("base64url");
  writeFileSync(file, generated + "\n", { mode: 0o600 });
  return generated;
}

/** Shown in authenticator apps and written into otpauth:// URLs, where ":" separates issuer and account. */
function twoFactorIssuer(env: Env): string {
  const issuer = (env.TWO_FACTOR_ISSUER ?? "Latchkey").trim();
  if (!issuer || issuer.length > 64 || issuer.includes(":")) {
    throw new ConfigError("TWO_FACTOR_ISSUER must be 1 to 64 characters without a colon");
  }
  return issuer;
}

/** WORKERS=N or "auto" (one per core). The embedded database belongs to one process. */
function workers(env: Env): number {
  const count = env.WORKERS === "auto" ? availableParallelism() : integer(env, "WORKERS", 1, 1, 256);
  if (count > 1 && !env.DATABASE_URL) {
    throw new ConfigError("WORKERS above 1 needs DATABASE_URL: the embedded database serves a single process");
  }
  return count;
}

/**
 * Passkeys are bound to a host name (the RP ID) and accepted only from the page origins listed;
 * both default to PUBLIC_URL's, which is where browser apps are served.
 */
function webauthn(env: Env, publicUrl: string): Config["webauthn"] {
  const base = new URL(publicUrl);
  const givenRpId = env.WEBAUTHN_RP_ID?.trim().toLowerCase();
  if (givenRpId && (!/^[a-z0-9.-]+$/.test(givenRpId) || givenRpId.startsWith(".") || givenRpId.endsWith("."))) {
    throw new ConfigError(`WEBAUTHN_RP_ID must be a host name such as example.com, got "${givenRpId}"`);
  }
  // Taken as it is from PUBLIC_URL: an IP address starts the server, though browsers refuse passkeys there.
  const rpId = givenRpId || base.hostname;
  const rpName = (env.WEBAUTHN_RP_NAME ?? "Latchkey").trim();
  if (!rpName || rpName.length > 64) throw new ConfigError("WEBAUTHN_RP_NAME must be 1 to 64 characters");
  const given = (env.WEBAUTHN_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean);
  const origins = given.length > 0 ? given : [base.origin];
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(`WEBAUTHN_ORIGINS: "${origin}" is not an origin such as https://app.example.com`);
    }
    if (parsed.origin !== origin.replace(/\/+$/, "")) {
      throw new ConfigError(`WEBAUTHN_ORIGINS: "${origin}" must be a bare origin (scheme, host, port), without a path`);
    }
  }
  return { rpId, rpName, origins: origins.map((origin) => new URL(origin).origin) };
}

/** METRICS_PORT / METRICS_HOST / METRICS_TOKEN: see metrics-route.ts. */
function metricsExposure(env: Env, mainPort: number): Pick<Config, "metricsPort" | "metricsHost" | "metricsToken"> {
  const metricsPort = env.METRICS_PORT ? integer(env, "METRICS_PORT", 0, 0, 65535) : undefined;
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === mainPort) {
    throw new ConfigError("METRICS_PORT must differ from PORT");
  }
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError("METRICS_TOKEN must be at least 16 characters");
  return { metricsPort, metricsHost: env.METRICS_HOST || "127.0.0.1", metricsToken };
}

/** Every environment variable the server reads, parsed and validated in one place. */
export function loadConfig(env: Env = process.env): Config {
  const mode = (env.NODE_ENV === "production" || env.NODE_ENV === "test" ? env.NODE_ENV : "development") as Config["env"];
  const port = integer(env, "PORT", 4000, 0, 65535);
  const dataDir = path.resolve(env.DATA_DIR ?? "./data");
  const passwordHash = (env.PASSWORD_HASH ?? "argon2id") as PasswordHashAlgorithm;
  if (passwordHash !== "argon2id" && passwordHash !== "bcrypt") {
    throw new ConfigError(`PASSWORD_HASH must be argon2id or bcrypt, got "${passwordHash}"`);
  }
  const bcryptCost = integer(env, "BCRYPT_COST", 12, mode === "test" ? 4 : 10, 31);
  const accessTokenTtlMs = duration(env, "ACCESS_TOKEN_TTL", "15m");
  const accessTokenMaxTtlMs = duration(env, "ACCESS_TOKEN_MAX_TTL", "24h");
  if (accessTokenTtlMs < 60_000 || accessTokenTtlMs > accessTokenMaxTtlMs) {
    throw new ConfigError("ACCESS_TOKEN_TTL must be at least 1m and at most ACCESS_TOKEN_MAX_TTL");
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  const admin =
    env.ADMIN_USERNAME && env.ADMIN_PASSWORD
      ? { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD, email: env.ADMIN_EMAIL || undefined }
      : undefined;

  return {
    env: mode,
    port,
    workers: workers(env),
    host: env.HOST ?? "127.0.0.1",
    databaseUrl: env.DATABASE_URL || undefined,
    databaseConnectTimeoutMs: positiveDuration(env, "DATABASE_CONNECT_TIMEOUT", "3s"),
    databaseStatementTimeoutMs: duration(env, "DATABASE_STATEMENT_TIMEOUT", "5s"),
    databasePreparedStatements: boolean(env, "DATABASE_PREPARED_STATEMENTS", true),
    dataDir,
    redisUrl: env.REDIS_URL || undefined,
    appSecret: appSecret(env, mode, dataDir),
    publicUrl,
    accessTokenTtlMs,
    accessTokenMaxTtlMs,
    refreshTokenTtlMs: duration(env, "REFRESH_TOKEN_TTL", "30d"),
    sessionIdleTimeoutMs: duration(env, "SESSION_IDLE_TIMEOUT", "10m"),
    reauthMaxAgeMs: positiveDuration(env, "REAUTH_MAX_AGE", "10m"),
    sessionMaxLifetimeMs: positiveDuration(env, "SESSION_MAX_LIFETIME", "90d"),
    refreshReuseIntervalMs: refreshReuseInterval(env),
    passwordHash,
    bcryptCost,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? "no-reply@localhost",
    mailMaxAttempts: integer(env, "MAIL_MAX_ATTEMPTS", 8, 1, 100),
    mailPollIntervalMs: positiveDuration(env, "MAIL_POLL_INTERVAL", "5s"),
    passwordResetTtlMs: positiveDuration(env, "PASSWORD_RESET_TTL", "30m"),
    emailVerificationTtlMs: positiveDuration(env, "EMAIL_VERIFICATION_TTL", "24h"),
    resetRequiresVerifiedEmail: boolean(env, "RESET_REQUIRES_VERIFIED_EMAIL", true),
    admin,
    corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL ?? "info",
    trustProxy: proxyHops(env),
    queryMaxDepth: integer(env, "QUERY_MAX_DEPTH", 15, 1, 100),
    maxAvatarBytes: integer(env, "MAX_AVATAR_BYTES", 2_097_152, 1024, 50 * 1024 * 1024),
    avatarMaxPixels: integer(env, "AVATAR_MAX_PIXELS", 16_777_216, 1, 100_000_000),
    jwtIssuer: publicUrl,
    ideEnabled: boolean(env, "GRAPHQL_IDE", mode !== "production"),
    introspection: boolean(env, "GRAPHQL_INTROSPECTION", mode !== "production"),
    redisPrefix: env.REDIS_PREFIX ?? "latchkey:",
    sessionCacheTtlMs: duration(env, "SESSION_CACHE_TTL", "30s"),
    rateLimits: rateLimits(env),
    lockout: {
      threshold: integer(env, "LOGIN_LOCKOUT_THRESHOLD", 5, 1, 1000),
      windowMs: duration(env, "LOGIN_LOCKOUT_WINDOW", "15m"),
      baseMs: duration(env, "LOGIN_LOCKOUT_BASE", "1m"),
      maxMs: duration(env, "LOGIN_LOCKOUT_MAX", "15m"),
      trustedIpMs: duration(env, "LOGIN_TRUSTED_IP_WINDOW", "30d"),
    },
    queryMaxAliases: integer(env, "QUERY_MAX_ALIASES", 15, 1, 1000),
    queryMaxCost: integer(env, "QUERY_MAX_COST", 5000, 1, 1_000_000),
    queryMaxTokens: integer(env, "QUERY_MAX_TOKENS", 1000, 200, 100_000),
    maxBatchOperations: integer(env, "MAX_BATCH_OPERATIONS", 10, 1, 100),
    maxJsonBodyBytes: integer(env, "MAX_JSON_BODY_BYTES", 102_400, 1024, 10 * 1024 * 1024),
    maintenanceIntervalMs: duration(env, "MAINTENANCE_INTERVAL", "5m"),
    jwtAudience: env.JWT_AUDIENCE ?? "latchkey",
    twoFactorIssuer: twoFactorIssuer(env),
    oauthProviders: oauthProviders(env, mode),
    auditRetentionMs: duration(env, "AUDIT_RETENTION", "365d"),
    webhookTimeoutMs: positiveDuration(env, "WEBHOOK_TIMEOUT", "10s"),
    webhookPollIntervalMs: positiveDuration(env, "WEBHOOK_POLL_INTERVAL", "5s"),
    webhookRetryWindowMs: positiveDuration(env, "WEBHOOK_RETRY_WINDOW", "24h"),
    webhookAllowPrivate: boolean(env, "WEBHOOK_ALLOW_PRIVATE", false),
    webauthn: webauthn(env, publicUrl),
    ...metricsExposure(env, port),
  };
}
