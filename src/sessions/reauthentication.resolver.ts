import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import { MaxLength } from "class-validator";
import type { GraphQLContext } from "../graphql/context";
import { Session } from "./session.type";

@InputType({ description: "Exactly one proof of identity (a passkey: beginPasskeyReauthentication / finishPasskeyReauthentication)" })
export class ReauthenticateInput {
  @Field(() => String, { nullable: true, description: "the account's current password" })
  @MaxLength(4096)
  password?: string | null;

  @Field(() => String, { nullable: true, description: "a TOTP or HOTP code, or an unused recovery code, of the account" })
  @MaxLength(64)
  code?: string | null;
}

@Resolver()
export class ReauthenticationResolver {
  @Authorized()
  @Mutation(() => Session, {
    description: "Proves again who the signed-in user is, so sensitive mutations are allowed for REAUTH_MAX_AGE; failures count toward the sign-in lockout",
  })
  async reauthenticate(@Arg("input", () => ReauthenticateInput) input: ReauthenticateInput, @Ctx() ctx: GraphQLContext): Promise<Session> {
    const row = await ctx.services.reauthentication.reauthenticate(ctx.viewer!, input, ctx.origin);
    return { ...row, current: true };
  }
}
