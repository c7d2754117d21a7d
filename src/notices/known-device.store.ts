import { Prisma } from "../generated/prisma/client";
import { utc } from "../db/sql-time";

/**
 * The KnownDevice table: per account, SHA-256 keys of the devices it signed in from. It is
 * written only as part of the sign-in's own statement (see security-notices.ts).
 */
export class KnownDeviceStore {
  /**
   * The device bookkeeping of a sign-in, as CTEs of the sign-in's statement (no extra round
   * trip on the hot path): every CTE sees the rows as they were before it, so device_before
   * counts the devices known before this sign-in. `remember` are touched or added, and beyond
   * `keep` devices the ones seen longest ago are forgotten. `onNew` gives the CTEs to write only
   * for a new device (one not among the known ones, when the account had any), given that
   * condition as SQL.
   */
  signInPart(
    userId: string,
    keys: { match: string; remember: string[] },
    now: Date,
    keep: number,
    onNew: (isNew: Prisma.Sql) => Prisma.Sql[],
  ): Prisma.Sql {
    const { match, remember } = keys;
    const rows = Prisma.join(remember.map((key) => Prisma.sql`(${userId}, ${key}, ${utc(now)}, ${utc(now)})`), ", ");
    const isNew = Prisma.sql`(SELECT d.total > 0 AND d.matched = 0 FROM device_before d)`;
    return Prisma.join(
      [
        Prisma.sql`device_before AS (
          SELECT count(*) AS total, count(*) FILTER (WHERE "deviceKey" = ${match}) AS matched
          FROM "KnownDevice" WHERE "userId" = ${userId})`,
        Prisma.sql`device_seen AS (
          INSERT INTO "KnownDevice" ("userId", "deviceKey", "firstSeenAt", "lastSeenAt") VALUES ${rows}
          ON CONFLICT ("userId", "deviceKey") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
          RETURNING 1)`,
        Prisma.sql`device_forgotten AS (
          DELETE FROM "KnownDevice" WHERE "userId" = ${userId} AND "deviceKey" NOT IN (${Prisma.join(remember)}) AND "deviceKey" IN (
            SELECT "deviceKey" FROM "KnownDevice" WHERE "userId" = ${userId}
            ORDER BY "lastSeenAt" DESC OFFSET ${Prisma.raw(String(keep - remember.length))})
          RETURNING 1)`,
        ...onNew(isNew),
      ],
      ", ",
    );
  }
}
