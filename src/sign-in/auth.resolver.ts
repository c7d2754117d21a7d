import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { LoginInput } from "./login.input";
import { LoginResult } from "./login-result.type";
import { signedInResponse } from "./signed-in-response";
import { toTwoFactorChallenge } from "./two-factor-challenge.type";

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginResult)
  async login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() ctx: GraphQLContext): Promise<typeof LoginResult> {
    const result = await ctx.services.passwordSignIn.login(input, ctx.origin);
    // Two-factor accounts get a challenge; the tokens (and cookies) come from verifyTwoFactorLogin.
    if ("challengeToken" in result) return toTwoFactorChallenge(result);
    return signedInResponse(ctx, result, input.cookie === true);
  }
}
