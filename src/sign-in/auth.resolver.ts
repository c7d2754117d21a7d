import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { LoginInput } from "./login.inputs";
import { LoginResult } from "./login-result.types";
import { signedInResponse } from "./signed-in-response";
import { toTwoFactorChallenge } from "./two-factor-challenge.types";

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginResult, {
    description:
      "Signs in with a password. Needs no token. A failure is UNAUTHENTICATED with the message Invalid credentials, alike for an unknown user, a wrong password and a deleted account; a disabled account given its right password gets FORBIDDEN (extensions.reason ACCOUNT_DISABLED, and extensions.disabledUntil when the ban ends by itself). Wrong passwords lock the account for a while (ACCOUNT_LOCKED with extensions.retryAfterSeconds; by default after 5 failures within 15 minutes, for 1 to 15 minutes). RATE_LIMITED per identifier and IP (RATE_LIMIT_LOGIN, default 10 a minute) and per IP (RATE_LIMIT_LOGIN_IP, default 100 a minute).",
  })
  async login(
    @Arg("input", () => LoginInput, { description: "The credentials and token options." }) input: LoginInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<typeof LoginResult> {
    const result = await ctx.services.passwordSignIn.login(input, ctx.origin);
    // Two-factor accounts get a challenge; the tokens (and cookies) come from verifyTwoFactorLogin.
    if ("challengeToken" in result) return toTwoFactorChallenge(result);
    return signedInResponse(ctx, result, input.cookie === true);
  }
}
