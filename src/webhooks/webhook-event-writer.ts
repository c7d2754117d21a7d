import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
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

  /** Called by AuditService for every audit event, inside the same transaction. */
  async fromAudit(entry: AuditEntry, db: Db): Promise<void> {
    const event = await webhookEventFromAudit(entry, db);
    if (event) await this.write(db, event);
  }

  /** Queues the event for its subscribers; returns how many deliveries were written. */
  async write(db: Db, event: WebhookEvent): Promise<number> {
    const endpoints = await db.webhookEndpoint.findMany({ where: { enabled: true, events: { has: event.type } }, select: { id: true } });
    if (endpoints.length === 0) return 0;
    const now = this.clock.now();
    const eventId = `msg_${randomUUID()}`;
    // The body is fixed now (Standard Webhooks' {type, timestamp, data}) so every retry sends
    // and signs the same bytes; only the webhook-timestamp header changes per attempt.
    const payload = JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data });
    await db.webhookDelivery.createMany({
      data: endpoints.map((endpoint) => ({ endpointId: endpoint.id, eventId, eventType: event.type, payload, createdAt: now, nextAttempt: now })),
    });
    return endpoints.length;
  }
}
