import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";

@Resolver()
export class AccountDeletionResolver {
  @Authorized()
  @Mutation(() => Boolean)
  async deleteAccount(@Arg("password", () => String) password: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.accountDeletion.deleteAccount(ctx.viewer!.user.id, password, ctx.origin);
    // The sign-in cookies belong to sessions/, above accounts: the composition hands the clearing in.
    ctx.services.clearSignInCookies(ctx.res);
    return true;
  }
}
