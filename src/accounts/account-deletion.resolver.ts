import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { clearAuthCookies } from "../sessions/auth-cookies";

@Resolver()
export class AccountDeletionResolver {
  @Authorized()
  @Mutation(() => Boolean)
  async deleteAccount(@Arg("password", () => String) password: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.accountDeletion.deleteAccount(ctx.viewer!.user.id, password, ctx.origin);
    clearAuthCookies(ctx.res, ctx.services.secureCookies);
    return true;
  }
}
