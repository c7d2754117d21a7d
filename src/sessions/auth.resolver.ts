import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { LoginInput } from "./login.input";
import { LoginResult } from "./login-result.type";
import { toAuthPayload } from "./auth-payload.mapper";
import { setAuthCookies } from "./auth-cookies";

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginResult)
  async login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() ctx: GraphQLContext): Promise<typeof LoginResult> {
    const payload = await ctx.services.login.login(input, ctx.origin);
    ctx.provenUserIds.add(payload.user.id);
    if (input.cookie) setAuthCookies(ctx.res, payload, ctx.services.secureCookies);
    return toAuthPayload(payload);
  }
}
