import { Field, InputType, Int } from "type-graphql";
import { MaxLength } from "class-validator";

@InputType({ description: "A password sign-in, for login." })
export class LoginInput {
  @Field(() => String, { description: "The account's username, e-mail address or user id; at most 254 characters." })
  @MaxLength(254)
  identifier!: string;
  @Field(() => String, { description: "The account's password. Never echoed back." }) @MaxLength(4096) password!: string;
  @Field(() => Int, {
    nullable: true,
    description:
      "The access token's lifetime in minutes, from 1 to ACCESS_TOKEN_MAX_TTL (default 24 hours; BAD_USER_INPUT outside). Defaults to ACCESS_TOKEN_TTL (15 minutes); refreshed tokens keep it.",
  })
  expiresInMinutes?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: also set the lk_access and lk_refresh httpOnly cookies, and leave the tokens out of the response body (browser apps). Default false.",
  })
  cookie?: boolean | null;
}
