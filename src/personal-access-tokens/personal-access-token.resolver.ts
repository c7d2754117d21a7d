import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { DateTime } from "../graphql/scalars";
import { RecentAuthentication } from "../graphql/recent-auth";
import { PersonalAccessToken, PersonalAccessTokenWithSecret, toPersonalAccessToken } from "./personal-access-token.types";

/** The signed-in user's personal access tokens. Not open to the tokens themselves: managing them needs a session. */
@Resolver()
export class PersonalAccessTokenResolver {
  @Authorized()
  @Query(() => [PersonalAccessToken], {
    description:
      "The signed-in user's personal access tokens, newest first: those not revoked (expired ones included, their expiresAt says so), or all with includeRevoked. Never their secrets. UNAUTHENTICATED when signed out; FORBIDDEN / TOKEN_SCOPE with a personal access token.",
  })
  async personalAccessTokens(
    @Arg("includeRevoked", () => Boolean, { defaultValue: false, description: "Also list revoked tokens." }) includeRevoked: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PersonalAccessToken[]> {
    return (await ctx.services.personalAccessTokens.list(ctx.viewer!.user.id, includeRevoked)).map(toPersonalAccessToken);
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => PersonalAccessTokenWithSecret, {
    description:
      "Makes a personal access token for scripts: sent as `Authorization: Bearer lk_pat_...`, it works for the root fields its scopes open (read:profile: me, viewer, mySessions, myActivity, myAuthorizedApps; write:profile: updateProfile without an e-mail change, uploadAvatar, removeAvatar, generateFakeProfile; admin:read, for MODERATOR and ADMIN: user, searchUsers, userSessions, auditLog) and never for sensitive mutations. The secret is in this answer only. Needs a recent sign-in (FORBIDDEN / REAUTHENTICATION_REQUIRED); FORBIDDEN in an impersonated session or with a personal access token. BAD_USER_INPUT for a name not 1 to 100 characters, an unknown scope, admin:read for a USER, an expiresAt not in the future or more than a year away; CONFLICT past 50 usable tokens. Audited; webhook personal_access_token.created.",
  })
  async createPersonalAccessToken(
    @Arg("name", () => String, { description: "What the token is for, 1 to 100 characters." }) name: string,
    @Arg("expiresAt", () => DateTime, { nullable: true, description: "When it stops working, within a year; left out, it never expires." }) expiresAt: Date | null | undefined,
    @Arg("scopes", () => [String], { nullable: true, description: "What it may do: read:profile (the default), write:profile, admin:read (MODERATOR and ADMIN)." }) scopes: string[] | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PersonalAccessTokenWithSecret> {
    const { token, secret } = await ctx.services.personalAccessTokens.create(ctx.viewer!.user, { name, expiresAt, scopes }, ctx.origin);
    return { token: toPersonalAccessToken(token), secret };
  }

  @Authorized()
  @Mutation(() => PersonalAccessToken, {
    description:
      "Revokes one of the signed-in user's personal access tokens: it stops working at once, on every server. Revoking a revoked token changes nothing. NOT_FOUND for a token that is not the user's. Audited; webhook personal_access_token.revoked. FORBIDDEN / TOKEN_SCOPE with a personal access token.",
  })
  async revokePersonalAccessToken(
    @Arg("id", () => ID, { description: "The token's id (PersonalAccessToken.id)." }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PersonalAccessToken> {
    return toPersonalAccessToken(await ctx.services.personalAccessTokens.revoke(ctx.viewer!.user.id, id, ctx.origin));
  }
}
