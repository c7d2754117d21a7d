import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/pagination";
import type { WebhookActor } from "./webhook-endpoint.service";
import {
  CreateWebhookEndpointArgs,
  UpdateWebhookEndpointArgs,
  WebhookDeliveriesArgs,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "./webhook.types";

const actor = (ctx: GraphQLContext): WebhookActor => ({ actorId: ctx.viewer!.user.id, origin: ctx.origin });

/** Outbound webhooks: ADMIN only. */
@Resolver()
export class WebhookResolver {
  @Authorized("ADMIN")
  @Query(() => [WebhookEndpoint])
  webhookEndpoints(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.endpoints.list();
  }

  @Authorized("ADMIN")
  @Query(() => WebhookDeliveryConnection)
  async webhookDeliveries(@Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<WebhookDelivery>> {
    const page = await ctx.services.webhooks.endpoints.deliveries(args.endpointId, { first: pageSize(args.first, 20), after: decodeCursor(args.after) });
    return toConnection(page);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookEndpointWithSecret)
  createWebhookEndpoint(@Args(() => CreateWebhookEndpointArgs) { url, events }: CreateWebhookEndpointArgs, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpointWithSecret> {
    return ctx.services.webhooks.endpoints.create(actor(ctx), url, events);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(@Args(() => UpdateWebhookEndpointArgs) { id, ...changes }: UpdateWebhookEndpointArgs, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.endpoints.update(actor(ctx), id, changes);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookEndpointWithSecret)
  rotateWebhookSecret(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpointWithSecret> {
    return ctx.services.webhooks.endpoints.rotateSecret(actor(ctx), id);
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean)
  deleteWebhookEndpoint(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.webhooks.endpoints.delete(actor(ctx), id);
  }

  @Authorized("ADMIN")
  @Mutation(() => WebhookDelivery)
  redeliverWebhook(@Arg("deliveryId", () => ID) deliveryId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDelivery> {
    return ctx.services.webhooks.endpoints.redeliver(actor(ctx), deliveryId);
  }
}
