import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { SqlRunner } from "../db/direct-sql";
import type { AuditService } from "../audit";
import type { InvalidationBus } from "../sessions";
import { PersonalAccessTokenStore } from "./personal-access-token.store";
import { PersonalAccessTokenService } from "./personal-access-token.service";
import { TokenLookupCache } from "./token-lookup-cache";

export interface PersonalAccessTokensDependencies {
  prisma: PrismaClient;
  sql: SqlRunner;
  clock: Clock;
  audit: AuditService;
  logger: Logger;
  /** The sessions' invalidation bus: the token cache is used only while it is healthy. */
  bus: InvalidationBus;
  /** How long a token lookup stays cached (the session cache's TTL); 0: off. */
  cacheTtlMs: number;
  /** Told whether each cached-eligible lookup was a hit or a miss (metrics). */
  onLookup?: (result: "hit" | "miss") => void;
}

/** Personal access tokens: their store, the per-process cache of their lookups, and the service. */
export function createPersonalAccessTokens(deps: PersonalAccessTokensDependencies) {
  const store = new PersonalAccessTokenStore(deps.prisma, deps.sql);
  const cache = new TokenLookupCache(deps.bus, deps.cacheTtlMs);
  return {
    personalAccessTokens: new PersonalAccessTokenService(deps.prisma, store, deps.clock, deps.audit, deps.logger, cache, deps.onLookup),
    tokenLookupCache: cache,
  };
}
