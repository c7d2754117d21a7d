import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { AuditEntry, AuditStatementListener } from "../audit";
import { webhookEventFromAudit, type NewAccountReader, type WebhookEvent } from "./webhook-events";
import type { WebhookDeliveryStore } from "./webhook-delivery.store";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Writes one WebhookDelivery per enabled endpoint subscribed to an event. Pass the transaction
 * of the change: the deliveries exist only if the change commits (an outbox), and the
 * background deliverer sends them later, so no request waits for a receiver.
 *
 * It listens on the audit trail (AuditStatementListener): every change that emits a webhook
 * event is already audited in its transaction, so a map from audit to webhook events
 * (webhook-events.ts) covers them all without a second call in each service, and the
 * deliveries go in the audit row's own statement.
 */
export class WebhookEventWriter implements AuditStatementListener {
  constructor(
    private readonly store: WebhookDeliveryStore,
    private readonly accounts: NewAccountReader,
    private readonly clock: Clock,
  ) {}

  /** For AuditService: the deliveries (CTE webhook_deliveries) an audit event stands for, or null. */
  async statementPart(entry: AuditEntry, now: Date, db: Db): Promise<Prisma.Sql | null> {
    const event = await webhookEventFromAudit(entry, db, this.accounts);
    return event ? this.deliveries(event, now) : null;
  }

  /** Queues the event for its subscribers; returns how many deliveries were written. */
  write(db: Db, event: WebhookEvent): Promise<number> {
    const now = this.clock.now();
    return this.store.insertForSubscribers(db, this.delivery(event, now), now);
  }

  /**
   * A CTE (named `name`, webhook_deliveries by default) inserting one delivery per subscribed
   * endpoint, in one statement whatever their number. `when` is a condition the statement
   * decides (e.g. that a sign-in came from a new device).
   */
  deliveries(event: WebhookEvent, now: Date, name = "webhook_deliveries", when?: Prisma.Sql): Prisma.Sql {
    return this.store.insertForSubscribersPart(this.delivery(event, now), now, name, when);
  }

  private delivery(event: WebhookEvent, now: Date) {
    // The body is fixed now (Standard Webhooks' {type, timestamp, data}) so every retry sends
    // and signs the same bytes; only the webhook-timestamp header changes per attempt.
    return { eventType: event.type, payload: JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data }) };
  }
}
