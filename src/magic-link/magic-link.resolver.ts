import { Arg, Ctx, Int, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { LoginResult, signedInResponse, toTwoFactorChallenge } from "../sign-in";
import { bindBrowser, bindingNonceFrom, fromBrowser } from "./browser-binding";

@Resolver()
export class MagicLinkResolver {
  @Mutation(() => Boolean, {
    description:
      "Mails a sign-in link (PUBLIC_URL/magic-link?token=<token>, single use, valid MAGIC_LINK_TTL, default 15 minutes) to the account holding this address verified (or claiming it unverified while it has no way in at all); with MAGIC_LINK_SIGNUP=true, to an address no account holds, and following it creates the account. Always true, alike and in the same time whether or not an account has the address. Called from a browser (an allowed Origin), the link is bound to it by the httpOnly lk_magic cookie: opened elsewhere it does not sign in. Needs no token. Errors: BAD_USER_INPUT (extensions.field email or redirectUri); RATE_LIMITED (RATE_LIMIT_REQUEST_MAGIC_LINK, default 5 an hour per address and IP, and RATE_LIMIT_REQUEST_MAGIC_LINK_IP, default 30 an hour per IP); beyond RATE_LIMIT_MAGIC_LINK_RECIPIENT (default 10 an hour) an address gets no more links, silently.",
  })
  async requestMagicLink(
    @Arg("email", () => String, { description: "The e-mail address to send the link to." }) email: string,
    @Arg("redirectUri", () => String, {
      nullable: true,
      description: "Where the app goes after the link signs in (the /magic-link page redirects there): on PUBLIC_URL, APP_URL or one of CORS_ORIGINS. Default APP_URL.",
    })
    redirectUri: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    const service = ctx.services.magicLinks.service;
    service.checkRedirectUri(redirectUri);
    const bindingHash = fromBrowser(ctx.req, ctx.services.magicLinks.allowedOrigins)
      ? bindBrowser(ctx.req, ctx.res, { secure: ctx.services.secureCookies, maxAgeSeconds: ctx.services.magicLinks.cookieMaxAgeSeconds })
      : null;
    await service.request({ email, redirectUri, bindingHash }, ctx.origin);
    return true;
  }

  @Mutation(() => LoginResult, {
    description:
      "Signs in with the token of a sign-in link; needs no access token. The link is spent: it works once. Two-factor accounts get a TwoFactorChallenge (answer with verifyTwoFactorLogin). Following the link verifies the address. Errors: BAD_USER_INPUT (extensions.field token) for an unknown, used or expired link; FORBIDDEN with extensions.reason MAGIC_LINK_OTHER_BROWSER when the link was asked for from another browser (it stays usable there); FORBIDDEN (extensions.reason ACCOUNT_DISABLED); RATE_LIMITED (RATE_LIMIT_SIGN_IN_WITH_MAGIC_LINK, default 30 a minute per IP).",
  })
  async signInWithMagicLink(
    @Arg("token", () => String, { description: "The token of the PUBLIC_URL/magic-link?token=<token> link. Never echoed back." }) token: string,
    @Arg("expiresInMinutes", () => Int, { nullable: true, description: "Access-token lifetime in minutes, like login's; default ACCESS_TOKEN_TTL." })
    expiresInMinutes: number | null | undefined,
    @Arg("cookie", () => Boolean, {
      nullable: true,
      description: "true: also set the lk_access and lk_refresh httpOnly cookies, and leave the tokens out of the response body. Default false.",
    })
    cookie: boolean | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<typeof LoginResult> {
    const { result } = await ctx.services.magicLinks.service.signInWith(
      token,
      { expiresInMinutes, cookie: cookie === true },
      bindingNonceFrom(ctx.req),
      ctx.origin,
    );
    if ("challengeToken" in result) return toTwoFactorChallenge(result);
    return signedInResponse(ctx, result, cookie === true);
  }
}
