import { ArgsType, Field, ID, Int } from "type-graphql";
import { Role } from "../graphql/enums";
import { UserOrder, UserSearchFilter } from "./user-search.inputs";

// Argument classes keep the contract's argument order (parameter decorators would reverse it).

@ArgsType()
export class SearchUsersArgs {
  @Field(() => UserSearchFilter, { nullable: true, description: "Which accounts to return; all of them when left out." })
  filter?: UserSearchFilter | null;
  @Field(() => UserOrder, { nullable: true, description: "The order of the results; newest accounts first when left out." })
  orderBy?: UserOrder | null;
  @Field(() => Int, { nullable: true, defaultValue: 20, description: "How many items to return, from 0 to 100 (BAD_USER_INPUT above)." }) first?: number | null;
  @Field(() => String, { nullable: true, description: "Return the items after this cursor (an edge's cursor or pageInfo.endCursor of the previous page); leave it out to start at the beginning." })
  after?: string | null;
}

@ArgsType()
export class SetUserRoleArgs {
  @Field(() => ID, { description: "The account to change." }) userId!: string;
  @Field(() => Role, { description: "The new role." }) role!: Role;
}

@ArgsType()
export class SetUserDisabledArgs {
  @Field(() => ID, { description: "The account to change." }) userId!: string;
  @Field(() => Boolean, { description: "true disables the account; false enables it again." }) disabled!: boolean;
}
