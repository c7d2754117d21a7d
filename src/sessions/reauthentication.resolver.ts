import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import { MaxLength } from "class-validator";
import type { GraphQLContext } from "../graphql/context";
import { NotWhileImpersonating } from "../graphql/recent-auth";
import { Session } from "./session.types";

@InputType({
  description:
    "Exactly one proof of identity, password or code (BAD_USER_INPUT otherwise). Accounts without a password prove it with a passkey instead: beginPasskeyReauthentication / finishPasskeyReauthentication.",
})
export class ReauthenticateInput {
  @Field(() => String, { nullable: true, description: "The account's current password. Never echoed back." })
  @MaxLength(4096)
  password?: string | null;

  @Field(() => String, { nullable: true, description: "A current TOTP or HOTP code, or an unused recovery code, of the account. Never echoed back." })
  @MaxLength(64)
  code?: string | null;
}

@Resolver()
export class ReauthenticationResolver {
  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Session, {
    description:
      "Proves again who the signed-in user is, so sensitive mutations are allowed for REAUTH_MAX_AGE (default 10 minutes); returns the current session with its new authenticatedAt. Failures count toward the sign-in lockout: BAD_USER_INPUT naming the wrong proof, then ACCOUNT_LOCKED. RATE_LIMITED beyond RATE_LIMIT_REAUTHENTICATE (default 10 a minute).",
  })
  async reauthenticate(
    @Arg("input", () => ReauthenticateInput, { description: "The proof: a password or a code." }) input: ReauthenticateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Session> {
    const row = await ctx.services.reauthentication.reauthenticate(ctx.viewer!, input, ctx.origin);
    return { ...row, current: true };
  }
}
