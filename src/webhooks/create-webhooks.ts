import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import { SecretBox } from "../common/secret-box";
import type { AuditService } from "../audit/audit.service";
import { WebhookEventWriter } from "./webhook-event-writer";
import { WebhookEndpointService } from "./webhook-endpoint.service";
import { WebhookDeliverer } from "./webhook-deliverer";
import { WebhookUrlGuard } from "./webhook-url-guard";

/**
 * Outbound webhooks: the event writer (hung off the audit trail, so events are written in
 * the transaction of each change), endpoint management and the background deliverer.
 */
export function createWebhooks(prisma: PrismaClient, config: Config, clock: Clock, logger: Logger, audit: AuditService) {
  const secrets = new SecretBox(config.appSecret, "webhook-secrets");
  const guard = new WebhookUrlGuard(config.webhookAllowPrivate);
  const events = new WebhookEventWriter(clock);
  audit.webhookDeliveries = (entry, db, now) => events.deliveriesForAudit(entry, db, now);
  const endpoints = new WebhookEndpointService(prisma, secrets, guard, audit, clock);
  const deliverer = new WebhookDeliverer(prisma, secrets, guard, audit, clock, logger.child({ component: "webhooks" }), {
    timeoutMs: config.webhookTimeoutMs,
    pollIntervalMs: config.webhookPollIntervalMs,
    retryWindowMs: config.webhookRetryWindowMs,
  });
  return { events, endpoints, deliverer, guard };
}
