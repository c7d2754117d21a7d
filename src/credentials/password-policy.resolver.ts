import { Field, Int, ObjectType, Query, Resolver } from "type-graphql";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy";

@ObjectType({
  description:
    "The length rules every new password (and secret passkey) must meet, for forms to check before sending. The server also refuses common, repetitive and reused passwords and ones equal to the username or e-mail address.",
})
export class PasswordPolicy {
  @Field(() => Int, { description: "The fewest characters (Unicode code points, after NFKC normalization) a password may have." })
  minLength!: number;
  @Field(() => Int, { description: "The most characters (Unicode code points, after NFKC normalization) a password may have." })
  maxLength!: number;
}

@Resolver()
export class PasswordPolicyResolver {
  @Query(() => PasswordPolicy, { description: "The password rules a sign-up or password form should show. Needs no token." })
  passwordPolicy(): PasswordPolicy {
    return { minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH };
  }
}
