import type { Prisma, PrismaClient, WebhookEndpoint } from "../generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

/** What the deliverer needs of an endpoint to send to it. */
export type EndpointTarget = Pick<WebhookEndpoint, "id" | "url" | "secretEncrypted">;

export interface EndpointFields {
  url?: string;
  events?: string[];
  enabled?: boolean;
  failingSince?: null;
  secretEncrypted?: string;
}

/** Every statement on WebhookEndpoint. */
export class WebhookEndpointStore {
  constructor(private readonly prisma: PrismaClient) {}

  list(): Promise<WebhookEndpoint[]> {
    return this.prisma.webhookEndpoint.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  find(id: string, db: Db = this.prisma): Promise<WebhookEndpoint | null> {
    return db.webhookEndpoint.findUnique({ where: { id } });
  }

  findOrThrow(id: string, db: Db = this.prisma): Promise<WebhookEndpoint> {
    return db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
  }

  async exists(id: string): Promise<boolean> {
    return (await this.prisma.webhookEndpoint.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  targets(ids: string[]): Promise<EndpointTarget[]> {
    return this.prisma.webhookEndpoint.findMany({ where: { id: { in: ids } }, select: { id: true, url: true, secretEncrypted: true } });
  }

  insert(tx: Prisma.TransactionClient, row: { url: string; events: string[]; secretEncrypted: string; now: Date }): Promise<WebhookEndpoint> {
    return tx.webhookEndpoint.create({
      data: { url: row.url, events: row.events, secretEncrypted: row.secretEncrypted, createdAt: row.now, updatedAt: row.now },
    });
  }

  /** Updates an endpoint that must exist (Prisma throws when it does not). */
  update(tx: Prisma.TransactionClient, id: string, fields: EndpointFields, now: Date): Promise<WebhookEndpoint> {
    return tx.webhookEndpoint.update({ where: { id }, data: { ...fields, updatedAt: now } });
  }

  /** Returns whether the endpoint existed. */
  async updateIfExists(tx: Prisma.TransactionClient, id: string, fields: EndpointFields, now: Date): Promise<boolean> {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id }, data: { ...fields, updatedAt: now } });
    return count === 1;
  }

  /** Deletes the endpoint and, by the cascade, its deliveries; returns whether it existed. */
  async delete(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id } });
    return count === 1;
  }

  /** A delivery succeeded: the endpoint is not failing (any more). Not yet sent: for a batch `$transaction([...])`. */
  clearFailing(id: string): Prisma.PrismaPromise<Prisma.BatchPayload> {
    return this.prisma.webhookEndpoint.updateMany({ where: { id, failingSince: { not: null } }, data: { failingSince: null } });
  }

  /** A delivery failed: the endpoint's failure clock starts, unless it runs already. */
  async markFailing(tx: Prisma.TransactionClient, id: string, now: Date): Promise<void> {
    await tx.webhookEndpoint.updateMany({ where: { id, failingSince: null }, data: { failingSince: now } });
  }

  /**
   * Disables the endpoint when it is on and has been failing since `cutoff` or earlier.
   * Conditional, so of several processes failing at once exactly one gets true.
   */
  async disableIfFailingSince(tx: Prisma.TransactionClient, id: string, cutoff: Date, now: Date): Promise<boolean> {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id, enabled: true, failingSince: { lte: cutoff } },
      data: { enabled: false, updatedAt: now },
    });
    return count === 1;
  }
}
