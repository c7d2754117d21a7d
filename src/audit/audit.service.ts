import type { Prisma } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { RequestOrigin } from "../common/request-origin";
import { escapeUnsafeCharacters, escapeUnsafeCharactersDeep } from "../common/text-safety";
import type { AuditDb, AuditEventStore } from "./audit-event.store";
import { changesUser, type AuditEventType } from "./audit-event-types";

export { AuditEventType, USER_CHANGING_EVENTS, changesUser } from "./audit-event-types";

/** Where the request came from: common/request-origin.ts. */
export type AuditOrigin = RequestOrigin;

export interface AuditEntry {
  type: AuditEventType;
  userId?: string | null;
  /**
   * Who acted; left out, the user acted themself, or the ADMIN impersonating them when the
   * origin names one; null, no account acted (the operator's command line).
   */
  actorId?: string | null;
  origin: AuditOrigin;
  /** Never secrets: no passwords, tokens or codes. */
  metadata?: Record<string, unknown>;
  /** The organization the event happened in (organization and membership events). */
  organizationId?: string | null;
}

/**
 * Adds its own CTEs to an event's statement (the webhook deliveries of webhooks/, the security
 * notice mail of notices/): what it writes commits with the event, in its round trip. Each
 * listener names its CTEs uniquely; null adds nothing.
 */
export interface AuditStatementListener {
  statementPart(entry: AuditEntry, now: Date, db: AuditDb): Promise<Prisma.Sql | null> | Prisma.Sql | null;
}

/**
 * Told, once the event committed, of every user a user-changing event (USER_CHANGING_EVENTS)
 * is about: the session cache drops what it holds for them.
 */
export interface UserChangeListener {
  userChanged(userId: string): void;
}

/** Told of every event once it committed (live session events hear of sign-ins here). */
export interface AuditEventListener {
  eventRecorded(entry: AuditEntry): void;
}

export interface AuditDependencies {
  store: AuditEventStore;
  clock: Clock;
  /** In this order after the event's own row; webhook deliveries hang off here, so every audited change emits its webhook event. */
  statementListeners?: readonly AuditStatementListener[];
  userChangeListeners?: readonly UserChangeListener[];
  eventListeners?: readonly AuditEventListener[];
}

export class AuditService {
  private readonly store: AuditEventStore;
  private readonly clock: Clock;
  private readonly statementListeners: readonly AuditStatementListener[];
  private readonly userChangeListeners: readonly UserChangeListener[];
  private readonly eventListeners: readonly AuditEventListener[];

  constructor(deps: AuditDependencies) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.statementListeners = deps.statementListeners ?? [];
    this.userChangeListeners = deps.userChangeListeners ?? [];
    this.eventListeners = deps.eventListeners ?? [];
  }

  /** Records an event (and its webhook deliveries) in one statement; pass the transaction when the event belongs to a write. */
  async record(entry: AuditEntry, db?: AuditDb): Promise<void> {
    await this.store.writeParts(await this.statementParts(entry, db), db);
    this.recorded(entry);
  }

  /**
   * The event as CTEs (audit_event, and those of the statement listeners, e.g.
   * webhook_deliveries when it stands for a webhook event; none are written when no endpoint
   * subscribes), for a caller that writes it as part of its own statement. PostgreSQL runs a
   * data-modifying CTE whether or not the statement reads it. Call `recorded` once it commits.
   */
  async statementParts(given: AuditEntry, db?: AuditDb): Promise<Prisma.Sql> {
    const now = this.clock.now();
    // In an impersonated session the ADMIN acts, whatever actor the feature named (organizations
    // name the member acting): the event and its listeners (webhooks) say so.
    const entry = given.origin.impersonatorId ? { ...given, actorId: given.origin.impersonatorId } : given;
    // Metadata quotes what callers sent (names, user agents, reasons): control, invisible and
    // bidirectional characters are written out (`\u{202e}`), so the record is exact and inert.
    const metadata = entry.metadata === undefined || entry.metadata === null ? null : JSON.stringify(escapeUnsafeCharactersDeep(entry.metadata));
    const userAgent = entry.origin.userAgent == null ? null : escapeUnsafeCharacters(entry.origin.userAgent.slice(0, 512));
    const parts = [
      this.store.insertPart(
        {
          type: entry.type,
          userId: entry.userId ?? null,
          actorId: entry.actorId === undefined ? (entry.userId ?? null) : entry.actorId,
          ip: entry.origin.ip,
          userAgent,
          metadata,
          organizationId: entry.organizationId ?? null,
        },
        now,
      ),
    ];
    for (const listener of this.statementListeners) {
      const part = await listener.statementPart(entry, now, db ?? this.store.client);
      if (part) parts.push(part);
    }
    return this.store.joinParts(parts);
  }

  /** After an event written through `statementParts` committed. */
  recorded(entry: AuditEntry): void {
    for (const listener of this.eventListeners) listener.eventRecorded(entry);
    if (!entry.userId || !changesUser(entry.type)) return;
    for (const listener of this.userChangeListeners) listener.userChanged(entry.userId);
  }
}
