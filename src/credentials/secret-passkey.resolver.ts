import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication } from "../graphql/recent-auth";

@Resolver()
export class SecretPasskeyResolver {
  @Authorized()
  @RecentAuthentication()
  @Mutation(() => Boolean, {
    description:
      "Sets the signed-in user's secret passkey (the offline recovery secret used by resetPasswordWithPasskey; a password reset by e-mail clears it). Returns true. Needs a recent authentication (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED otherwise). Errors: PASSWORD_POLICY (extensions.field secretPasskey), BAD_USER_INPUT when it equals the password, RATE_LIMITED (RATE_LIMIT_SET_SECRET_PASSKEY, default 10 a minute).",
  })
  async setSecretPasskey(
    @Arg("secretPasskey", () => String, {
      description: "The new secret passkey: the password rules apply, and it must differ from the password. Never echoed back.",
    }) secretPasskey: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.secretPasskeys.set(ctx.viewer!.user, secretPasskey, ctx.origin);
    return true;
  }
}
