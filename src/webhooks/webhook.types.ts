import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { connectionTypes } from "../graphql/pagination";

@ObjectType({
  description:
    "A URL that receives account events as signed HTTP POSTs (Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature headers, HMAC-SHA256 with the endpoint's secret).",
})
export class WebhookEndpoint {
  @Field(() => ID, { description: "The endpoint's identifier." }) id!: string;
  @Field(() => String, { description: "Where events are POSTed: an http or https URL, at most 2048 characters, on a public address." })
  url!: string;
  @Field(() => [String], { description: "Event types sent to this endpoint, e.g. user.created." }) events!: string[];
  @Field(() => Boolean, {
    description: "false after WEBHOOK_RETRY_WINDOW (default 24 hours) of failed deliveries, or when turned off; updateWebhookEndpoint turns it back on.",
  })
  enabled!: boolean;
  @Field(() => DateTime, { description: "When the endpoint was created." }) createdAt!: Date;
}

@ObjectType({ description: "An endpoint with its signing secret: the one time the secret is shown." })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: "The endpoint." }) endpoint!: WebhookEndpoint;
  @Field(() => String, {
    description: "The whsec_... signing secret that verifies this endpoint's signatures; shown only here, stored encrypted.",
  })
  secret!: string;
}

@ObjectType({
  description: "One event sent, or to be sent, to an endpoint, retried with growing delays (30 seconds up to 1 hour) until WEBHOOK_RETRY_WINDOW after the event.",
})
export class WebhookDelivery {
  @Field(() => ID, { description: "The delivery's identifier, for redeliverWebhook." }) id!: string;
  @Field(() => String, { description: "The event type, e.g. user.created." }) eventType!: string;
  @Field(() => String, {
    description: "PENDING (waiting or retrying), DELIVERED (the endpoint answered 2xx) or FAILED (retries gave up).",
  })
  status!: string;
  @Field(() => Int, { description: "How many times sending was tried." }) attempts!: number;
  @Field(() => String, {
    nullable: true,
    description: "Why the latest attempt failed (HTTP status or network error), at most 500 characters; null once delivered or before any failure.",
  })
  lastError!: string | null;
  @Field(() => DateTime, { description: "When the delivery was queued." }) createdAt!: Date;
  @Field(() => DateTime, { nullable: true, description: "When the endpoint accepted it; null until then." }) deliveredAt!: Date | null;
}

export const { EdgeType: WebhookDeliveryEdge, ConnectionType: WebhookDeliveryConnection } = connectionTypes("WebhookDelivery", WebhookDelivery);

// Argument classes keep the contract's argument order (parameter decorators would reverse it).

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID, { description: "The endpoint whose deliveries to list." }) endpointId!: string;
  @Field(() => Int, { nullable: true, defaultValue: 20, description: "How many items to return, from 0 to 100 (BAD_USER_INPUT above)." }) first?: number | null;
  @Field(() => String, { nullable: true, description: "Return the items after this cursor (an edge's cursor or pageInfo.endCursor of the previous page); leave it out to start at the beginning." })
  after?: string | null;
}

// One list of the subscribable event types, for the descriptions below.
const EVENT_TYPES = "user.created, user.updated, user.deleted, user.disabled, user.role_changed, user.email_verified, user.email_change_requested, user.email_changed, session.created, session.revoked, session.new_device, password.changed, password.reset, two_factor.enabled, two_factor.disabled, two_factor.recovery_codes_regenerated, passkey.added, oauth.linked, organization.created, membership.invited, membership.invitation_revoked, membership.created, membership.role_changed, membership.removed, personal_access_token.created, personal_access_token.revoked";

@ArgsType()
export class CreateWebhookEndpointArgs {
  @Field(() => String, {
    description:
      "Where to POST events: http or https, at most 2048 characters, no credentials, and a host that resolves to a public address (BAD_USER_INPUT otherwise).",
  })
  url!: string;
  @Field(() => [String], { description: `The event types to send, at least one of: ${EVENT_TYPES}.` }) events!: string[];
}

@ArgsType()
export class UpdateWebhookEndpointArgs {
  @Field(() => ID, { description: "The endpoint to change." }) id!: string;
  @Field(() => String, { nullable: true, description: "A new URL, under the same rules as in createWebhookEndpoint." }) url?: string | null;
  @Field(() => [String], { nullable: true, description: `A new list of event types, at least one of: ${EVENT_TYPES}.` })
  events?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: "false stops deliveries; true starts them again and restarts the failure clock." })
  enabled?: boolean | null;
}
