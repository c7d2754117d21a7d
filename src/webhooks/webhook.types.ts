import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { connectionTypes } from "../graphql/pagination";

@ObjectType()
export class WebhookEndpoint {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => [String], { description: "event types sent to this endpoint, e.g. user.created" }) events!: string[];
  @Field(() => Boolean, { description: "false after 24 hours of failed deliveries, or when turned off" }) enabled!: boolean;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType()
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field(() => String, { description: "whsec_... signing secret, shown only here" }) secret!: string;
}

@ObjectType()
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => String) eventType!: string;
  @Field(() => String, { description: "PENDING, DELIVERED or FAILED" }) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime, { nullable: true }) deliveredAt!: Date | null;
}

export const { EdgeType: WebhookDeliveryEdge, ConnectionType: WebhookDeliveryConnection } = connectionTypes("WebhookDelivery", WebhookDelivery);

// Argument classes keep the contract's argument order (parameter decorators would reverse it).

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID) endpointId!: string;
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
export class CreateWebhookEndpointArgs {
  @Field(() => String) url!: string;
  @Field(() => [String]) events!: string[];
}

@ArgsType()
export class UpdateWebhookEndpointArgs {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [String], { nullable: true }) events?: string[] | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
}
