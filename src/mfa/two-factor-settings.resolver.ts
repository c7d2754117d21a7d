import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { NotWhileImpersonating } from "../graphql/recent-auth";
import { RecoveryCodes } from "./two-factor.types";

/** Changes that need a current code: an authenticator code or a recovery code. */
@Resolver()
export class TwoFactorSettingsResolver {
  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Boolean, {
    description:
      "Turns two-factor authentication off for the signed-in user, forgetting the secret and the recovery codes; the code is the proof, no recent authentication is needed. Returns true. Errors: BAD_USER_INPUT (extensions.field code) for a wrong code, which counts toward the sign-in lockout (ACCOUNT_LOCKED); CONFLICT when it is not on.",
  })
  async disableTwoFactor(
    @Arg("code", () => String, { description: "A current TOTP/HOTP code, or an unused recovery code. Never echoed back." }) code: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.mfa.disable.disable(ctx.viewer!.user.id, code, ctx.origin);
    return true;
  }

  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => RecoveryCodes, {
    description:
      "Replaces the signed-in user's recovery codes with ten new ones, shown once; the old ones stop working. Errors: BAD_USER_INPUT (extensions.field code) for a wrong code, which counts toward the sign-in lockout (ACCOUNT_LOCKED); CONFLICT when two-factor authentication is not on.",
  })
  async regenerateRecoveryCodes(
    @Arg("code", () => String, { description: "A current TOTP/HOTP code, or an unused recovery code. Never echoed back." }) code: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecoveryCodes> {
    return { codes: await ctx.services.mfa.backupCodeRegeneration.regenerate(ctx.viewer!.user.id, code, ctx.origin) };
  }
}
