import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/pagination";
import type { WebhookActor } from "./webhook-endpoint.service";
import { CreateWebhookEndpointArgs, UpdateWebhookEndpointArgs, WebhookDeliveriesArgs, WebhookDelivery, WebhookDeliveryConnection, WebhookEndpoint, WebhookEndpointWithSecret, } from "./webhook.types";

const actor = (ctx: GraphQLContext): WebhookActor => ({ actorId: ctx.viewer!.user.id, origin: ctx.origin });

/** Outbound webhooks: ADMIN only. */
@Resolver()
export class WebhookResolver {
  @Authorized("ADMIN")
  @Query(() => [WebhookEndpoint], { description: "Every webhook endpoint, oldest first; ADMIN only (FORBIDDEN for others)." })
  webhookEndpoints(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.endpoints.list();
  }

  @Authorized("ADMIN")
  @Query(() => WebhookDeliveryConnection, {
    description: "An endpoint's deliveries, newest first; ADMIN only. NOT_FOUND for an unknown endpoint.",
  })
  async webhookDeliveries(@Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<WebhookDelivery>> {
    const page = await ctx.services.webhooks.endpoints.deliveries(args.endpointId, { first: pageSize(args.first, 20), after: decodeCursor(args.after) });
    return toConnection(page);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      "Adds a webhook endpoint and returns its signing secret, the only time it is shown. ADMIN only, with a recent authentication (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED otherwise); audited. BAD_USER_INPUT (extensions.field url or events) for a refused URL or an unknown event type.",
  })
  createWebhookEndpoint(@Args(() => CreateWebhookEndpointArgs) { url, events }: CreateWebhookEndpointArgs, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpointWithSecret> {
    return ctx.services.webhooks.endpoints.create(actor(ctx), url, events);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookEndpoint, {
    description:
      "Changes an endpoint's URL, events or enabled flag; arguments left out stay as they are. ADMIN only, with a recent authentication; audited. NOT_FOUND for an unknown endpoint; BAD_USER_INPUT as in createWebhookEndpoint.",
  })
  updateWebhookEndpoint(@Args(() => UpdateWebhookEndpointArgs) { id, ...changes }: UpdateWebhookEndpointArgs, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.endpoints.update(actor(ctx), id, changes);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      "Replaces an endpoint's signing secret and returns the new one, shown only here; every attempt from now on, retries of older events included, is signed with it. ADMIN only, with a recent authentication; audited. NOT_FOUND for an unknown endpoint.",
  })
  rotateWebhookSecret(
    @Arg("id", () => ID, { description: "The endpoint whose secret to replace." }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointWithSecret> {
    return ctx.services.webhooks.endpoints.rotateSecret(actor(ctx), id);
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean, {
    description: "Deletes an endpoint with all its deliveries, sent or not. ADMIN only, with a recent authentication; audited. Returns true; NOT_FOUND for an unknown endpoint.",
  })
  deleteWebhookEndpoint(@Arg("id", () => ID, { description: "The endpoint to delete." }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.webhooks.endpoints.delete(actor(ctx), id);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookDelivery, {
    description:
      "Queues a new delivery of the same event (same payload and webhook-id) to the same endpoint and returns it. ADMIN only, with a recent authentication; audited. NOT_FOUND for an unknown delivery.",
  })
  redeliverWebhook(
    @Arg("deliveryId", () => ID, { description: "The delivery to send again, from webhookDeliveries." }) deliveryId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookDelivery> {
    return ctx.services.webhooks.endpoints.redeliver(actor(ctx), deliveryId);
  }
}
