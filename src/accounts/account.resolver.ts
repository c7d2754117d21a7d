import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RegisterInput, RegisterPayload } from "./register.inputs";
import { User } from "./user.types";
import { TokenScope } from "../graphql/token-scope";

@Resolver()
export class AccountResolver {
  @Mutation(() => RegisterPayload, {
    description:
      "Creates an account with the USER role and mails a verification link to its address, if one is given. Needs no token and does not sign in. Errors: BAD_USER_INPUT and CONFLICT (extensions.field names the input), PASSWORD_POLICY (extensions.reasons), RATE_LIMITED (RATE_LIMIT_REGISTER, default 20 an hour per IP).",
  })
  async register(
    @Arg("input", () => RegisterInput, { description: "The new account's name and secrets." }) input: RegisterInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RegisterPayload> {
    const user = await ctx.services.accounts.register(input, ctx.origin);
    ctx.provenUserIds.add(user.id);
    return { userId: user.id, user };
  }

  @Authorized()
  @TokenScope("read:profile")
  @Query(() => User, {
    description: "The signed-in user. UNAUTHENTICATED without a valid access token (Authorization: Bearer, or the lk_access cookie).",
  })
  me(@Ctx() ctx: GraphQLContext): User {
    return ctx.viewer!.user;
  }

  // A page asks "who is signed in" on every load: being signed out is an answer, not an error.
  @TokenScope("read:profile")
  @Query(() => User, {
    nullable: true,
    description:
      "The signed-in user, or null when signed out: no access token, or one that is expired, revoked or not valid (a page cannot act on the difference; refresh the session or sign in). Never UNAUTHENTICATED; the fields show what me shows. When the request carried an access token or the refresh cookie, a null answer comes with extensions.session = \"EXPIRED\": refresh the session and ask again (@latchkey/client does). Use me where a missing sign-in should be an error.",
  })
  viewer(@Ctx() ctx: GraphQLContext): User | null {
    if (ctx.viewer) return ctx.viewer.user;
    if (ctx.sessionRefreshable) ctx.answeredStaleViewer = true;
    return null;
  }
}
