import type { Redis } from "ioredis";
import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { SqlRunner } from "../db/direct-sql";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { AuditService } from "../audit";
import type { Metrics } from "../metrics";
import { LoginFailureStore, type RecentSignInSource } from "./login-failure.store";
import { LoginLockoutService } from "./login-lockout.service";
import { RateLimiter } from "./rate-limiter";
import { MemoryCallCounter, RedisCallCounter } from "./call-counters";
import { rateLimitsWithDefaults } from "./rate-limit-rules";

export interface LimitsDependencies {
  prisma: PrismaClient;
  /** The direct driver: the lockout's claims are on the sign-in hot path. */
  sql: SqlRunner;
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  metrics: Metrics;
  /** Shared counters across processes when configured; in memory otherwise. */
  redis?: Redis;
  /** Whether an account recently signed in from an IP: the sessions store's part, a port. */
  recentSignIns: RecentSignInSource;
}

/** Abuse protection: per-field rate limits and the per-account sign-in lockout. */
export function createLimits(deps: LimitsDependencies) {
  const { config, redis, logger } = deps;
  // Every limit: the configured ones, and each other key's default.
  const rateLimits = rateLimitsWithDefaults(config.rateLimitOverrides);
  const rateLimiter = new RateLimiter(redis ? new RedisCallCounter(redis, config.redisPrefix, logger) : new MemoryCallCounter(), rateLimits);
  const failures = new LoginFailureStore(deps.prisma, deps.sql, deps.recentSignIns);
  const lockout = new LoginLockoutService(failures, deps.clock, config.lockout, deps.audit, deps.metrics, logger);
  return { rateLimits, rateLimiter, lockout };
}
