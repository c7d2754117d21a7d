import { toTwoFactorChallenge } from "../sign-in/two-factor-challenge.type";
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication } from "../graphql/recent-auth";
import { User } from "../accounts/user.type";
import { LoginResult } from "../sign-in/login-result.type";
import { toAuthPayload } from "../sessions/auth-payload.mapper";
import { readCookie } from "../sessions/auth-cookies";
import { OAuthCompleteInput, OAuthProvider, OAuthStart } from "./oauth.types";
import { OAUTH_FLOW_COOKIE, flowBinding, setFlowBindingCookie } from "./flow-binding";
import { OAUTH_FLOW_TTL_MS } from "./oauth-flows";

@Resolver()
export class OAuthResolver {
  @Query(() => [OAuthProvider])
  oauthProviders(@Ctx() ctx: GraphQLContext): OAuthProvider[] {
    return ctx.services.oauth.providers();
  }

  @Mutation(() => OAuthStart, {
    description:
      "Starts a social sign-in (or, signed in, a link). Binds the flow to this browser: sets the httpOnly lk_oauth cookie and returns `binding`; completion needs one of them back.",
  })
  async startOAuthLogin(
    @Arg("provider", () => String) provider: string,
    @Arg("redirectUri", () => String) redirectUri: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OAuthStart> {
    // Signed in, this starts linking a provider to the account: a sensitive change.
    if (ctx.viewer) ctx.services.recentAuth.require(ctx.viewer);
    const binding = flowBinding(readCookie(ctx.req, OAUTH_FLOW_COOKIE));
    const started = await ctx.services.oauth.start(provider, redirectUri, ctx.viewer?.user.id, binding);
    setFlowBindingCookie(ctx.res, binding, ctx.services.secureCookies, OAUTH_FLOW_TTL_MS);
    return started;
  }

  @Mutation(() => LoginResult)
  async completeOAuthLogin(
    @Arg("input", () => OAuthCompleteInput) input: OAuthCompleteInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<typeof LoginResult> {
    const result = await ctx.services.oauth.complete(input, { cookie: readCookie(ctx.req, OAUTH_FLOW_COOKIE) }, ctx.origin);
    if (!("accessToken" in result)) return toTwoFactorChallenge(result);
    ctx.provenUserIds.add(result.user.id);
    return toAuthPayload(result);
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => User)
  linkOAuthAccount(@Arg("input", () => OAuthCompleteInput) input: OAuthCompleteInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.oauth.link(ctx.viewer!.user.id, input, { cookie: readCookie(ctx.req, OAUTH_FLOW_COOKIE) }, ctx.origin);
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => User)
  unlinkOAuthAccount(@Arg("provider", () => String) provider: string, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.oauth.unlink(ctx.viewer!.user.id, provider, ctx.origin);
  }
}
