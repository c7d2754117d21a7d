import { Prisma } from "../generated/prisma/client";

/**
 * THE way to bind a time in a raw statement, through Prisma (`$queryRaw`) and the direct driver
 * (`db.sql`) alike: `${utc(date)}`. The columns are `timestamp` without a zone and hold UTC.
 * The value goes in as an ISO text with an explicit cast, so neither the driver's own Date
 * conversion (local time in pg, a typed timestamptz in the Prisma adapter) nor the session's
 * time zone decides what is stored or compared. A bare Date parameter is not used in raw
 * statements; direct-sql.ts only turns a stray one into the same ISO text as a safety net.
 */
export const utc = (date: Date): Prisma.Sql => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
