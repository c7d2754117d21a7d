import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { User } from "../accounts/user.type";
import { verificationOnly } from "../accounts/verification-only-user";
import { PasskeyResetInput, ResetPasswordInput } from "./recovery.inputs";

@Resolver()
export class RecoveryResolver {
  /** Always true, whether or not an account has this address. */
  @Mutation(() => Boolean)
  async requestPasswordReset(@Arg("email", () => String) email: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.passwordReset.request(email);
    return true;
  }

  @Mutation(() => Boolean)
  async resetPassword(@Arg("input", () => ResetPasswordInput) input: ResetPasswordInput, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.passwordReset.reset(input.token, input.newPassword, ctx.origin);
    return true;
  }

  @Mutation(() => Boolean)
  async resetPasswordWithPasskey(
    @Arg("input", () => PasskeyResetInput) input: PasskeyResetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.passkeyReset.reset(input, ctx.origin);
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean)
  async requestEmailVerification(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.emailVerification.request(ctx.viewer!.user);
    return true;
  }

  @Mutation(() => User, {
    description: "Follows the link mailed by an e-mail change: the pending address becomes the account's verified address",
  })
  async confirmEmailChange(
    @Arg("token", () => String, { description: "The token of the PUBLIC_URL/confirm-email link" }) token: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    const user = await ctx.services.emailChange.confirm(token, ctx.origin);
    // Like verifyEmail: holding the link proves only that the link was seen.
    return ctx.viewer?.user.id === user.id ? user : verificationOnly(user);
  }

  /**
   * Needs no token. Holding the link proves no more than that the link was seen (a shared
   * inbox, a proxy log): only a caller signed in as the account sees more of it than its id
   * and emailVerified (see verification-only-user.ts).
   */
  @Mutation(() => User, {
    description: "needs no token; a caller not signed in as this account gets only id and emailVerified (other fields null, empty or FORBIDDEN)",
  })
  async verifyEmail(@Arg("token", () => String) token: string, @Ctx() ctx: GraphQLContext): Promise<User> {
    const user = await ctx.services.emailVerification.verify(token, ctx.origin);
    return ctx.viewer?.user.id === user.id ? user : verificationOnly(user);
  }
}
