import { Field, Int, ObjectType, Query, Resolver } from "type-graphql";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy";

@ObjectType()
export class PasswordPolicy {
  @Field(() => Int) minLength!: number;
  @Field(() => Int) maxLength!: number;
}

@Resolver()
export class PasswordPolicyResolver {
  @Query(() => PasswordPolicy)
  passwordPolicy(): PasswordPolicy {
    return { minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH };
  }
}
