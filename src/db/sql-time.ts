import { Prisma } from "../generated/prisma/client";

/**
 * A timestamp parameter for raw statements. The columns are `timestamp` without a zone and
 * hold UTC, so the value goes in as UTC explicitly, whatever the session's time zone.
 */
export const utc = (date: Date): Prisma.Sql => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
