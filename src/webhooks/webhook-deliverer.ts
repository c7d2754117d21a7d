import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { SecretBox } from "../common/secret-box";
import { QueueWorker, backoffDelayMs } from "../common/queue-worker";
import { AuditEventType, type AuditService } from "../audit";
import type { ClaimedDelivery, WebhookDeliveryStore } from "./webhook-delivery.store";
import type { EndpointTarget, WebhookEndpointStore } from "./webhook-endpoint.store";
import { signatureHeaders } from "./webhook-signer";
import { postJson } from "./webhook-http";
import type { WebhookUrlGuard } from "./webhook-url-guard";

export interface WebhookDelivererOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  /** A delivery is retried this long after it was written; an endpoint failing this long is disabled. */
  retryWindowMs: number;
  batchSize?: number;
}

export interface DeliveryPassResult {
  delivered: number;
  retrying: number;
  failed: number;
}

export interface WebhookDelivererDependencies {
  /** Runs the transactions that settle an attempt. */
  prisma: PrismaClient;
  deliveries: WebhookDeliveryStore;
  endpoints: WebhookEndpointStore;
  secrets: SecretBox;
  guard: WebhookUrlGuard;
  audit: AuditService;
  clock: Clock;
  logger: Logger;
}

const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/** Wait before the next try after `attempts` failed ones: 30 s, 1 m, 2 m, ... at most 1 h. */
export function webhookRetryDelayMs(attempts: number): number {
  return backoffDelayMs(attempts, FIRST_RETRY_MS, LONGEST_RETRY_MS);
}

/**
 * Sends due webhook deliveries in the background, at least once: a pass claims rows under a
 * lease (common/queue-worker.ts), so several processes never send the same attempt twice, and
 * talks HTTP outside any transaction. 2xx is success; anything else, a refused target or a
 * timeout is retried with exponential backoff until retryWindowMs after the event, then the
 * delivery is FAILED. An endpoint whose deliveries have failed (with no success) for
 * retryWindowMs is disabled and audited.
 */
export class WebhookDeliverer {
  private readonly batchSize: number;
  private readonly worker: QueueWorker<DeliveryPassResult>;
  private readonly prisma: PrismaClient;
  private readonly deliveries: WebhookDeliveryStore;
  private readonly endpoints: WebhookEndpointStore;
  private readonly secrets: SecretBox;
  private readonly guard: WebhookUrlGuard;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(
    deps: WebhookDelivererDependencies,
    private readonly options: WebhookDelivererOptions,
  ) {
    ({ prisma: this.prisma, deliveries: this.deliveries, endpoints: this.endpoints, secrets: this.secrets } = deps);
    ({ guard: this.guard, audit: this.audit, clock: this.clock, logger: this.logger } = deps);
    this.batchSize = options.batchSize ?? 10;
    this.worker = new QueueWorker(() => this.pass(), { name: "webhooks", pollIntervalMs: options.pollIntervalMs, batchSize: this.batchSize, logger: deps.logger });
  }

  start(): void {
    this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  runOnce(): Promise<DeliveryPassResult> {
    return this.worker.runOnce();
  }

  drain(): Promise<DeliveryPassResult> {
    return this.worker.drain();
  }

  private async pass(): Promise<DeliveryPassResult> {
    const now = this.clock.now();
    // The lease is longer than an attempt can take, so it never runs out while one is under way.
    const { claim, rows } = await this.deliveries.claimDue(now, this.batchSize, this.options.timeoutMs + 60_000);
    if (rows.length === 0) return { delivered: 0, retrying: 0, failed: 0 };
    const endpoints = await this.endpoints.targets([...new Set(rows.map((row) => row.endpointId))]);
    const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
    const outcomes = await Promise.all(rows.map((row) => this.deliver(row, byId.get(row.endpointId), claim)));
    return {
      delivered: outcomes.filter((o) => o === "delivered").length,
      retrying: outcomes.filter((o) => o === "retrying").length,
      failed: outcomes.filter((o) => o === "failed").length,
    };
  }

  private async deliver(delivery: ClaimedDelivery, endpoint: EndpointTarget | undefined, claim: string) {
    try {
      if (!endpoint) throw new Error("endpoint deleted");
      // Checked again at every attempt: the name may point somewhere else by now.
      const url = await this.guard.assertAllowed(endpoint.url).catch(() => {
        throw new Error("refused: the URL points at a private, loopback or link-local address");
      });
      const headers = signatureHeaders(this.secrets.open(endpoint.secretEncrypted), delivery.eventId, this.clock.now(), delivery.payload);
      const status = await postJson(url, delivery.payload, { headers, timeoutMs: this.options.timeoutMs, lookup: this.guard.lookup });
      if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
    } catch (error) {
      return this.failed(delivery, claim, String((error as Error)?.message ?? error).slice(0, 500));
    }
    const now = this.clock.now();
    await this.prisma.$transaction([this.deliveries.markDelivered(delivery.id, claim, now), this.endpoints.clearFailing(delivery.endpointId)]);
    this.logger.info({ deliveryId: delivery.id, endpointId: delivery.endpointId, attempts: delivery.attempts }, "webhook delivered");
    return "delivered" as const;
  }

  private async failed(delivery: ClaimedDelivery, claim: string, lastError: string) {
    const now = this.clock.now();
    const giveUp = now.getTime() - delivery.createdAt.getTime() >= this.options.retryWindowMs;
    const cutoff = new Date(now.getTime() - this.options.retryWindowMs);
    const disabled = await this.prisma.$transaction(async (tx) => {
      const nextAttempt = giveUp ? null : new Date(now.getTime() + webhookRetryDelayMs(delivery.attempts));
      await this.deliveries.markFailed(tx, delivery.id, claim, lastError, nextAttempt);
      await this.endpoints.markFailing(tx, delivery.endpointId, now);
      // Conditional, so of several processes failing at once exactly one disables and audits.
      const disabled = await this.endpoints.disableIfFailingSince(tx, delivery.endpointId, cutoff, now);
      if (disabled) {
        await this.audit.record(
          {
            type: AuditEventType.WEBHOOK_ENDPOINT_DISABLED,
            actorId: null,
            origin: { ip: null, userAgent: null },
            metadata: { endpointId: delivery.endpointId, failingForMs: this.options.retryWindowMs, lastError },
          },
          tx,
        );
      }
      return disabled;
    });
    const details = { deliveryId: delivery.id, endpointId: delivery.endpointId, attempts: delivery.attempts, error: lastError };
    if (disabled) this.logger.error(details, "webhook endpoint failing too long: disabled");
    if (giveUp) this.logger.error(details, "webhook delivery failed for good");
    else this.logger.warn(details, "webhook delivery failed; will retry");
    return giveUp ? ("failed" as const) : ("retrying" as const);
  }
}
