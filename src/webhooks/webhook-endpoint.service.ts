import type { PrismaClient, WebhookDelivery, WebhookEndpoint } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { SecretBox } from "../common/secret-box";
import type { CursorKey, Page, PageRequest } from "../common/page";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { WEBHOOK_EVENT_TYPES } from "./webhook-events";
import { newWebhookSecret } from "./webhook-signer";
import type { WebhookUrlGuard } from "./webhook-url-guard";
import type { WebhookEndpointStore } from "./webhook-endpoint.store";
import type { WebhookDeliveryStore } from "./webhook-delivery.store";

export interface WebhookActor {
  actorId: string;
  origin: AuditOrigin;
}

export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  /** Returned once, when made or rotated; stored only encrypted. */
  secret: string;
}

export interface EndpointChanges {
  url?: string | null;
  events?: string[] | null;
  enabled?: boolean | null;
}

const KNOWN_EVENTS = new Set<string>(WEBHOOK_EVENT_TYPES);
const CURSOR_TAG = "webhook-delivery";

/** ADMIN management of webhook endpoints and their deliveries; every change is audited. */
export class WebhookEndpointService {
  constructor(
    /** Runs the transactions that write a change and its audit event together. */
    private readonly prisma: PrismaClient,
    private readonly endpoints: WebhookEndpointStore,
    private readonly deliveryRows: WebhookDeliveryStore,
    private readonly secrets: SecretBox,
    private readonly guard: WebhookUrlGuard,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(): Promise<WebhookEndpoint[]> {
    return this.endpoints.list();
  }

  async create(actor: WebhookActor, url: string, events: string[]): Promise<EndpointWithSecret> {
    const checkedUrl = (await this.guard.assertAllowed(url.trim())).toString();
    const subscribed = this.checkEvents(events);
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const endpoint = await this.prisma.$transaction(async (tx) => {
      const endpoint = await this.endpoints.insert(tx, { url: checkedUrl, events: subscribed, secretEncrypted: this.secrets.seal(secret), now });
      await this.record(actor, AuditEventType.WEBHOOK_ENDPOINT_CREATED, { endpointId: endpoint.id, events: subscribed }, tx);
      return endpoint;
    });
    return { endpoint, secret };
  }

  async update(actor: WebhookActor, id: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
    const url = changes.url == null ? undefined : (await this.guard.assertAllowed(changes.url.trim())).toString();
    const events = changes.events == null ? undefined : this.checkEvents(changes.events);
    const enabled = changes.enabled ?? undefined;
    return this.prisma.$transaction(async (tx) => {
      const current = await this.endpoints.find(id, tx);
      if (!current) throw Errors.notFound("No such webhook endpoint");
      const fields = [...(url !== undefined ? ["url"] : []), ...(events ? ["events"] : []), ...(enabled !== undefined ? ["enabled"] : [])];
      const updated = await this.endpoints.update(
        tx,
        id,
        {
          url,
          events,
          enabled,
          // Turned back on: its failure clock starts again.
          ...(enabled === true && !current.enabled ? { failingSince: null } : {}),
        },
        this.clock.now(),
      );
      await this.record(actor, AuditEventType.WEBHOOK_ENDPOINT_UPDATED, { endpointId: id, fields, ...(enabled !== undefined ? { enabled } : {}) }, tx);
      return updated;
    });
  }

  /** A new secret signs every attempt from now on, retries of older events included. */
  async rotateSecret(actor: WebhookActor, id: string): Promise<EndpointWithSecret> {
    const secret = newWebhookSecret();
    const endpoint = await this.prisma.$transaction(async (tx) => {
      if (!(await this.endpoints.updateIfExists(tx, id, { secretEncrypted: this.secrets.seal(secret) }, this.clock.now()))) {
        throw Errors.notFound("No such webhook endpoint");
      }
      await this.record(actor, AuditEventType.WEBHOOK_SECRET_ROTATED, { endpointId: id }, tx);
      return this.endpoints.findOrThrow(id, tx);
    });
    return { endpoint, secret };
  }

  /** Deletes the endpoint and its deliveries, pending ones included. */
  async delete(actor: WebhookActor, id: string): Promise<boolean> {
    await this.prisma.$transaction(async (tx) => {
      if (!(await this.endpoints.delete(tx, id))) throw Errors.notFound("No such webhook endpoint");
      await this.record(actor, AuditEventType.WEBHOOK_ENDPOINT_DELETED, { endpointId: id }, tx);
    });
    return true;
  }

  /** An endpoint's deliveries, newest first, keyset-paginated on (createdAt, id). */
  async deliveries(endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const position = page.after ? parseCursor(page.after) : undefined;
    if (!(await this.endpoints.exists(endpointId))) throw Errors.notFound("No such webhook endpoint");
    const rows = await this.deliveryRows.listForEndpoint(endpointId, position, page.first + 1);
    return {
      items: rows.slice(0, page.first),
      hasNextPage: rows.length > page.first,
      keyOf: (row) => [CURSOR_TAG, row.createdAt.toISOString(), row.id],
      totalCount: () => this.deliveryRows.countForEndpoint(endpointId),
    };
  }

  /**
   * Sends an event again as a new delivery (same webhook-id and body, so a receiver that keeps
   * ids sees a duplicate), whatever became of the original; due at once.
   */
  async redeliver(actor: WebhookActor, deliveryId: string): Promise<WebhookDelivery> {
    return this.prisma.$transaction(async (tx) => {
      const original = await this.deliveryRows.find(tx, deliveryId);
      if (!original) throw Errors.notFound("No such webhook delivery");
      const copy = await this.deliveryRows.copy(tx, original, this.clock.now());
      await this.record(actor, AuditEventType.WEBHOOK_REDELIVERY_REQUESTED, { endpointId: original.endpointId, deliveryId, newDeliveryId: copy.id }, tx);
      return copy;
    });
  }

  private checkEvents(events: string[]): string[] {
    const unique = [...new Set(events.map((event) => event.trim()))];
    if (unique.length === 0) throw Errors.badInput("events", "events needs at least one event type");
    const unknown = unique.filter((event) => !KNOWN_EVENTS.has(event));
    if (unknown.length > 0) {
      throw Errors.badInput("events", `Unknown event type(s): ${unknown.slice(0, 5).join(", ").slice(0, 200)}; known: ${WEBHOOK_EVENT_TYPES.join(", ")}`);
    }
    return unique;
  }

  private record(actor: WebhookActor, type: AuditEventType, metadata: Record<string, unknown>, tx: Parameters<AuditService["record"]>[1]) {
    return this.audit.record({ type, userId: null, actorId: actor.actorId, origin: actor.origin, metadata }, tx);
  }
}

function parseCursor(key: CursorKey): { createdAt: Date; id: string } {
  const [tag, at, id] = key;
  const createdAt = new Date(at ?? "");
  if (key.length !== 3 || tag !== CURSOR_TAG || typeof id !== "string" || id.length > 64 || Number.isNaN(createdAt.getTime())) {
    throw Errors.badInput("after", "after is not a cursor of this list");
  }
  return { createdAt, id };
}
