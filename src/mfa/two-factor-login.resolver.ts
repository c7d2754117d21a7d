import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { AuthPayload, signedInResponse } from "../sign-in";
import { TwoFactorLoginInput } from "./two-factor.types";

@Resolver()
export class TwoFactorLoginResolver {
  /** Needs no access token: the challenge token from login stands for the password step. */
  @Mutation(() => AuthPayload, {
    description:
      "Completes a sign-in that login or completeOAuthLogin answered with a TwoFactorChallenge; needs no access token. The cookie and token lifetime asked for at the first step apply. Errors: UNAUTHENTICATED for a wrong code or an expired, used or voided challenge (sign in again); ACCOUNT_LOCKED; FORBIDDEN (extensions.reason ACCOUNT_DISABLED); RATE_LIMITED (RATE_LIMIT_VERIFY_TWO_FACTOR_LOGIN, default 10 a minute per IP).",
  })
  async verifyTwoFactorLogin(
    @Arg("input", () => TwoFactorLoginInput, { description: "The challenge token and a code." }) input: TwoFactorLoginInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const { payload, cookie } = await ctx.services.twoFactorLogin.verify(input.challengeToken, input.code, ctx.origin);
    return signedInResponse(ctx, payload, cookie);
  }
}
