import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication } from "../graphql/recent-auth";

@Resolver()
export class SecretPasskeyResolver {
  @Authorized()
  @RecentAuthentication()
  @Mutation(() => Boolean, {
    description: "Sets the secret passkey (the offline recovery secret used by resetPasswordWithPasskey); the password rules apply. Needs a recent authentication",
  })
  async setSecretPasskey(
    @Arg("secretPasskey", () => String, { description: "the new secret passkey" }) secretPasskey: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.secretPasskeys.set(ctx.viewer!.user, secretPasskey, ctx.origin);
    return true;
  }
}
