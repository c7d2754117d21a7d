import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RegisterInput, RegisterPayload } from "./register.inputs";
import { signedInResponse } from "./signed-in-response";

// Sign-up lives beside sign-in (not in accounts, a layer below): with signIn it ends like login.
@Resolver()
export class RegistrationResolver {
  @Mutation(() => RegisterPayload, {
    description:
      "Creates an account with the USER role and mails a verification link to its address, if one is given. Needs no token. Signs the account in only when the input's signIn is true (auth, as login's payload; the cookies with cookie: true), else auth is null: call login next. Errors: BAD_USER_INPUT and CONFLICT (extensions.field names the input), PASSWORD_POLICY (extensions.reasons), RATE_LIMITED (RATE_LIMIT_REGISTER, default 20 an hour per IP).",
  })
  async register(
    @Arg("input", () => RegisterInput, { description: "The new account's name and secrets, and whether to sign it in." }) input: RegisterInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RegisterPayload> {
    const { user, auth } = await ctx.services.registration.register(input, ctx.origin);
    ctx.provenUserIds.add(user.id);
    return { userId: user.id, user, auth: auth ? signedInResponse(ctx, auth, input.cookie === true) : null };
  }
}
