import { ArgsType, Field, Int } from "type-graphql";
import { AuditFilter } from "./audit-event.type";

// Argument classes keep the contract's argument order (parameter decorators would reverse it).

@ArgsType()
export class AuditLogArgs {
  @Field(() => AuditFilter, { nullable: true }) filter?: AuditFilter | null;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
export class MyActivityArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}
