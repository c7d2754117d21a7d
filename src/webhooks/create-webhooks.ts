import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import type { Config } from "../config";
import type { Clock } from "../common/clock";
import { SecretBox } from "../common/secret-box";
import type { AuditService } from "../audit";
import { WebhookEventWriter } from "./webhook-event-writer";
import { WebhookEndpointService } from "./webhook-endpoint.service";
import { WebhookDeliverer } from "./webhook-deliverer";
import { WebhookUrlGuard } from "./webhook-url-guard";
import { WebhookDeliveryStore } from "./webhook-delivery.store";
import { WebhookEndpointStore } from "./webhook-endpoint.store";
import type { NewAccountReader } from "./webhook-events";

export interface WebhookEventsDependencies {
  prisma: PrismaClient;
  clock: Clock;
  /** Reads a new account for user.created; the accounts feature's own read when given. */
  accounts: NewAccountReader;
}

/**
 * The event writer: the audit trail's statement listener that writes webhook deliveries in the
 * transaction of each change. Made before the audit trail, which takes it as a listener.
 */
export function createWebhookEvents(deps: WebhookEventsDependencies) {
  const deliveries = new WebhookDeliveryStore(deps.prisma);
  return { deliveries, events: new WebhookEventWriter(deliveries, deps.accounts, deps.clock) };
}

export interface WebhooksDependencies {
  prisma: PrismaClient;
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: AuditService;
  /** From createWebhookEvents, already listening on `audit`. */
  events: ReturnType<typeof createWebhookEvents>;
}

/** Outbound webhooks: the event writer, endpoint management and the background deliverer. */
export function createWebhooks(deps: WebhooksDependencies) {
  const { prisma, config, clock, audit } = deps;
  const secrets = new SecretBox(config.appSecret, "webhook-secrets");
  const guard = new WebhookUrlGuard(config.webhookAllowPrivate);
  const endpointStore = new WebhookEndpointStore(prisma);
  const deliveryStore = deps.events.deliveries;
  const endpoints = new WebhookEndpointService(prisma, endpointStore, deliveryStore, secrets, guard, audit, clock);
  const deliverer = new WebhookDeliverer(
    { prisma, deliveries: deliveryStore, endpoints: endpointStore, secrets, guard, audit, clock, logger: deps.logger.child({ component: "webhooks" }) },
    { timeoutMs: config.webhookTimeoutMs, pollIntervalMs: config.webhookPollIntervalMs, retryWindowMs: config.webhookRetryWindowMs },
  );
  return { events: deps.events.events, endpoints, deliverer, guard };
}
