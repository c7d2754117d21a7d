import type { AuditEvent } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { CursorKey, Page, PageRequest } from "../common/page";
import type { AuditEventStore, AuditEventWhere } from "./audit-event.store";

export type AuditCriteria = AuditEventWhere;

const CURSOR_TAG = "audit";

/** Reads the audit trail newest first, keyset-paginated on (createdAt, id). */
export class AuditQueryService {
  constructor(private readonly store: AuditEventStore) {}

  async list(criteria: AuditCriteria, page: PageRequest): Promise<Page<AuditEvent>> {
    const position = page.after ? this.parseCursor(page.after) : undefined;
    const rows = await this.store.list(criteria, position, page.first + 1);
    return {
      items: rows.slice(0, page.first),
      hasNextPage: rows.length > page.first,
      keyOf: (event) => [CURSOR_TAG, event.createdAt.toISOString(), event.id],
      totalCount: () => this.store.count(criteria),
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
