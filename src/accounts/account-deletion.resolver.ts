import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { NotWhileImpersonating } from "../graphql/recent-auth";

@Resolver()
export class AccountDeletionResolver {
  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Boolean, {
    description:
      "Deletes the signed-in user's account: its profile, secrets, second factors, passkeys, provider links and avatar go, every session ends and the cookies are cleared; the username and address become free, and the audit trail keeps the id. Returns true. Errors: BAD_USER_INPUT (extensions.field password) for a wrong password or an account without one; ACCOUNT_LOCKED after too many wrong guesses; CONFLICT (extensions.reason LAST_ADMIN) for the last active ADMIN.",
  })
  async deleteAccount(
    @Arg("password", () => String, {
      description: "The account's current password, as proof; a wrong one counts toward the sign-in lockout. Never echoed back.",
    })
    password: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.accountDeletion.deleteAccount(ctx.viewer!.user.id, password, ctx.origin);
    // The sign-in cookies belong to sessions/, above accounts: the composition hands the clearing in.
    ctx.services.clearSignInCookies(ctx.res);
    return true;
  }
}
