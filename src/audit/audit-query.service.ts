import type { AuditEvent, Prisma, PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { CursorKey, Page, PageRequest } from "../common/page";

export interface AuditCriteria {
  userId?: string | null;
  type?: string | null;
  /** Inclusive lower bound of createdAt. */
  after?: Date | null;
  /** Exclusive upper bound of createdAt. */
  before?: Date | null;
}

const CURSOR_TAG = "audit";

/** Reads the audit trail newest first, keyset-paginated on (createdAt, id). */
export class AuditQueryService {
  constructor(private readonly prisma: PrismaClient) {}

  async list(criteria: AuditCriteria, page: PageRequest): Promise<Page<AuditEvent>> {
    const where: Prisma.AuditEventWhereInput = {
      ...(criteria.userId ? { userId: criteria.userId } : {}),
      ...(criteria.type ? { type: criteria.type } : {}),
      ...(criteria.after || criteria.before
        ? { createdAt: { ...(criteria.after ? { gte: criteria.after } : {}), ...(criteria.before ? { lt: criteria.before } : {}) } }
        : {}),
    };
    const position = page.after ? this.parseCursor(page.after) : undefined;
    const rows = await this.prisma.auditEvent.findMany({
      where: position
        ? { AND: [where, { OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }] }] }
        : where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.first + 1,
    });
    return {
      items: rows.slice(0, page.first),
      hasNextPage: rows.length > page.first,
      keyOf: (event) => [CURSOR_TAG, event.createdAt.toISOString(), event.id],
      totalCount: () => this.prisma.auditEvent.count({ where }),
    };
  }

  /**
   * A user's own activity: their events, where only those they acted in themself carry an IP
   * and user agent. The address and browser of whoever else acted on the account (an ADMIN,
   * the operator's command line) are that person's, not the user's to see.
   */
  async listOwn(userId: string, page: PageRequest): Promise<Page<AuditEvent>> {
    const events = await this.list({ userId }, page);
    return {
      ...events,
      items: events.items.map((event) => (event.actorId === userId ? event : { ...event, ip: null, userAgent: null })),
    };
  }

  private parseCursor(key: CursorKey): { createdAt: Date; id: string } {
    const [tag, at, id] = key;
    const createdAt = new Date(at ?? "");
    if (key.length !== 3 || tag !== CURSOR_TAG || typeof id !== "string" || id.length > 64 || Number.isNaN(createdAt.getTime())) {
      throw Errors.badInput("after", "after is not a cursor of this list");
    }
    return { createdAt, id };
  }
}
