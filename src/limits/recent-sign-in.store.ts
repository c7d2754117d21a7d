import { Prisma } from "../generated/prisma/client";
import { utc } from "../db/sql-time";
import type { RecentSignInSource } from "./login-failure.store";

/**
 * The lockout's one read of the Session table (owned by sessions/): whether the account
 * signed in from the IP since a moment. Behind the RecentSignInSource port, so the sessions
 * store can provide it instead: limits sit below sessions and may not import it.
 */
export class RecentSignInStore implements RecentSignInSource {
  signedInFromPart(userId: Prisma.Sql, ip: string | null, since: Date): Prisma.Sql {
    return Prisma.sql`EXISTS (
      SELECT 1 FROM "Session" s WHERE s."userId" = ${userId} AND s.ip = ${ip}::text AND s."createdAt" > ${utc(since)})`;
  }
}
