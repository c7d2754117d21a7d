// What webhooks/ offers the other features; they import from here, not from its files.
export { createWebhookEvents, createWebhooks } from "./create-webhooks";
export { WebhookResolver } from "./webhook.resolver";
