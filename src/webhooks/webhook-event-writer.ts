import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { utc } from "../db/sql-time";
import { uuidv7At } from "../db/sql-ids";
import type { Clock } from "../common/clock";
import type { AuditEntry } from "../audit/audit.service";
import { webhookEventFromAudit, type WebhookEvent } from "./webhook-events";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Writes one WebhookDelivery per enabled endpoint subscribed to an event. Pass the transaction
 * of the change: the deliveries exist only if the change commits (an outbox), and the
 * background deliverer sends them later, so no request waits for a receiver.
 */
export class WebhookEventWriter {
  constructor(private readonly clock: Clock) {}

  /** For AuditService: the deliveries an audit event stands for, as part of its statement. */
  async deliveriesForAudit(entry: AuditEntry, db: Db, now: Date): Promise<Prisma.Sql | null> {
    const event = await webhookEventFromAudit(entry, db);
    return event ? this.deliveries(event, now) : null;
  }

  /** Queues the event for its subscribers; returns how many deliveries were written. */
  async write(db: Db, event: WebhookEvent): Promise<number> {
    const [row] = await db.$queryRaw<Array<{ written: number }>>`
      WITH ${this.deliveries(event, this.clock.now())} SELECT count(*)::int AS written FROM webhook_deliveries`;
    return row.written;
  }

  /**
   * A CTE (named `name`, webhook_deliveries by default) inserting one delivery per subscribed endpoint: the endpoints
   * are read and the deliveries written by the same statement, whatever their number. `when`
   * is a condition the statement decides (e.g. that a sign-in came from a new device).
   */
  deliveries(event: WebhookEvent, now: Date, name = "webhook_deliveries", when: Prisma.Sql = Prisma.sql`true`): Prisma.Sql {
    // The body is fixed now (Standard Webhooks' {type, timestamp, data}) so every retry sends
    // and signs the same bytes; only the webhook-timestamp header changes per attempt.
    const payload = JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data });
    return Prisma.sql`${Prisma.raw(name)} AS (
      INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", "eventType", payload, "createdAt", "nextAttempt")
      SELECT ${uuidv7At(now)}, e.id, ${`msg_${randomUUID()}`}, ${event.type}, ${payload}, ${utc(now)}, ${utc(now)}
      FROM "WebhookEndpoint" e WHERE e.enabled AND ${event.type}::text = ANY (e.events) AND ${when}
      RETURNING 1)`;
  }
}
