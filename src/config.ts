import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseDuration } from "./common/duration";

export type PasswordHashAlgorithm = "argon2id" | "bcrypt";

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  appSecret: string;
  publicUrl: string;
  accessTokenTtlMs: number;
  accessTokenMaxTtlMs: number;
  refreshTokenTtlMs: number;
  sessionIdleTimeoutMs: number;
  passwordHash: PasswordHashAlgorithm;
  bcryptCost: number;
  smtpUrl?: string;
  mailFrom: string;
  admin?: { username: string; password: string; email?: string };
  corsOrigins: string[];
  logLevel: string;
  trustProxy: boolean;
  queryMaxDepth: number;
  maxAvatarBytes: number;
  jwtIssuer: string;
  ideEnabled: boolean;
  jwtAudience: string;
  /** Audit events older than this are pruned; 0 keeps them forever. */
  auditRetentionMs: number;
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
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  writeFileSync(file, generated + "\n", { mode: 0o600 });
  return generated;
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
    host: env.HOST ?? "127.0.0.1",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    redisUrl: env.REDIS_URL || undefined,
    appSecret: appSecret(env, mode, dataDir),
    publicUrl,
    accessTokenTtlMs,
    accessTokenMaxTtlMs,
    refreshTokenTtlMs: duration(env, "REFRESH_TOKEN_TTL", "30d"),
    sessionIdleTimeoutMs: duration(env, "SESSION_IDLE_TIMEOUT", "10m"),
    passwordHash,
    bcryptCost,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? "no-reply@localhost",
    admin,
    corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL ?? "info",
    trustProxy: boolean(env, "TRUST_PROXY", false),
    queryMaxDepth: integer(env, "QUERY_MAX_DEPTH", 15, 1, 100),
    maxAvatarBytes: integer(env, "MAX_AVATAR_BYTES", 2_097_152, 1024, 50 * 1024 * 1024),
    jwtIssuer: publicUrl,
    ideEnabled: boolean(env, "GRAPHQL_IDE", true),
    jwtAudience: env.JWT_AUDIENCE ?? "latchkey",
    auditRetentionMs: duration(env, "AUDIT_RETENTION", "365d"),
  };
}
