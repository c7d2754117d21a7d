import { Field, InputType, Int } from "type-graphql";
import { MaxLength } from "class-validator";

@InputType()
export class LoginInput {
  @Field(() => String, { description: "username, email or user id" }) @MaxLength(254) identifier!: string;
  @Field(() => String) @MaxLength(4096) password!: string;
  @Field(() => Int, { nullable: true, description: "access token lifetime, 1..configured maximum" })
  expiresInMinutes?: number | null;
  @Field(() => Boolean, { nullable: true, description: "true: also set lk_access / lk_refresh httpOnly cookies" })
  cookie?: boolean | null;
}
