import { Field, ID, InputType, ObjectType } from "type-graphql";
import { MaxLength } from "class-validator";
import { DateTime } from "../graphql/scalars";
import { connectionTypes } from "../graphql/pagination";

@ObjectType()
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "e.g. LOGIN_SUCCEEDED, LOGIN_FAILED, PASSWORD_CHANGED, ROLE_CHANGED" }) type!: string;
  @Field(() => ID, { nullable: true }) userId!: string | null;
  @Field(() => ID, { nullable: true }) actorId!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => String, { nullable: true, description: "JSON text" }) metadata!: string | null;
  @Field(() => DateTime) createdAt!: Date;
}

@InputType()
export class AuditFilter {
  @Field(() => ID, { nullable: true }) @MaxLength(64) userId?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(64) type?: string | null;
  @Field(() => DateTime, { nullable: true, description: "at or after" }) after?: Date | null;
  @Field(() => DateTime, { nullable: true, description: "before" }) before?: Date | null;
}

export const { EdgeType: AuditEventEdge, ConnectionType: AuditEventConnection } = connectionTypes("AuditEvent", AuditEvent);
