import { toTwoFactorChallenge, LoginResult } from "../sign-in";
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication } from "../graphql/recent-auth";
import { User } from "../accounts";
import { toAuthPayload, readCookie } from "../sessions";
import { OAuthCompleteInput, OAuthProvider, OAuthStart } from "./oauth.types";
import { OAUTH_FLOW_COOKIE, flowBinding, setFlowBindingCookie } from "./flow-binding";
import { OAUTH_FLOW_TTL_MS } from "./oauth-flow.service";

@Resolver()
export class OAuthResolver {
  @Query(() => [OAuthProvider], { description: "The social sign-in providers this server offers; empty when none are configured. Needs no token." })
  oauthProviders(@Ctx() ctx: GraphQLContext): OAuthProvider[] {
    return ctx.services.oauth.providers();
  }

  @Mutation(() => OAuthStart, {
    description:
      "Starts a social sign-in (or, signed in, a link: that needs a recent authentication). Binds the flow to this browser: sets the httpOnly lk_oauth cookie and returns `binding`; completion needs one of them back. Errors: BAD_USER_INPUT for an unknown provider or a redirect URI it does not allow; SERVICE_UNAVAILABLE when the provider cannot be reached; RATE_LIMITED (RATE_LIMIT_START_OAUTH_LOGIN, default 30 a minute per IP).",
  })
  async startOAuthLogin(
    @Arg("provider", () => String, { description: "The provider's id, from oauthProviders." }) provider: string,
    @Arg("redirectUri", () => String, {
      description: "Where the provider sends the browser back; must be one of the redirect URIs configured for the provider.",
    })
    redirectUri: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OAuthStart> {
    // Signed in, this starts linking a provider to the account: a sensitive change.
    if (ctx.viewer) ctx.services.recentAuth.require(ctx.viewer);
    const binding = flowBinding(readCookie(ctx.req, OAUTH_FLOW_COOKIE));
    const started = await ctx.services.oauth.start(provider, redirectUri, ctx.viewer?.user.id, binding);
    setFlowBindingCookie(ctx.res, binding, ctx.services.secureCookies, OAUTH_FLOW_TTL_MS);
    return started;
  }

  @Mutation(() => LoginResult, {
    description:
      "Completes a social sign-in: signs in the account linked to the provider identity, or the account whose verified address the provider vouches for (linking it), or a new account. Answers a TwoFactorChallenge when the account has two-factor authentication on. Returns the tokens in the body (no cookies). Errors: UNAUTHENTICATED when the provider refuses; BAD_USER_INPUT for a stale or foreign state; FORBIDDEN (extensions.reason OAUTH_LINK_REQUIRED) when an account already uses the address with other sign-in methods: sign in there and link instead; FORBIDDEN (ACCOUNT_DISABLED); SERVICE_UNAVAILABLE; RATE_LIMITED (default 30 a minute per IP).",
  })
  async completeOAuthLogin(
    @Arg("input", () => OAuthCompleteInput, { description: "What the provider returned, and the flow's binding." }) input: OAuthCompleteInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<typeof LoginResult> {
    const result = await ctx.services.oauth.complete(input, { cookie: readCookie(ctx.req, OAUTH_FLOW_COOKIE) }, ctx.origin);
    if (!("accessToken" in result)) return toTwoFactorChallenge(result);
    ctx.provenUserIds.add(result.user.id);
    return toAuthPayload(result);
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => User, {
    description:
      "Links a provider identity to the signed-in user, completing a flow the user started with startOAuthLogin while signed in. Needs a recent authentication and a verified address (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED or EMAIL_NOT_VERIFIED). CONFLICT when that identity is linked to another user, or this user already has another identity at the provider; RATE_LIMITED (RATE_LIMIT_LINK_OAUTH_ACCOUNT, default 10 a minute).",
  })
  linkOAuthAccount(
    @Arg("input", () => OAuthCompleteInput, { description: "What the provider returned, and the flow's binding." }) input: OAuthCompleteInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    return ctx.services.oauth.link(ctx.viewer!.user.id, input, { cookie: readCookie(ctx.req, OAUTH_FLOW_COOKIE) }, ctx.origin);
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => User, {
    description:
      "Removes the signed-in user's link to a provider. Needs a recent authentication. NOT_FOUND when no identity at that provider is linked; FORBIDDEN (extensions.reason LAST_SIGN_IN_METHOD) when it is the account's only way to sign in.",
  })
  unlinkOAuthAccount(
    @Arg("provider", () => String, { description: "The provider's id, as in User.linkedProviders." }) provider: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    return ctx.services.oauth.unlink(ctx.viewer!.user.id, provider, ctx.origin);
  }
}
