import { Field, InputType, registerEnumType } from "type-graphql";
import { MaxLength } from "class-validator";
import { Role } from "../graphql/enums";
import { DateTime } from "../graphql/scalars";
import { OrderDirection } from "../graphql/pagination";

export enum UserOrderField {
  CREATED_AT = "CREATED_AT",
  USERNAME = "USERNAME",
  LAST_LOGIN_AT = "LAST_LOGIN_AT",
}
registerEnumType(UserOrderField, {
  name: "UserOrderField",
  description: "What searchUsers sorts by; accounts with equal values are ordered by id.",
  valuesConfig: {
    CREATED_AT: { description: "When the account was registered." },
    USERNAME: { description: "The username, ignoring letter case." },
    LAST_LOGIN_AT: {
      description:
        "When the account last signed in; accounts that never signed in come last, in either direction. To a MODERATOR, ADMIN accounts sort as if they never signed in.",
    },
  },
});

@InputType({ description: "Conditions an account must all meet to be found by searchUsers; those left out do not filter." })
export class UserSearchFilter {
  @Field(() => String, {
    nullable: true,
    description: "A case-insensitive substring of the username, e-mail address or profile name; at most 200 characters.",
  })
  @MaxLength(200)
  query?: string | null;
  @Field(() => Role, { nullable: true, description: "Only accounts with this role." }) role?: Role | null;
  @Field(() => Boolean, { nullable: true, description: "Only accounts whose address is (true) or is not (false) verified." })
  emailVerified?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "Only disabled (true) or enabled (false) accounts." }) disabled?: boolean | null;
  @Field(() => DateTime, { nullable: true, description: "Only accounts created at or after this time." }) createdAfter?: Date | null;
  @Field(() => DateTime, { nullable: true, description: "Only accounts created before this time." }) createdBefore?: Date | null;
}

@InputType({ description: "How searchUsers sorts its results." })
export class UserOrder {
  @Field(() => UserOrderField, { description: "The value to sort by." }) field!: UserOrderField;
  @Field(() => OrderDirection, { description: "Ascending or descending." }) direction!: OrderDirection;
}
