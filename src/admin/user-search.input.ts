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
  valuesConfig: { LAST_LOGIN_AT: { description: "accounts that never signed in come last, in either direction" } },
});

@InputType()
export class UserSearchFilter {
  @Field(() => String, { nullable: true, description: "case-insensitive substring of username, email or profile name" })
  @MaxLength(200)
  query?: string | null;
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => Boolean, { nullable: true }) emailVerified?: boolean | null;
  @Field(() => Boolean, { nullable: true }) disabled?: boolean | null;
  @Field(() => DateTime, { nullable: true, description: "created at or after" }) createdAfter?: Date | null;
  @Field(() => DateTime, { nullable: true, description: "created before" }) createdBefore?: Date | null;
}

@InputType()
export class UserOrder {
  @Field(() => UserOrderField) field!: UserOrderField;
  @Field(() => OrderDirection) direction!: OrderDirection;
}
