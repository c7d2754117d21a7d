import { ArgsType, Field, ID, Int } from "type-graphql";
import { Role } from "../graphql/enums";
import { UserOrder, UserSearchFilter } from "./user-search.input";

// Argument classes keep the contract's argument order (parameter decorators would reverse it).

@ArgsType()
export class SearchUsersArgs {
  @Field(() => UserSearchFilter, { nullable: true }) filter?: UserSearchFilter | null;
  @Field(() => UserOrder, { nullable: true }) orderBy?: UserOrder | null;
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
export class SetUserRoleArgs {
  @Field(() => ID) userId!: string;
  @Field(() => Role) role!: Role;
}

@ArgsType()
export class SetUserDisabledArgs {
  @Field(() => ID) userId!: string;
  @Field(() => Boolean) disabled!: boolean;
}
