import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { SqlRunner } from "../db/direct-sql";
import type { AuditService } from "../audit";
import { PersonalAccessTokenStore } from "./personal-access-token.store";
import { PersonalAccessTokenService } from "./personal-access-token.service";

export interface PersonalAccessTokensDependencies {
  prisma: PrismaClient;
  sql: SqlRunner;
  clock: Clock;
  audit: AuditService;
  logger: Logger;
}

/** Personal access tokens: their store and service. */
export function createPersonalAccessTokens(deps: PersonalAccessTokensDependencies) {
  const store = new PersonalAccessTokenStore(deps.prisma, deps.sql);
  return { personalAccessTokens: new PersonalAccessTokenService(deps.prisma, store, deps.clock, deps.audit, deps.logger) };
}
