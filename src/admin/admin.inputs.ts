import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { Role } from "../graphql/enums";
import { DateTime } from "../graphql/scalars";
import { ProfileFieldsInput } from "../accounts";
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
  @Field(() => String, {
    nullable: true,
    description:
      "Why the account is disabled, shown to MODERATOR and ADMIN as disabledReason: at most 500 characters, no control or invisible formatting characters (BAD_USER_INPUT otherwise). Ignored when enabling.",
  })
  reason?: string | null;
  @Field(() => DateTime, {
    nullable: true,
    description:
      "When the ban ends by itself; it must be in the future (BAD_USER_INPUT otherwise). Left out, the account stays disabled until an ADMIN enables it. Ignored when enabling.",
  })
  until?: Date | null;
}

@ArgsType()
export class RevokeUserSessionArgs {
  @Field(() => ID, { description: "The account the session belongs to." }) userId!: string;
  @Field(() => ID, { description: "The session to end, from userSessions." }) sessionId!: string;
}

@InputType({ description: "A new account made by an ADMIN (createUser)." })
export class AdminCreateUserInput {
  @Field(() => String, {
    description: "The unique sign-in name: 3 to 32 letters, digits, '.', '_' or '-' (CONFLICT when taken, regardless of letter case).",
  })
  username!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The account's e-mail address; unverified until a link mailed to it is followed (CONFLICT when another account has verified it). Needed when password is left out: the set-password link goes there.",
  })
  email?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The first password, under the sign-up password policy (PASSWORD_POLICY otherwise). Left out, the account has no password until its owner follows the set-password link mailed to email. Never echoed back.",
  })
  password?: string | null;
  @Field(() => Role, { nullable: true, defaultValue: "USER", description: "The account's role; USER when left out." }) role?: Role | null;
}

@InputType({
  description:
    "Changes an ADMIN makes to an account (updateUser). A field left out stays as it is; null clears it (not username). The profile fields follow updateProfile's rules.",
})
export class AdminUpdateUserInput extends ProfileFieldsInput {
  @Field(() => String, { nullable: true, description: "A new unique sign-in name (CONFLICT when taken)." }) username?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "A new address, which replaces the current one at once (no confirmation round; a pending change is dropped); unverified unless emailVerified says true. null removes the address. CONFLICT when another account has verified it.",
  })
  email?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "Marks the address verified (the ADMIN vouches for the mailbox; other accounts' unverified claims on it are dropped) or unverified. Left out, a new address is unverified and an unchanged one keeps its state.",
  })
  emailVerified?: boolean | null;
}
