import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { User, verificationOnly } from "../accounts";
import { PasskeyResetInput, ResetPasswordInput } from "./recovery.inputs";

@Resolver()
export class RecoveryResolver {
  /** Always true, whether or not an account has this address. */
  @Mutation(() => Boolean, {
    description:
      "Mails a password-reset link (APP_URL/reset-password?token=<token>; APP_URL defaults to PUBLIC_URL) to the account with this address; by default only to a verified address (RESET_REQUIRES_VERIFIED_EMAIL). Always true, whether or not an account has the address. Needs no token. RATE_LIMITED (RATE_LIMIT_REQUEST_PASSWORD_RESET, default 5 an hour per address and IP).",
  })
  async requestPasswordReset(
    @Arg("email", () => String, { description: "The account's e-mail address." }) email: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.passwordReset.request(email);
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Sets a new password with the token of a reset link; needs no access token. Following the link proves the mailbox, so it also ends every session, removes the passkeys and provider links added before the address was first verified, and clears the secret passkey (setSecretPasskey sets it again). Returns true. Errors: BAD_USER_INPUT (extensions.field token) for an unknown, used or expired link; PASSWORD_POLICY, which leaves the link usable; RATE_LIMITED (RATE_LIMIT_RESET_PASSWORD, default 10 an hour per IP).",
  })
  async resetPassword(
    @Arg("input", () => ResetPasswordInput, { description: "The link's token and the new password." }) input: ResetPasswordInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.passwordReset.reset(input.token, input.newPassword, ctx.origin);
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Sets a new password with the username and the secret passkey, without e-mail; ends every session. Needs no token. Returns true. A wrong username or secret passkey is UNAUTHENTICATED with the message Invalid credentials and counts toward a lockout (ACCOUNT_LOCKED); a disabled account is FORBIDDEN (extensions.reason ACCOUNT_DISABLED); PASSWORD_POLICY; RATE_LIMITED (RATE_LIMIT_RESET_PASSWORD_WITH_PASSKEY, default 10 an hour per IP, and 5 an hour per username).",
  })
  async resetPasswordWithPasskey(
    @Arg("input", () => PasskeyResetInput, { description: "The username, the secret passkey and the new password." }) input: PasskeyResetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.passkeyReset.reset(input, ctx.origin);
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Mails a new verification link (APP_URL/verify-email?token=<token>, valid EMAIL_VERIFICATION_TTL, default 24 hours) to the signed-in user's address. Returns true. BAD_USER_INPUT (extensions.field email) when the account has no address or it is already verified; RATE_LIMITED (RATE_LIMIT_REQUEST_EMAIL_VERIFICATION, default 5 an hour).",
  })
  async requestEmailVerification(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.emailVerification.request(ctx.viewer!.user);
    return true;
  }

  @Mutation(() => User, {
    description:
      "Follows the link mailed by an e-mail change: the pending address becomes the account's verified address. Needs no token; a caller not signed in as this account gets only id and emailVerified, like verifyEmail. Errors: BAD_USER_INPUT (extensions.field token) for an unknown, used or expired link; CONFLICT when another account verified the address meanwhile.",
  })
  async confirmEmailChange(
    @Arg("token", () => String, {
      description: "The token of the APP_URL/confirm-email?token=<token> link: single use, valid 24 hours by default. Never echoed back.",
    })
    token: string,
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
    description:
      "Marks the account's address verified with the token of a verification link. Needs no token; a caller not signed in as this account gets only id and emailVerified (other fields null, empty or FORBIDDEN). BAD_USER_INPUT (extensions.field token) for an unknown, used or expired link.",
  })
  async verifyEmail(
    @Arg("token", () => String, {
      description: "The token of the APP_URL/verify-email?token=<token> link: single use, valid 24 hours by default. Never echoed back.",
    })
    token: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    const user = await ctx.services.emailVerification.verify(token, ctx.origin);
    return ctx.viewer?.user.id === user.id ? user : verificationOnly(user);
  }
}
