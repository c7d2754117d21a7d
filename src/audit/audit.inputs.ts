import { ArgsType, Field, Int } from "type-graphql";
import { AuditFilter } from "./audit-event.types";

// Argument classes keep the contract's argument order (parameter decorators would reverse it).

@ArgsType()
export class AuditLogArgs {
  @Field(() => AuditFilter, { nullable: true, description: "Which events to return; all of them when left out." }) filter?: AuditFilter | null;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: "How many items to return, from 0 to 100 (BAD_USER_INPUT above)." }) first?: number | null;
  @Field(() => String, { nullable: true, description: "Return the items after this cursor (an edge's cursor or pageInfo.endCursor of the previous page); leave it out to start at the beginning." })
  after?: string | null;
}

@ArgsType()
export class MyActivityArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: "How many items to return, from 0 to 100 (BAD_USER_INPUT above)." }) first?: number | null;
  @Field(() => String, { nullable: true, description: "Return the items after this cursor (an edge's cursor or pageInfo.endCursor of the previous page); leave it out to start at the beginning." })
  after?: string | null;
}
