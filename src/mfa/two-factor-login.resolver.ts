import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { AuthPayload, signedInResponse } from "../sign-in";
import { TwoFactorLoginInput } from "./two-factor.types";

@Resolver()
export class TwoFactorLoginResolver {
  /** Needs no access token: the challenge token from login stands for the password step. */
  @Mutation(() => AuthPayload)
  async verifyTwoFactorLogin(@Arg("input", () => TwoFactorLoginInput) input: TwoFactorLoginInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    const { payload, cookie } = await ctx.services.twoFactorLogin.verify(input.challengeToken, input.code, ctx.origin);
    return signedInResponse(ctx, payload, cookie);
  }
}
