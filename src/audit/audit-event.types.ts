import { Field, ID, InputType, ObjectType } from "type-graphql";
import { MaxLength } from "class-validator";
import { DateTime } from "../graphql/scalars";
import { connectionTypes } from "../graphql/pagination";

@ObjectType({
  description: "Something that happened to an account or to the server's settings, as recorded in the audit trail (kept AUDIT_RETENTION, default 365 days).",
})
export class AuditEvent {
  @Field(() => ID, { description: "The event's identifier." }) id!: string;
  @Field(() => String, { description: "What happened, e.g. LOGIN_SUCCEEDED, LOGIN_FAILED, PASSWORD_CHANGED, ROLE_CHANGED." }) type!: string;
  @Field(() => ID, { nullable: true, description: "The account the event is about; null when none is (such as a failed sign-in for an unknown name)." })
  userId!: string | null;
  @Field(() => ID, {
    nullable: true,
    description: "Who acted: the user themself, or an ADMIN acting on the account; null for the operator's command line and the server itself.",
  })
  actorId!: string | null;
  @Field(() => String, { nullable: true, description: "The client IP address of the request; null when unknown or hidden (see myActivity)." })
  ip!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The User-Agent header of the request, at most 512 characters; null when unknown or hidden (see myActivity).",
  })
  userAgent!: string | null;
  @Field(() => String, { nullable: true, description: "Details as JSON text, such as the method of a sign-in; never secrets. Null when there are none." })
  metadata!: string | null;
  @Field(() => ID, { nullable: true, description: "The organization the event happened in (organization and membership events); null for the others." })
  organizationId!: string | null;
  @Field(() => DateTime, { description: "When it happened." }) createdAt!: Date;
}

@InputType({ description: "Conditions an event must all meet to be listed by auditLog; those left out do not filter." })
export class AuditFilter {
  @Field(() => ID, { nullable: true, description: "Only events about this account." }) @MaxLength(64) userId?: string | null;
  @Field(() => String, { nullable: true, description: "Only events of this type, e.g. LOGIN_FAILED." }) @MaxLength(64) type?: string | null;
  @Field(() => DateTime, { nullable: true, description: "Only events at or after this time." }) after?: Date | null;
  @Field(() => DateTime, { nullable: true, description: "Only events before this time." }) before?: Date | null;
  @Field(() => ID, {
    nullable: true,
    description: "Only events in this organization. With it, the organization's OWNERs and ADMINs may read auditLog too (its events only).",
  })
  @MaxLength(64)
  organizationId?: string | null;
}

export const { EdgeType: AuditEventEdge, ConnectionType: AuditEventConnection } = connectionTypes("AuditEvent", AuditEvent);
