import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { randomToken } from "../common/tokens";

export interface ClaimRequest {
  /** The table, as Prisma names it in SQL, e.g. "OutboxMail". */
  table: string;
  /** What makes a row due, beside the lease check (which is added here). */
  due: Prisma.Sql;
  orderBy: Prisma.Sql;
  /** The RETURNING list: column names (quoted here) or SQL. */
  columns: Prisma.Sql | readonly string[];
  batchSize: number;
  leaseMs: number;
  now: Date;
}

/**
 * Claims up to batchSize due rows of a queue table (the mail outbox, webhook deliveries) with
 * one atomic UPDATE over `FOR UPDATE SKIP LOCKED` rows: each gets this claim's token and a
 * lease (claimToken, claimedUntil) and one more attempt. Any number of processes can claim at
 * once and never get the same row; a row whose lease ran out (its process died mid-way)
 * becomes claimable again. The table needs the columns claimToken, claimedUntil and attempts.
 * Called by each queue's store, which types the rows against its model.
 */
export async function claimDue<T>(prisma: PrismaClient, request: ClaimRequest): Promise<{ claim: string; rows: T[] }> {
  const claim = randomToken();
  const table = Prisma.raw(`"${request.table.replace(/"/g, "")}"`);
  const columns = Array.isArray(request.columns)
    ? Prisma.join(request.columns.map((column) => Prisma.raw(`"${column.replace(/"/g, "")}"`)), ", ")
    : (request.columns as Prisma.Sql);
  const leaseEnd = new Date(request.now.getTime() + request.leaseMs);
  const rows = await prisma.$queryRaw<T[]>`
    UPDATE ${table} SET "claimToken" = ${claim}, "claimedUntil" = ${leaseEnd}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM ${table}
      WHERE (${request.due}) AND ("claimedUntil" IS NULL OR "claimedUntil" <= ${request.now})
      ORDER BY ${request.orderBy}
      LIMIT ${request.batchSize}
      FOR UPDATE SKIP LOCKED)
    RETURNING ${columns}`;
  return { claim, rows };
}
