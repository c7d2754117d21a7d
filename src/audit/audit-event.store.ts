import { Prisma, type AuditEvent, type PrismaClient } from "../generated/prisma/client";
import { utc } from "../db/sql-time";
import { uuidv7At } from "../db/sql-ids";

/** The client or a caller's transaction: audit events are written in the transaction of their change. */
export type AuditDb = PrismaClient | Prisma.TransactionClient;

/** An audit row as written: texts already made safe, metadata already JSON. */
export interface AuditEventRow {
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** JSON text, or null. */
  metadata: string | null;
  /** The organization the event happened in, for organization-scoped audit reads. */
  organizationId?: string | null;
}

export interface AuditEventWhere {
  userId?: string | null;
  type?: string | null;
  /** Inclusive lower bound of createdAt. */
  after?: Date | null;
  /** Exclusive upper bound of createdAt. */
  before?: Date | null;
  organizationId?: string | null;
}

/** A keyset position in the newest-first order (createdAt, id). */
export interface AuditPosition {
  createdAt: Date;
  id: string;
}

/** Every statement on AuditEvent. */
export class AuditEventStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Where statements run when the caller gives no transaction. */
  get client(): PrismaClient {
    return this.prisma;
  }

  /** The insert of one event as a CTE named audit_event, to write in one statement with other parts. */
  insertPart(row: AuditEventRow, now: Date): Prisma.Sql {
    return Prisma.sql`audit_event AS (
      INSERT INTO "AuditEvent" (id, type, "userId", "actorId", ip, "userAgent", metadata, "organizationId", "createdAt")
      VALUES (${uuidv7At(now)}, ${row.type}, ${row.userId}, ${row.actorId},
              ${row.ip}, ${row.userAgent}, ${row.metadata}::jsonb, ${row.organizationId ?? null}, ${utc(now)}))`;
  }

  /** Joins CTEs (each `name AS (...)`) into the list a `WITH` takes. */
  joinParts(parts: Prisma.Sql[]): Prisma.Sql {
    return Prisma.join(parts, ", ");
  }

  /**
   * Runs CTEs as one statement: PostgreSQL runs a data-modifying CTE whether or not the
   * statement reads it, so everything the parts write commits together, in one round trip.
   */
  async writeParts(parts: Prisma.Sql, db: AuditDb = this.prisma): Promise<void> {
    await db.$executeRaw`WITH ${parts} SELECT 1`;
  }

  /** Events newest first, from `position` on, at most `take`. */
  list(where: AuditEventWhere, position: AuditPosition | undefined, take: number): Promise<AuditEvent[]> {
    const filter = this.where(where);
    return this.prisma.auditEvent.findMany({
      where: position
        ? { AND: [filter, { OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }] }] }
        : filter,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  }

  count(where: AuditEventWhere): Promise<number> {
    return this.prisma.auditEvent.count({ where: this.where(where) });
  }

  /** Deletes up to `batch` events older than `cutoff`; returns how many. */
  deleteOlderThan(cutoff: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM "AuditEvent" WHERE id IN (
        SELECT id FROM "AuditEvent" WHERE "createdAt" < ${utc(cutoff)} LIMIT ${batch})`;
  }

  private where(criteria: AuditEventWhere): Prisma.AuditEventWhereInput {
    return {
      ...(criteria.userId ? { userId: criteria.userId } : {}),
      ...(criteria.type ? { type: criteria.type } : {}),
      ...(criteria.organizationId ? { organizationId: criteria.organizationId } : {}),
      ...(criteria.after || criteria.before
        ? { createdAt: { ...(criteria.after ? { gte: criteria.after } : {}), ...(criteria.before ? { lt: criteria.before } : {}) } }
        : {}),
    };
  }
}
