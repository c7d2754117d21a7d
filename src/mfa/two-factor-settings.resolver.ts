import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecoveryCodes } from "./two-factor.types";

/** Changes that need a current code: an authenticator code or a recovery code. */
@Resolver()
export class TwoFactorSettingsResolver {
  @Authorized()
  @Mutation(() => Boolean)
  async disableTwoFactor(@Arg("code", () => String) code: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.mfa.disable.disable(ctx.viewer!.user.id, code, ctx.origin);
    return true;
  }

  @Authorized()
  @Mutation(() => RecoveryCodes)
  async regenerateRecoveryCodes(@Arg("code", () => String) code: string, @Ctx() ctx: GraphQLContext): Promise<RecoveryCodes> {
    return { codes: await ctx.services.mfa.backupCodeRegeneration.regenerate(ctx.viewer!.user.id, code, ctx.origin) };
  }
}
