import { Arg, Ctx, Int, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { LoginResult, signedInResponse, toTwoFactorChallenge } from "../sign-in";
import { EmailCodeChallenge } from "./email-code.types";

@Resolver()
export class EmailCodeResolver {
  @Mutation(() => EmailCodeChallenge, {
    description:
      "Mails a sign-in code (8 digits, valid EMAIL_CODE_TTL, default 10 minutes) to the account whose verified address this is, for a device where following a link is awkward. Needs no token. Answers a challenge of the same shape whether or not such an account exists (then no mail goes out); a code never creates an account. BAD_USER_INPUT (extensions.field email) for an empty or overlong address; RATE_LIMITED (RATE_LIMIT_REQUEST_EMAIL_CODE, default 5 an hour per address and IP; RATE_LIMIT_REQUEST_EMAIL_CODE_IP, 60 an hour per IP; RATE_LIMIT_EMAIL_CODE_ADDRESS, 10 an hour per address from any IP).",
  })
  requestEmailCode(
    @Arg("email", () => String, { description: "The account's e-mail address." }) email: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<EmailCodeChallenge> {
    return ctx.services.emailCode.request(email, ctx.origin);
  }

  @Mutation(() => LoginResult, {
    description:
      "Signs in with the challenge of requestEmailCode and the code from the mail. Needs no token. Answers the tokens, or a TwoFactorChallenge when the account has two-factor authentication on. The right code spends the challenge; each challenge takes at most 5 wrong codes, the fifth spends it too. Errors: UNAUTHENTICATED with the message Invalid or expired code (extensions.attemptsLeft: wrong codes the challenge still takes, 0 when it is spent, expired or unknown: ask for a new code); BAD_USER_INPUT (extensions.field code) when the code is not 8 digits, which costs no try; FORBIDDEN (ACCOUNT_DISABLED); RATE_LIMITED (RATE_LIMIT_SIGN_IN_WITH_EMAIL_CODE, default 120 an hour per IP).",
  })
  async signInWithEmailCode(
    @Arg("challengeToken", () => String, { description: "The challengeToken requestEmailCode answered." }) challengeToken: string,
    @Arg("code", () => String, { description: "The code from the mail; spaces and hyphens are ignored. Never echoed back." }) code: string,
    @Arg("expiresInMinutes", () => Int, {
      nullable: true,
      description: "The access token's lifetime in minutes, from 1 to ACCESS_TOKEN_MAX_TTL; defaults to ACCESS_TOKEN_TTL, as for login.",
    })
    expiresInMinutes: number | null | undefined,
    @Arg("cookie", () => Boolean, {
      nullable: true,
      description: "true: set the lk_access and lk_refresh httpOnly cookies and leave the tokens out of the body, as for login. Default false.",
    })
    cookie: boolean | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<typeof LoginResult> {
    const result = await ctx.services.emailCode.signInWithCode(challengeToken, code, { expiresInMinutes, cookie }, ctx.origin);
    if ("challengeToken" in result) return toTwoFactorChallenge(result);
    return signedInResponse(ctx, result, cookie === true);
  }
}
