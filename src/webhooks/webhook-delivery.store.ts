import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient, type WebhookDelivery } from "../generated/prisma/client";
import { utc } from "../db/sql-time";
import { uuidv7At } from "../db/sql-ids";
import { claimDue } from "../db/queue-claim";

type Db = PrismaClient | Prisma.TransactionClient;

/** The columns a deliverer claims, typed against the model. */
const CLAIMED_COLUMNS = ["id", "endpointId", "eventId", "payload", "attempts", "createdAt"] as const satisfies ReadonlyArray<keyof WebhookDelivery>;
export type ClaimedDelivery = Pick<WebhookDelivery, (typeof CLAIMED_COLUMNS)[number]>;

/** A delivery to write: the exact body every attempt sends and signs. */
export interface DeliveryToWrite {
  eventType: string;
  payload: string;
}

/** A keyset position in the newest-first order (createdAt, id). */
export interface DeliveryPosition {
  createdAt: Date;
  id: string;
}

/** Every statement on WebhookDelivery. */
export class WebhookDeliveryStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * A CTE (named `name`) inserting one delivery per enabled endpoint subscribed to the event
   * type: the endpoints are read and the deliveries written by the same statement, whatever
   * their number. `when` is a condition the statement decides (e.g. that a sign-in came from a
   * new device); true when left out.
   */
  insertForSubscribersPart(delivery: DeliveryToWrite, now: Date, name: string, when?: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`${Prisma.raw(name)} AS (
      INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", "eventType", payload, "createdAt", "nextAttempt")
      SELECT ${uuidv7At(now)}, e.id, ${`msg_${randomUUID()}`}, ${delivery.eventType}, ${delivery.payload}, ${utc(now)}, ${utc(now)}
      FROM "WebhookEndpoint" e WHERE e.enabled AND ${delivery.eventType}::text = ANY (e.events) AND ${when ?? Prisma.sql`true`}
      RETURNING 1)`;
  }

  /** Writes the deliveries of `insertForSubscribersPart` on their own; returns how many. */
  async insertForSubscribers(db: Db, delivery: DeliveryToWrite, now: Date): Promise<number> {
    const [row] = await db.$queryRaw<Array<{ written: number }>>`
      WITH ${this.insertForSubscribersPart(delivery, now, "webhook_deliveries")} SELECT count(*)::int AS written FROM webhook_deliveries`;
    return row.written;
  }

  /** Claims due deliveries of enabled endpoints under a lease (db/queue-claim.ts). */
  claimDue(now: Date, batchSize: number, leaseMs: number): Promise<{ claim: string; rows: ClaimedDelivery[] }> {
    return claimDue<ClaimedDelivery>(this.prisma, {
      table: "WebhookDelivery",
      due: Prisma.sql`status = 'PENDING' AND "nextAttempt" <= ${now}
        AND "endpointId" IN (SELECT id FROM "WebhookEndpoint" WHERE enabled)`,
      orderBy: Prisma.sql`"nextAttempt"`,
      columns: CLAIMED_COLUMNS,
      batchSize,
      leaseMs,
      now,
    });
  }

  /**
   * The claimed attempt succeeded (a no-op once the claim is lost). Not yet sent: for a batch
   * `$transaction([...])` with the endpoint's update.
   */
  markDelivered(id: string, claim: string, now: Date): Prisma.PrismaPromise<Prisma.BatchPayload> {
    return this.prisma.webhookDelivery.updateMany({
      where: { id, claimToken: claim },
      data: { status: "DELIVERED", deliveredAt: now, lastError: null, claimToken: null, claimedUntil: null },
    });
  }

  /** The claimed attempt failed: FAILED for good (nextAttempt null) or due again at nextAttempt. */
  async markFailed(tx: Prisma.TransactionClient, id: string, claim: string, lastError: string, nextAttempt: Date | null): Promise<void> {
    await tx.webhookDelivery.updateMany({
      where: { id, claimToken: claim },
      data: { claimToken: null, claimedUntil: null, lastError, ...(nextAttempt === null ? { status: "FAILED" } : { nextAttempt }) },
    });
  }

  /** An endpoint's deliveries newest first, from `position` on, at most `take`. */
  listForEndpoint(endpointId: string, position: DeliveryPosition | undefined, take: number): Promise<WebhookDelivery[]> {
    return this.prisma.webhookDelivery.findMany({
      where: position
        ? { endpointId, OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }] }
        : { endpointId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  }

  countForEndpoint(endpointId: string): Promise<number> {
    return this.prisma.webhookDelivery.count({ where: { endpointId } });
  }

  find(tx: Prisma.TransactionClient, id: string): Promise<WebhookDelivery | null> {
    return tx.webhookDelivery.findUnique({ where: { id } });
  }

  /** A new delivery of the same event (same eventId and body), due at `now`. */
  copy(tx: Prisma.TransactionClient, original: WebhookDelivery, now: Date): Promise<WebhookDelivery> {
    return tx.webhookDelivery.create({
      data: {
        endpointId: original.endpointId,
        eventId: original.eventId,
        eventType: original.eventType,
        payload: original.payload,
        createdAt: now,
        nextAttempt: now,
      },
    });
  }
}
